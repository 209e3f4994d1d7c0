using System.Text.Json;
using Antq.Calendar;
using Antq.Testing;

namespace Antq.Journeys;

/// <summary>The journeys of an open period, each across services, through the gateway, with the real messages.</summary>
[Collection(OpenSeasonCollection.Name)]
public sealed class OpenSeasonJourneys(OpenSeason season)
{
    const string Period = OpenSeason.Period;
    static readonly DateTimeOffset Due = JourneyPlatform.VietnamMidnight(OpenSeason.DueOn);

    [Fact]
    public async Task Plan_issued_gives_every_commune_its_deadline_and_its_officer_a_reminder_a_week_before()
    {
        var (code, name, user, officer) = await season.CommuneAsync(0);

        // Plan: the deadline the province plan set, from that plan.
        var deadline = await Season.GetAsync(officer, $"api/deadlines/{code}/{Period}");
        Assert.Equal(Due, deadline.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(season.PlanId, deadline.GetProperty("planId").GetString());

        // Reporting: the report form knows it; Notification: the schedule holds the reminders before it.
        var board = await Season.GetAsync(season.Province01, $"api/rollups/{OpenSeason.Province}/{Period}/children");
        var row = board.GetProperty("children").EnumerateArray().Single(r => r.GetProperty("code").GetString() == code);
        Assert.Equal(Due, row.GetProperty("dueAt").GetDateTimeOffset());
        var schedule = await Season.GetAsync(officer, $"api/notifications/schedule/{code}/{Period}");
        Assert.Equal(Due, schedule.GetProperty("deadlineAt").GetDateTimeOffset());
        var reminders = schedule.GetProperty("notices").EnumerateArray().Where(n => n.GetProperty("kind").GetString() == "reminder").ToList();
        // A week before, at the working hour (07:30 Vietnam time), not at the deadline's midnight.
        var weekBefore = VietnamTime.At(VietnamTime.DayOf(Due.AddDays(-7)), new TimeOnly(7, 30));
        Assert.Contains(reminders, n => n.GetProperty("dueAt").GetDateTimeOffset() == weekBefore);

        // A week before the deadline the officer is reminded, in the inbox and by e-mail.
        season.Clock.AdvanceTo(weekBefore.AddMinutes(1));
        var notice = await Season.NoticeAsync(officer, "reminder", code, Period);
        Assert.Contains("15/12/2026", notice.GetProperty("body").GetString());
        var mail = await Season.MailAsync(season.Smtp, user, "15/12/2026");
        Assert.Contains(name, mail.TextBody);
    }

    [Fact]
    public async Task A_submission_counts_at_once_in_the_province_rollup_and_the_province_officer_is_told()
    {
        var (code, name, user, officer) = await season.CommuneAsync(1);
        var before = await Season.GetAsync(season.Province01, $"api/rollups/{OpenSeason.Province}/{Period}");

        var report = Season.Report(Period, seed: 101, new Dictionary<string, decimal> { ["TIPS_TOTAL"] = 37, ["TIPS_VALUABLE"] = 12 });
        var submitted = await Season.SubmitAsync(officer, code, Period, report);
        Assert.Equal("submitted", submitted.GetProperty("status").GetString());

        // The roll-up changed in the submission's own transaction: no waiting.
        var after = await Season.GetAsync(season.Province01, $"api/rollups/{OpenSeason.Province}/{Period}");
        Assert.Equal(Season.Value(before, "TIPS_TOTAL") + 37, Season.Value(after, "TIPS_TOTAL"));
        Assert.Equal(Season.Value(before, "TIPS_VALUABLE") + 12, Season.Value(after, "TIPS_VALUABLE"));
        Assert.Equal(before.GetProperty("completeness").GetProperty("submitted").GetInt32() + 1, after.GetProperty("completeness").GetProperty("submitted").GetInt32());
        Assert.Equal(before.GetProperty("completeness").GetProperty("onTime").GetInt32() + 1, after.GetProperty("completeness").GetProperty("onTime").GetInt32());

        // The province officer learns of it through Notification: in the inbox at once, and by e-mail in the digest
        // sent when the window (15 minutes by default) that the submission opened or joined ends.
        var notice = await Season.NoticeAsync(season.Province01, "submitted", code, Period);
        Assert.Contains(name, notice.GetProperty("title").GetString() + notice.GetProperty("body").GetString());
        season.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        await Season.MailAsync(season.Smtp, OpenSeason.Pv01, name);
        _ = user;
    }

    [Fact]
    public async Task A_returned_report_tells_the_commune_why_leaves_the_rollup_and_counts_again_when_resubmitted()
    {
        var (code, name, user, officer) = await season.CommuneAsync(2);
        const string reason = "Số liệu hòa giải chưa khớp với sổ theo dõi, đề nghị rà soát lại.";
        var report = Season.Report(Period, seed: 202, new Dictionary<string, decimal> { ["TIPS_TOTAL"] = 41, ["TIPS_VALUABLE"] = 3 });
        await Season.SubmitAsync(officer, code, Period, report);
        var counted = Season.Value(await Season.GetAsync(season.Province01, $"api/rollups/{OpenSeason.Province}/{Period}"), "TIPS_TOTAL");

        var returned = await Season.ReturnAsync(season.Province01, code, Period, reason);
        Assert.Equal("returned", returned.GetProperty("status").GetString());
        Assert.Equal(counted - 41, Season.Value(await Season.GetAsync(season.Province01, $"api/rollups/{OpenSeason.Province}/{Period}"), "TIPS_TOTAL"));

        // The commune is told, with the reason, in its inbox and by e-mail.
        var notice = await Season.NoticeAsync(officer, "returned", code, Period);
        Assert.Contains(reason, notice.GetProperty("body").GetString());
        await Season.MailAsync(season.Smtp, user, reason);

        // Resubmitted as saved: it counts again, and the province is told a second time.
        var again = await Season.ResubmitAsync(officer, code, Period);
        Assert.Equal("submitted", again.GetProperty("status").GetString());
        Assert.Equal(counted, Season.Value(await Season.GetAsync(season.Province01, $"api/rollups/{OpenSeason.Province}/{Period}"), "TIPS_TOTAL"));
        await Eventually.UntilAsync(async () =>
        {
            var inbox = await Season.GetAsync(season.Province01, "api/notifications");
            return inbox.EnumerateArray().Count(n => n.GetProperty("kind").GetString() == "submitted" && n.GetProperty("orgUnitCode").GetString() == code) == 2;
        }, TimeSpan.FromSeconds(60), $"two 'submitted' notices about {name}");
    }

    [Fact]
    public async Task Accepted_annual_reports_classify_the_communes_and_move_the_province_shares_and_targets()
    {
        var (good, _, _, goodOfficer) = await season.CommuneAsync(3);
        var (fair, _, _, fairOfficer) = await season.CommuneAsync(4);

        // 9 of 10 residential areas safe, 2 effective models, 9 of 10 mediations; 4 of 10 safe, no model, 9 of 10.
        await Season.SubmitAsync(goodOfficer, good, Period, Season.Annual(OpenSeason.Year, 303, kdcTotal: 10, kdcSafe: 9, modelsEffective: 2, mediationCases: 10, mediationSuccess: 9));
        await Season.SubmitAsync(fairOfficer, fair, Period, Season.Annual(OpenSeason.Year, 404, kdcTotal: 10, kdcSafe: 4, modelsEffective: 0, mediationCases: 10, mediationSuccess: 9));
        await Season.AcceptAsync(season.Province01, good, Period);
        await Season.AcceptAsync(season.Province01, fair, Period);

        // The accepted values reach Classification and score the computed criteria (default sheet, labelled default):
        // TC3 models ≥ 1 → 15; TC4 safe areas, 20 in proportion up to 80 %; TC5 mediation, 10 in proportion up to 90 %.
        var goodSheet = await ComputedAsync(good, new() { ["TC3"] = 15, ["TC4"] = 20, ["TC5"] = 10 });
        Assert.True(goodSheet.GetProperty("sheet").GetProperty("isDefault").GetBoolean());
        await ComputedAsync(fair, new() { ["TC3"] = 0, ["TC4"] = 10, ["TC5"] = 10 });

        // The province approves the scores typed by people; the class follows from the total (cut-offs 90/70/50).
        var approved = new Dictionary<string, decimal> { ["TC1"] = 8, ["TC2"] = 12, ["TC6"] = 15, ["TC7"] = 8 }; // 43
        var g = await Season.PutAsync(season.Province01, $"api/classifications/{good}/{OpenSeason.Year}/evaluation", new { approvedScores = approved });
        Assert.Equal(88m, g.GetProperty("approvedTotal").GetDecimal());
        Assert.Equal("Kha", g.GetProperty("class").GetString());
        var f = await Season.PutAsync(season.Province01, $"api/classifications/{fair}/{OpenSeason.Year}/evaluation", new { approvedScores = approved });
        Assert.Equal(63m, f.GetProperty("approvedTotal").GetDecimal());
        Assert.Equal("TrungBinh", f.GetProperty("class").GetString());

        // The province's shares and the plan's targets: Khá or above 1 of 2 classified = 50 % against ≥ 70 %;
        // safe residential areas from the accepted reports 13 of 20 = 65 % against ≥ 60 %.
        JsonElement summary = default;
        await Eventually.UntilAsync(async () =>
        {
            summary = await Season.GetAsync(season.Province01, $"api/classifications/{OpenSeason.Province}/{OpenSeason.Year}/summary");
            return summary.GetProperty("classified").GetInt32() == 2
                && summary.GetProperty("targets").EnumerateArray().All(t => t.GetProperty("achieved").ValueKind == JsonValueKind.Number);
        }, TimeSpan.FromSeconds(60), "the province summary with two classified communes and judged targets");
        Assert.Equal(50m, summary.GetProperty("pctKhaTroLen").GetDecimal());
        Assert.Equal(65m, summary.GetProperty("indicators").GetProperty("PCT_KDC_SAFE").GetDecimal());
        var targets = summary.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("indicator").GetString()!);
        Assert.Equal(50m, targets["PCT_KHA_TRO_LEN"].GetProperty("achieved").GetDecimal());
        Assert.False(targets["PCT_KHA_TRO_LEN"].GetProperty("attained").GetBoolean());
        Assert.Equal(-20m, targets["PCT_KHA_TRO_LEN"].GetProperty("gap").GetDecimal());
        Assert.Equal(65m, targets["PCT_KDC_SAFE"].GetProperty("achieved").GetDecimal());
        Assert.True(targets["PCT_KDC_SAFE"].GetProperty("attained").GetBoolean());
    }

    async Task<JsonElement> ComputedAsync(string code, Dictionary<string, decimal> expected)
    {
        JsonElement sheet = default;
        await Eventually.UntilAsync(async () =>
        {
            sheet = await Season.GetAsync(season.Province01, $"api/classifications/{code}/{OpenSeason.Year}");
            var criteria = sheet.GetProperty("criteria").EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!);
            return expected.All(e => criteria[e.Key].GetProperty("computedScore") is { ValueKind: JsonValueKind.Number } v && v.GetDecimal() == e.Value);
        }, TimeSpan.FromSeconds(60), $"the computed criteria of {code} scored from its accepted report ({string.Join(", ", expected)})");
        Assert.NotEqual(JsonValueKind.Null, sheet.GetProperty("report").ValueKind);
        return sheet;
    }

    [Fact]
    public async Task Residential_areas_registered_and_recognised_move_the_communes_share_of_safe_areas()
    {
        var (commune, _, _, officer) = await season.CommuneAsync(5);
        string[] areas = [$"{commune}-T01", $"{commune}-T02", $"{commune}-T03", $"{commune}-T04"];
        foreach (var (area, i) in areas.Select((a, i) => (a, i)))
            await Season.PostAsync(season.Admin, "api/org-units", new { code = area, name = $"Thôn Nà {i + 1}", kind = "ResidentialArea", parentCode = commune, validFrom = "2026-01-01" });

        // Classification learns the new units through the unit tree's events; registration is open in the first quarter
        // only, so the commune registers its areas for next year (2027) in November, as communes do.
        const int year = 2027;
        foreach (var area in areas)
        {
            await Eventually.UntilAsync(async () =>
            {
                using var response = await officer.PostAsync($"api/classifications/{area}/{year}/safe/registration", null);
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(60), $"{area} registered for the safe standard");
        }

        // The commune recognises three: every criterion holds; the fourth fails one.
        var all = new Dictionary<string, bool?> { ["AT1"] = true, ["AT2"] = true, ["AT3"] = true, ["AT4"] = true };
        foreach (var area in areas[..3])
        {
            var decided = await Season.PostAsync(officer, $"api/classifications/{area}/{year}/safe/recognition", new { criteria = all });
            Assert.True(decided.GetProperty("recognised").GetBoolean());
        }

        var refused = await Season.PostAsync(officer, $"api/classifications/{areas[3]}/{year}/safe/recognition",
            new { criteria = new Dictionary<string, bool?>(all) { ["AT4"] = false } });
        Assert.False(refused.GetProperty("recognised").GetBoolean());
        var unmet = Assert.Single(refused.GetProperty("unmet").EnumerateArray()).GetString();
        Assert.StartsWith("Không đạt tiêu chí AT4", unmet);

        // The commune's summary: 4 registered, 3 recognised, 1 not: 75 % safe.
        var summary = await Season.GetAsync(officer, $"api/classifications/{commune}/{year}/summary");
        var safe = summary.GetProperty("safe");
        Assert.Equal(4, safe.GetProperty("registered").GetInt32());
        Assert.Equal(3, safe.GetProperty("recognised").GetInt32());
        Assert.Equal(1, safe.GetProperty("notRecognised").GetInt32());
        Assert.Equal(75m, safe.GetProperty("pctSafe").GetDecimal());
        Assert.Equal(75m, summary.GetProperty("indicators").GetProperty("PCT_KDC_SAFE").GetDecimal());
    }

    [Fact]
    public async Task A_unit_added_below_an_issued_plan_gets_its_deadline_and_its_reminders()
    {
        var (commune, _, _, officer) = await season.CommuneAsync(6);
        var area = $"{commune}-M01";
        var today = DateOnly.FromDateTime(season.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).DateTime);
        await Season.PostAsync(season.Admin, "api/org-units", new { code = area, name = "Tổ dân phố Mới", kind = "ResidentialArea", parentCode = commune, validFrom = today.ToString("yyyy-MM-dd") });

        // Plan: a derived deadline (the commune's plan sets none; the province's less the lead time).
        JsonElement deadline = default;
        await Eventually.UntilAsync(async () =>
        {
            using var response = await officer.GetAsync($"api/deadlines/{area}/{Period}");
            if (!response.IsSuccessStatusCode) return false;
            deadline = await Season.OkAsync(response, "deadline");
            return true;
        }, TimeSpan.FromSeconds(30), $"a deadline for {area}");
        Assert.True(deadline.GetProperty("derived").GetBoolean());
        Assert.Equal(commune, deadline.GetProperty("reportsToCode").GetString());
        var due = deadline.GetProperty("dueAt").GetDateTimeOffset();
        Assert.True(due < Due, $"the area's derived deadline {due} comes before the commune's {Due}");

        // Notification's copy follows: the area's schedule has its reminders (a schedule is shown to the unit's own
        // officers and to administrators).
        var seen = "";
        var healed = await Eventually.TryAsync(async () =>
        {
            using var response = await season.Admin.GetAsync($"api/notifications/schedule/{area}/{Period}");
            seen = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (!response.IsSuccessStatusCode) return false;
            var schedule = await Season.OkAsync(response, "schedule");
            return schedule.GetProperty("deadlineAt").ValueKind == JsonValueKind.String
                && schedule.GetProperty("deadlineAt").GetDateTimeOffset() == due
                && schedule.GetProperty("notices").EnumerateArray().Any(n => n.GetProperty("kind").GetString() == "reminder");
        }, TimeSpan.FromSeconds(30));
        Assert.True(healed, $"Notification's schedule of reminders for {area}; last seen: {seen}");
    }
}
