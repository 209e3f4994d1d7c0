using Antq.Contracts.Plan;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Antq.Classification.IntegrationTests;

/// <summary>A whole real province classified from its communes' annual reports and the province's scores.</summary>
[Collection(ClassificationCollection.Name)]
public sealed class ProvinceClassificationTests(ClassificationFixture fixture)
{
    [Fact]
    public async Task The_communes_of_Lai_Chau_are_classified_and_the_province_summary_counts_shares_and_judges_its_plan_targets()
    {
        const string province = "12"; // Tỉnh Lai Châu: 38 communes
        const int year = 2031;
        var communes = fixture.ChildrenOf(province).Select(c => c.Code).ToList();
        Assert.Equal(38, communes.Count);
        var random = new Random(2031);
        var reports = communes.ToDictionary(c => c, _ => Expected.Report(random));
        var approved = communes.ToDictionary(c => c, _ => Expected.Scores(random));
        var self = communes.ToDictionary(c => c, _ => Expected.Scores(random));
        var disqualified = communes.Where((_, i) => i % 9 == 4).ToHashSet();

        // The province plan's targets, issued through the broker as the Plan service publishes them.
        var planId = Guid.NewGuid();
        await fixture.PublishPlanAsync(planId, "15/KH-CAT", province, year,
            new PlanTargetSet { Indicator = "PCT_KHA_TRO_LEN", Comparator = ">", Value = 80, Scope = "subtree" },
            new PlanTargetSet { Indicator = "PCT_UNITS_SAFE", Comparator = ">=", Value = 87.5m, Scope = "subtree" },
            new PlanTargetSet { Indicator = "CLS_YEU", Comparator = "<=", Value = 0, Scope = "subtree" },
            new PlanTargetSet { Indicator = "FORUMS", Comparator = ">=", Value = 2, Scope = "subtree" });
        await ClassificationFixture.EventuallyAsync(() => fixture.InDbAsync(db => db.PlanTargets.AnyAsync(t => t.PlanId == planId)), "the plan's targets");

        // Every commune's accepted annual report reaches Classification through the broker.
        var accepted = DateTimeOffset.UtcNow;
        foreach (var code in communes) await fixture.PublishReportAcceptedAsync(code, year, reports[code], accepted);
        await ClassificationFixture.EventuallyAsync(() => fixture.InDbAsync(async db =>
            await db.AnnualReports.CountAsync(r => r.Year == year && communes.Contains(r.OrgUnitCode)) == communes.Count), "38 annual reports");

        // Each commune scores itself; the province approves, several at once.
        await Parallel.ForEachAsync(communes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (code, _) =>
        {
            using var commune = fixture.As($"cax-{code}", AntqRoles.CommuneOfficer, code);
            var own = await commune.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new { selfScores = self[code] }).OkJsonAsync();
            Assert.Null(own.GetProperty("class").GetString());
            using var pv01 = fixture.As("pv01-laichau", AntqRoles.ProvinceOfficer, province);
            await pv01.PutJsonAsync($"/api/classifications/{code}/{year}/evaluation", new
            {
                approvedScores = approved[code],
                disqualifiers = new Dictionary<string, bool> { ["DK1"] = disqualified.Contains(code) },
            }).OkJsonAsync();
        });

        var expectedClass = new Dictionary<string, string>();
        foreach (var code in communes)
        {
            var total = Expected.Total(approved[code], reports[code]);
            expectedClass[code] = Expected.Class(total, disqualified.Contains(code));
            var sheet = await fixture.Admin.GetAsync($"/api/classifications/{code}/{year}").OkJsonAsync();
            Assert.True(expectedClass[code] == sheet.GetProperty("class").GetString(), $"{code}: total {total}, expected {expectedClass[code]}, got {sheet}");
            Assert.Equal(total, sheet.GetProperty("approvedTotal").GetDecimal());
            Assert.Equal(Math.Round(self[code].Values.Sum() + (Expected.Total(approved[code], reports[code]) - approved[code].Values.Sum()), 2), sheet.GetProperty("selfTotal").GetDecimal());
            Assert.Equal("pv01-laichau", sheet.GetProperty("approvedBy").GetString());
            Assert.Equal("pv01-laichau", sheet.GetProperty("decidedBy").GetString());
            Assert.Equal($"cax-{code}", sheet.GetProperty("selfScoredBy").GetString());
            var criteria = sheet.GetProperty("criteria").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
            var (tc3, tc4, tc5) = Expected.Computed(reports[code]);
            Assert.Equal(tc3, criteria["TC3"].GetProperty("computedScore").GetDecimal());
            Assert.Equal(tc4, criteria["TC4"].GetProperty("computedScore").GetDecimal());
            Assert.Equal(tc5, criteria["TC5"].GetProperty("computedScore").GetDecimal());
            foreach (var hand in Expected.HandCriteria)
            {
                Assert.Equal(Expected.Max[hand], criteria[hand].GetProperty("max").GetDecimal());
                Assert.Equal(approved[code][hand], criteria[hand].GetProperty("approved").GetDecimal());
                Assert.Equal(self[code][hand], criteria[hand].GetProperty("self").GetDecimal());
            }

            Assert.True(sheet.GetProperty("sheet").GetProperty("isDefault").GetBoolean());
            Assert.Equal("Mặc định của hệ thống, cần quản trị viên xác nhận; không phải quy định pháp luật", sheet.GetProperty("sheet").GetProperty("note").GetString());
        }

        Assert.True(expectedClass.Values.Distinct().Count() >= 3, "the data should produce several classes: " + string.Join(",", expectedClass.Values));

        // The safe standard: 20 communes registered; the province decides; AT1 is read from the report.
        var registered = communes.Take(20).ToList();
        var expectedRecognised = new Dictionary<string, bool>();
        foreach (var (code, i) in registered.Select((c, i) => (c, i)))
        {
            using var commune = fixture.As($"cax-{code}", AntqRoles.CommuneOfficer, code);
            using var response = await commune.PostJsonAsync($"/api/classifications/{code}/{year}/safe/registration");
            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
            var noDiscipline = i % 5 != 0;
            using var pv01 = fixture.As("pv01-laichau", AntqRoles.ProvinceOfficer, province);
            var decided = await pv01.PostJsonAsync($"/api/classifications/{code}/{year}/safe/recognition",
                new { criteria = new Dictionary<string, bool> { ["AT2"] = noDiscipline, ["AT3"] = true } }).OkJsonAsync();
            expectedRecognised[code] = noDiscipline && reports[code]["MODELS_EFFECTIVE"] >= 1;
            Assert.Equal(expectedRecognised[code], decided.GetProperty("recognised").GetBoolean());
            Assert.Equal("pv01-laichau", decided.GetProperty("decidedBy").GetString());
        }

        Assert.Contains(true, expectedRecognised.Values);
        Assert.Contains(false, expectedRecognised.Values);

        // The province's summary against the computation above.
        var summary = await fixture.As("pv01-laichau", AntqRoles.ProvinceOfficer, province).GetAsync($"/api/classifications/{province}/{year}/summary").OkJsonAsync();
        var counts = summary.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("class").GetString()!, c => c.GetProperty("count").GetInt32());
        foreach (var @class in new[] { "XuatSac", "Kha", "TrungBinh", "Yeu" })
            Assert.Equal(expectedClass.Values.Count(c => c == @class), counts[@class]);
        Assert.Equal(38, summary.GetProperty("units").GetInt32());
        Assert.Equal(38, summary.GetProperty("classified").GetInt32());
        Assert.Equal("14/12/2031", summary.GetProperty("hierarchyDate").GetString());
        var khaTroLen = Math.Round((decimal)expectedClass.Values.Count(c => c is "XuatSac" or "Kha") / 38 * 100, 4);
        Assert.Equal(khaTroLen, summary.GetProperty("pctKhaTroLen").GetDecimal());
        var safe = summary.GetProperty("safe");
        Assert.Equal(20, safe.GetProperty("registered").GetInt32());
        Assert.Equal(expectedRecognised.Values.Count(r => r), safe.GetProperty("recognised").GetInt32());
        Assert.Equal(expectedRecognised.Values.Count(r => !r), safe.GetProperty("notRecognised").GetInt32());
        Assert.Equal(Math.Round((decimal)expectedRecognised.Values.Count(r => r) / 38 * 100, 4), safe.GetProperty("pctSafe").GetDecimal());

        var unitsSafe = Math.Round(communes.Sum(c => reports[c]["KDC_SAFE"] + reports[c]["ORG_SAFE"]) / communes.Sum(c => reports[c]["KDC_TOTAL"] + reports[c]["ORG_TOTAL"]) * 100, 4);
        var yeu = expectedClass.Values.Count(c => c == "Yeu");
        var targets = summary.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("indicator").GetString()!);
        Assert.Equal(4, targets.Count);
        AssertTarget(targets["PCT_KHA_TRO_LEN"], khaTroLen, khaTroLen > 80, khaTroLen - 80);
        AssertTarget(targets["PCT_UNITS_SAFE"], unitsSafe, unitsSafe >= 87.5m, unitsSafe - 87.5m);
        AssertTarget(targets["CLS_YEU"], yeu, yeu <= 0, yeu);
        Assert.False(targets["FORUMS"].GetProperty("judged").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, targets["FORUMS"].GetProperty("attained").ValueKind);

        // What the province's annual report takes without typing, and the target verdicts, as published through the outbox.
        var published = await fixture.InDbAsync(db => Expected.OutboxAsync(db, "ClassificationCountsChanged", province));
        var last = published.MaxBy(p => p.GetProperty("sequence").GetInt64());
        Assert.Equal("2031-Y", last.GetProperty("period").GetString());
        var values = last.GetProperty("values");
        Assert.Equal(counts["XuatSac"], values.GetProperty("CLS_XUAT_SAC").GetInt32());
        Assert.Equal(counts["Kha"], values.GetProperty("CLS_KHA").GetInt32());
        Assert.Equal(counts["TrungBinh"], values.GetProperty("CLS_TRUNG_BINH").GetInt32());
        Assert.Equal(counts["Yeu"], values.GetProperty("CLS_YEU").GetInt32());
        Assert.Equal(published.Count, published.Select(p => p.GetProperty("sequence").GetInt64()).Distinct().Count());

        var verdicts = await fixture.InDbAsync(db => Expected.OutboxAsync(db, "TargetAttainmentChanged", province));
        var lastKha = verdicts.Last(v => v.GetProperty("indicator").GetString() == "PCT_KHA_TRO_LEN");
        Assert.Equal(khaTroLen, lastKha.GetProperty("achieved").GetDecimal());
        Assert.Equal(khaTroLen > 80, lastKha.GetProperty("attained").GetBoolean());
        Assert.Equal(planId, lastKha.GetProperty("planId").GetGuid());
        Assert.DoesNotContain(verdicts, v => v.GetProperty("indicator").GetString() == "FORUMS");

        // Every message was sent to the real broker (the dispatcher marks a row sent once the broker confirmed it).
        await ClassificationFixture.EventuallyAsync(() => fixture.InDbAsync(async db =>
            !await db.Set<Antq.Messaging.OutboxMessage>().AnyAsync(m => m.SentAt == null)), "the outbox dispatched");

        var classified = await fixture.InDbAsync(db => Expected.OutboxAsync(db, "UnitClassified", communes[0]));
        Assert.Equal(expectedClass[communes[0]], classified.Last().GetProperty("class").GetString());
        var recognised = await fixture.InDbAsync(db => Expected.OutboxAsync(db, "UnitRecognised", communes[0]));
        Assert.Equal(expectedRecognised[communes[0]], recognised.Single().GetProperty("recognised").GetBoolean());
    }

    static void AssertTarget(System.Text.Json.JsonElement target, decimal achieved, bool attained, decimal gap)
    {
        Assert.True(target.GetProperty("judged").GetBoolean());
        Assert.Equal(achieved, target.GetProperty("achieved").GetDecimal());
        Assert.Equal(attained, target.GetProperty("attained").GetBoolean());
        Assert.Equal(gap, target.GetProperty("gap").GetDecimal());
    }
}
