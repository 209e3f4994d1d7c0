using System.Text;
using System.Text.Json;
using Antq.Testing;

namespace Antq.Journeys;

/// <summary>
/// The season of the real plan of Tuyên Quang for 2022 (<c>../shared/data/plans/2022-tuyen-quang-province.txt</c>), in
/// the three-tier era, on the clock of 2022: read into a draft, issued under the resolution it cites, deadlines for its
/// 7 districts and 137 communes, both periods reported and closed at the deadlines the seed sets (six-month before
/// 25/5, annual before 15/12), and its one target — every commune with at least one effective self-management model —
/// compared with what the communes reported.
/// </summary>
public sealed class TuyenQuang2022() : JourneyPlatform(new DateTimeOffset(2022, 1, 10, 9, 0, 0, TimeSpan.FromHours(7)));

public sealed class TuyenQuangSeasonTests(TuyenQuang2022 platform) : IClassFixture<TuyenQuang2022>
{
    const string Province = "08";
    const string H1 = "2022-H1";
    const string Y = "2022-Y";
    static DateTimeOffset At(string date) => JourneyPlatform.VietnamMidnight(date);

    [Fact]
    public async Task The_2022_plan_of_Tuyen_Quang_read_issued_reported_closed_and_its_model_target_compared()
    {
        var province = await platform.ImportProvinceAsync("units-2025-06-three-tier.json", Province, "2020-01-01");
        var districts = province["District"]!.AsArray()
            .Select(d => (Code: (string)d!["Code"]!, Communes: d["Ward"]!.AsArray().Select(w => (string)w!["Code"]!).ToList())).ToList();
        Assert.Equal(7, districts.Count);
        Assert.Equal(137, districts.Sum(d => d.Communes.Count));

        // The text, read into a draft: the seed's parent, deadlines, the due date of the implementing plans and the target.
        var text = await File.ReadAllTextAsync(TestEnvironment.SharedFile("data", "plans", "2022-tuyen-quang-province.txt"));
        using var drafted = await platform.Admin.PostAsync("api/plans/drafts/from-text", new StringContent(text, Encoding.UTF8, "text/plain"));
        var draft = await Season.OkAsync(drafted, "draft");
        Assert.Equal(2022, draft.GetProperty("year").GetInt32());
        Assert.Equal("Nghị quyết số 55-NQ/TU, ngày 22/12/2021", Assert.Single(draft.GetProperty("parentReferences").EnumerateArray()).GetString());
        var deadlines = draft.GetProperty("deadlines").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(new Dictionary<string, string> { [H1] = "2022-05-25", [Y] = "2022-12-15" }, deadlines);
        Assert.Equal("2022-03-30", draft.GetProperty("implementingPlansDue").GetString());
        var target = Assert.Single(draft.GetProperty("targets").EnumerateArray());
        Assert.Equal(("MODELS_EFFECTIVE", ">=", 1m, "each commune"),
            (target.GetProperty("indicator").GetString(), target.GetProperty("comparator").GetString(), target.GetProperty("value").GetDecimal(), target.GetProperty("scope").GetString()));

        // The resolution it cites is the provincial Party committee's, which is no unit of the tree: the Ministry's
        // plan with its number and date stands in for it as the parent.
        var parent = await Season.PostAsync(platform.Admin, "api/plans", new
        {
            number = "55-NQ/TU", title = "Nghị quyết về công tác bảo đảm an ninh, trật tự năm 2022", issuedOn = "2021-12-22", issuerCode = "BCA", year = 2022,
        });
        await Season.PostAsync(platform.Admin, $"api/plans/{parent.GetProperty("id").GetString()}/issue", null);
        // The target is per commune ("mỗi xã, phường, thị trấn"), a scope plans cannot hold at a province: it is compared
        // below from the communes' own reports, and the plan is issued with the deadlines.
        var created = await Season.PostAsync(platform.Admin, "api/plans", new
        {
            number = "02/KH-BCĐ (thử nghiệm)", title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2022",
            issuedOn = "2022-01-10", issuerCode = Province, year = 2022, parentPlanId = parent.GetProperty("id").GetString(), deadlines,
            implementingPlansDueOn = "2022-03-30",
        });
        await Season.PostAsync(platform.Admin, $"api/plans/{created.GetProperty("id").GetString()}/issue", null);

        var (district0, communes0) = districts[0];
        Assert.Equal(At("2022-12-15"), (await Season.GetAsync(platform.Admin, $"api/deadlines/{district0}/{Y}")).GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(At("2022-12-10"), (await Season.GetAsync(platform.Admin, $"api/deadlines/{communes0[0]}/{Y}")).GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(At("2022-05-20"), (await Season.GetAsync(platform.Admin, $"api/deadlines/{communes0[0]}/{H1}")).GetProperty("dueAt").GetDateTimeOffset());

        var pv01 = await platform.UserAsync("pv01.tuyenquang", "ProvinceOfficer", Province);
        var huyen = await platform.UserAsync($"huyen{district0}.tuyenquang", "DistrictOfficer", district0);
        await Eventually.UntilAsync(async () =>
        {
            var board = await Season.GetAsync(huyen, $"api/rollups/{district0}/{H1}/children");
            return board.GetProperty("children").EnumerateArray().All(r => r.GetProperty("dueAt").ValueKind == JsonValueKind.String);
        }, TimeSpan.FromSeconds(60), "Reporting's copy of the communes' deadlines");

        // Six months: the communes of the first district report by 20/5 but the last, which reports on 22/5.
        platform.Clock.AdvanceTo(new DateTimeOffset(2022, 5, 16, 9, 0, 0, TimeSpan.FromHours(7)));
        foreach (var (commune, i) in communes0.SkipLast(1).Select((c, i) => (c, i)))
            await Season.SubmitAsync(platform.Admin, commune, H1, Season.Report(H1, 2200 + i));
        platform.Clock.AdvanceTo(new DateTimeOffset(2022, 5, 22, 9, 0, 0, TimeSpan.FromHours(7)));
        var h1District = await Season.SnapshotAsync(pv01, district0, H1);
        Assert.Equal(At("2022-05-20"), h1District.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(communes0.Count - 1, h1District.GetProperty("completeness").GetProperty("onTime").GetInt32());
        Assert.Equal([communes0[^1]], h1District.GetProperty("missingCodes").EnumerateArray().Select(c => c.GetString()));
        var lateH1 = await Season.SubmitAsync(platform.Admin, communes0[^1], H1, Season.Report(H1, 2299));
        Assert.False(lateH1.GetProperty("onTime").GetBoolean());
        // The district sends its consolidated report on time; the province closes on 25/5 with it alone.
        await Season.ResubmitAsync(huyen, district0, H1);
        platform.Clock.AdvanceTo(At("2022-05-25").AddMinutes(1));
        var h1Province = await Season.SnapshotAsync(pv01, Province, H1);
        Assert.Equal(At("2022-05-25"), h1Province.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(1, h1Province.GetProperty("completeness").GetProperty("onTime").GetInt32());
        Assert.Equal(6, h1Province.GetProperty("completeness").GetProperty("missing").GetInt32());

        // The year: every commune reports by 10/12 but one of Yên Sơn; three communes of Hàm Yên have no effective model.
        platform.Clock.AdvanceTo(new DateTimeOffset(2022, 12, 5, 9, 0, 0, TimeSpan.FromHours(7)));
        var missing = districts.Single(d => d.Code == "075").Communes[0];
        var noModel = districts.Single(d => d.Code == "074").Communes.Take(3).ToHashSet();
        var sent = 0m;
        foreach (var (district, communes) in districts)
        {
            foreach (var (commune, i) in communes.Select((c, i) => (c, i)))
            {
                if (commune == missing) continue;
                var models = noModel.Contains(commune) ? 0 : 1 + i % 3;
                await Season.SubmitAsync(platform.Admin, commune, Y,
                    Season.Annual(2022, 2300 + i, kdcTotal: 12, kdcSafe: 11, modelsEffective: models, mediationCases: 8, mediationSuccess: 7));
                sent += models;
            }
        }

        platform.Clock.AdvanceTo(At("2022-12-10").AddMinutes(1));
        var yenSon = await Season.SnapshotAsync(pv01, "075", Y);
        Assert.Equal([missing], yenSon.GetProperty("missingCodes").EnumerateArray().Select(c => c.GetString()));

        // The target, at the plan's level: every commune of the province with at least one effective model.
        var province2022 = await Season.GetAsync(pv01, $"api/rollups/{Province}/{Y}");
        Assert.Equal(sent, Season.Value(province2022, "MODELS_EFFECTIVE"));
        var without = new List<string>();
        foreach (var commune in districts.SelectMany(d => d.Communes))
        {
            var rollup = await Season.GetAsync(pv01, $"api/rollups/{commune}/{Y}");
            if (Season.Value(rollup, "MODELS_EFFECTIVE") < 1) without.Add(commune);
        }

        Assert.Equal(noModel.Append(missing).Order(), without.Order());
        Assert.Equal(133, 137 - without.Count); // 133 of 137 communes meet "≥ 1 mô hình hiệu quả": the target is not met

        // The province closes at 15/12 once the districts' deadline passes.
        platform.Clock.AdvanceTo(At("2022-12-15").AddMinutes(1));
        var closed = await Season.SnapshotAsync(pv01, Province, Y);
        Assert.Equal(At("2022-12-15"), closed.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(7, closed.GetProperty("completeness").GetProperty("expected").GetInt32());
    }
}
