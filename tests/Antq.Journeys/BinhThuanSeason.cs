using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Antq.Testing;

namespace Antq.Journeys;

/// <summary>
/// The season of the real plan of Bình Thuận for 2024 (<c>../shared/data/plans/2024-binh-thuan-province.txt</c>), in the
/// three-tier era, on the clock of 2024: its text read into a draft, issued under the Ministry's programme it cites,
/// deadlines derived for its 10 districts and 121 communes, reports (one missing, one late, one returned and
/// resubmitted), both periods closed at their deadlines, the annual reports accepted level by level, the districts
/// classified, and the plan's two targets compared with what was achieved.
/// </summary>
public sealed class BinhThuan2024() : JourneyPlatform(new DateTimeOffset(2024, 1, 25, 9, 0, 0, TimeSpan.FromHours(7)));

public sealed class BinhThuanSeasonTests(BinhThuan2024 platform) : IClassFixture<BinhThuan2024>
{
    const string Province = "60";
    const string H1 = "2024-H1";
    const string Y = "2024-Y";
    static DateTimeOffset At(string date) => JourneyPlatform.VietnamMidnight(date);

    [Fact]
    public async Task The_2024_plan_of_Binh_Thuan_read_issued_reported_closed_classified_and_its_targets_compared()
    {
        var province = await platform.ImportProvinceAsync("units-2025-06-three-tier.json", Province, "2020-01-01");
        var districts = province["District"]!.AsArray()
            .Select(d => (Code: (string)d!["Code"]!, Communes: d["Ward"]!.AsArray().Select(w => (string)w!["Code"]!).ToList())).ToList();
        Assert.Equal(10, districts.Count);
        Assert.Equal(121, districts.Sum(d => d.Communes.Count));

        // The parent the seed cites, which the data lacks: the Ministry's programme 02/CTr-BCA-V05 of 16/01/2024.
        var parent = await Season.PostAsync(platform.Admin, "api/plans", new
        {
            number = "02/CTr-BCA-V05", title = "Chương trình công tác năm 2024 về phong trào toàn dân bảo vệ an ninh Tổ quốc",
            issuedOn = "2024-01-16", issuerCode = "BCA", year = 2024,
        });
        var parentId = parent.GetProperty("id").GetString()!;
        await Season.PostAsync(platform.Admin, $"api/plans/{parentId}/issue", null);

        // The plan's text, read into a draft: the seed's year, parent, deadlines and targets.
        var text = await File.ReadAllTextAsync(TestEnvironment.SharedFile("data", "plans", "2024-binh-thuan-province.txt"));
        using var drafted = await platform.Admin.PostAsync("api/plans/drafts/from-text", new StringContent(text, Encoding.UTF8, "text/plain"));
        var draft = await Season.OkAsync(drafted, "draft");
        Assert.Equal(2024, draft.GetProperty("year").GetInt32());
        Assert.Equal("province", draft.GetProperty("issuerLevel").GetString());
        Assert.Equal("Chương trình số 02/CTr-BCA-V05 ngày 16/01/2024", Assert.Single(draft.GetProperty("parentReferences").EnumerateArray()).GetString());
        var deadlines = draft.GetProperty("deadlines").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(new Dictionary<string, string> { [H1] = "2024-06-15", [Y] = "2024-12-01" }, deadlines);
        var targets = draft.GetProperty("targets").EnumerateArray()
            .Select(t => (Indicator: t.GetProperty("indicator").GetString()!, Comparator: t.GetProperty("comparator").GetString()!, Value: t.GetProperty("value").GetDecimal()))
            .ToList();
        Assert.Equal([("PCT_UNITS_SAFE", ">", 90m), ("PCT_KHA_TRO_LEN", ">", 90m)], targets);

        // Issued by the province (the text kept no number of its own: the test gives one) under the Ministry's programme.
        var created = await Season.PostAsync(platform.Admin, "api/plans", new
        {
            number = "01/KH-BCĐ (thử nghiệm)", title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2024",
            issuedOn = "2024-01-25", issuerCode = Province, year = 2024, parentPlanId = parentId, deadlines,
            targets = targets.Select(t => new { indicator = t.Indicator, comparator = t.Comparator, value = t.Value, scope = "subtree" }),
        });
        var planId = created.GetProperty("id").GetString()!;
        await Season.PostAsync(platform.Admin, $"api/plans/{planId}/issue", null);

        // Deadlines: the districts' from the plan; the communes' derived, five days earlier (the lead time).
        var (district0, commune0) = (districts[0].Code, districts[0].Communes[0]);
        var d = await Season.GetAsync(platform.Admin, $"api/deadlines/{district0}/{Y}");
        Assert.Equal(At("2024-12-01"), d.GetProperty("dueAt").GetDateTimeOffset());
        Assert.False(d.GetProperty("derived").GetBoolean());
        var c = await Season.GetAsync(platform.Admin, $"api/deadlines/{commune0}/{Y}");
        Assert.Equal(At("2024-11-26"), c.GetProperty("dueAt").GetDateTimeOffset());
        Assert.True(c.GetProperty("derived").GetBoolean());
        Assert.Equal(At("2024-06-10"), (await Season.GetAsync(platform.Admin, $"api/deadlines/{commune0}/{H1}")).GetProperty("dueAt").GetDateTimeOffset());

        // Accounts: PV01, one officer per district, and the communes whose story the season tells.
        var pv01 = await platform.UserAsync("pv01.binhthuan", "ProvinceOfficer", Province);
        var officers = new Dictionary<string, HttpClient>();
        foreach (var (code, _) in districts) officers[code] = await platform.UserAsync($"huyen{code}.binhthuan", "DistrictOfficer", code);
        var (missing, returned) = (districts[0].Communes[1], districts[0].Communes[2]);
        var late = districts[1].Communes[0];
        var returnedOfficer = await platform.UserAsync("xa.tra.lai", "CommuneOfficer", returned);
        var lateOfficer = await platform.UserAsync("xa.nop.muon", "CommuneOfficer", late);
        await Eventually.UntilAsync(async () =>
        {
            var board = await Season.GetAsync(officers[district0], $"api/rollups/{district0}/{Y}/children");
            return board.GetProperty("children").EnumerateArray().All(r => r.GetProperty("dueAt").ValueKind == JsonValueKind.String);
        }, TimeSpan.FromSeconds(60), "Reporting's copy of the communes' deadlines");

        // The district sheet (no default exists for districts; published for the test, not as a regulation).
        await Season.PutAsync(platform.Admin, "api/classifications/score-sheets/2024/District", new
        {
            criteria = new[] { new { code = "H1", name = "Chỉ đạo, triển khai phong trào", max = 50m }, new { code = "H2", name = "Kết quả phong trào tại các xã", max = 50m } },
            cutoffs = new { xuatSac = 90m, kha = 70m, trungBinh = 50m },
            disqualifiers = Array.Empty<object>(),
            note = "Bảng điểm dùng cho kiểm thử mùa báo cáo 2024",
        });

        // The six-month period: nobody reports; the districts close at the communes' deadline, the province at theirs.
        platform.Clock.AdvanceTo(At("2024-06-15").AddMinutes(1));
        var h1District = await Season.SnapshotAsync(pv01, district0, H1);
        Assert.Equal(At("2024-06-10"), h1District.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(districts[0].Communes.Count, h1District.GetProperty("completeness").GetProperty("missing").GetInt32());
        var h1Province = await Season.SnapshotAsync(pv01, Province, H1);
        Assert.Equal(At("2024-06-15"), h1Province.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(10, h1Province.GetProperty("completeness").GetProperty("missing").GetInt32());

        // The annual period. Every commune reports on time but one missing and one late; communes of the first district
        // have 6 of 10 residential areas safe, the others 10 of 10; every one 5 of 5 organisations.
        platform.Clock.AdvanceTo(new DateTimeOffset(2024, 11, 20, 9, 0, 0, TimeSpan.FromHours(7)));
        var counted = new Dictionary<string, (int Safe, int Total)>();
        foreach (var (district, communes) in districts)
        {
            foreach (var (commune, i) in communes.Select((x, i) => (x, i)))
            {
                if (commune == missing || commune == late) continue;
                var safe = district == district0 ? 6 : 10;
                var body = Season.Annual(2024, 2400 + i, kdcTotal: 10, kdcSafe: safe, modelsEffective: 1, mediationCases: 10, mediationSuccess: 9);
                body["values"]!["ORG_TOTAL"] = 5;
                body["values"]!["ORG_SAFE"] = 5;
                await Season.SubmitAsync(commune == returned ? returnedOfficer : platform.Admin, commune, Y, body);
                counted[commune] = (safe + 5, 15);
            }
        }

        // One is returned by its district with a reason, and resubmitted the same day.
        await Season.ReturnAsync(officers[district0], returned, Y, "Đề nghị bổ sung số liệu hòa giải ở cơ sở.");
        await Season.ResubmitAsync(returnedOfficer, returned, Y);

        // The communes' deadline passes: every district closes, with its missing commune where it has one.
        platform.Clock.AdvanceTo(At("2024-11-26").AddMinutes(1));
        foreach (var (district, communes) in districts)
        {
            var snapshot = await Season.SnapshotAsync(pv01, district, Y);
            var absent = communes.Count(x => x == missing || x == late);
            Assert.Equal(communes.Count - absent, snapshot.GetProperty("completeness").GetProperty("onTime").GetInt32());
            Assert.Equal(absent, snapshot.GetProperty("completeness").GetProperty("missing").GetInt32());
        }

        // The late commune reports after the close: it counts live, as late.
        var lateBody = Season.Annual(2024, 2499, kdcTotal: 10, kdcSafe: 10, modelsEffective: 1, mediationCases: 10, mediationSuccess: 9);
        lateBody["values"]!["ORG_TOTAL"] = 5;
        lateBody["values"]!["ORG_SAFE"] = 5;
        var lateReport = await Season.SubmitAsync(lateOfficer, late, Y, lateBody);
        Assert.False(lateReport.GetProperty("onTime").GetBoolean());
        counted[late] = (15, 15);

        // Each district accepts its communes, submits its consolidated draft, and PV01 accepts the district.
        foreach (var (district, communes) in districts)
        {
            foreach (var commune in communes.Where(counted.ContainsKey)) await Season.AcceptAsync(officers[district], commune, Y);
            await Season.ResubmitAsync(officers[district], district, Y);
            await Season.AcceptAsync(pv01, district, Y);
        }

        // PV01 scores the districts: nine at 85 (Khá), one at 60 (Trung bình).
        foreach (var (district, i) in districts.Select((x, i) => (x.Code, i)))
        {
            var scores = i == 9 ? new Dictionary<string, decimal> { ["H1"] = 30, ["H2"] = 30 } : new Dictionary<string, decimal> { ["H1"] = 45, ["H2"] = 40 };
            var scored = await Season.PutAsync(pv01, $"api/classifications/{district}/2024/evaluation", new { approvedScores = scores });
            Assert.Equal(i == 9 ? "TrungBinh" : "Kha", scored.GetProperty("class").GetString());
        }

        // The districts' deadline passes: the province closes with all ten on time.
        platform.Clock.AdvanceTo(At("2024-12-01").AddMinutes(1));
        var closed = await Season.SnapshotAsync(pv01, Province, Y);
        Assert.Equal(At("2024-12-01"), closed.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(10, closed.GetProperty("completeness").GetProperty("onTime").GetInt32());

        // The targets against what was achieved, at the plan's level (the districts, which report to the province):
        // Khá or above 9 of 10 = 90 %, not "trên 90 %"; safe units from the districts' accepted reports.
        var expectedSafe = counted.Values.Sum(v => v.Safe) * 100m / counted.Values.Sum(v => v.Total);
        JsonElement summary = default;
        await Eventually.UntilAsync(async () =>
        {
            summary = await Season.GetAsync(pv01, $"api/classifications/{Province}/2024/summary");
            return summary.GetProperty("classified").GetInt32() == 10
                && summary.GetProperty("targets").EnumerateArray().All(t => t.GetProperty("achieved").ValueKind == JsonValueKind.Number);
        }, TimeSpan.FromSeconds(60), "the province summary with ten classified districts and both targets judged");
        var judged = summary.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("indicator").GetString()!);
        Assert.Equal(90m, judged["PCT_KHA_TRO_LEN"].GetProperty("achieved").GetDecimal());
        Assert.False(judged["PCT_KHA_TRO_LEN"].GetProperty("attained").GetBoolean());
        Assert.Equal(0m, judged["PCT_KHA_TRO_LEN"].GetProperty("gap").GetDecimal());
        Assert.Equal(Math.Round(expectedSafe, 2), Math.Round(judged["PCT_UNITS_SAFE"].GetProperty("achieved").GetDecimal(), 2));
        Assert.Equal(expectedSafe > 90m, judged["PCT_UNITS_SAFE"].GetProperty("attained").GetBoolean());
        Assert.Equal(planId, judged["PCT_UNITS_SAFE"].GetProperty("planId").GetString());
    }
}
