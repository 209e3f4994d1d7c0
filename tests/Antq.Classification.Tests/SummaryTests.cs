using System.Text.Json;
using Antq.Classification.Api.Evaluations;
using Antq.Classification.Api.ScoreSheets;
using Antq.Classification.Api.Units;

namespace Antq.Classification.Tests;

public sealed class SummaryTests
{
    static SummaryChild Commune(string code, string? @class, bool? recognised = null, Dictionary<string, decimal>? values = null) =>
        new(code, code, SubjectKinds.Commune, @class, recognised is not null, recognised, values);

    [Fact]
    public void Classes_and_the_share_Kha_or_above_count_only_classified_units()
    {
        List<SummaryChild> children =
        [
            Commune("1", MovementClass.XuatSac), Commune("2", MovementClass.Kha), Commune("3", MovementClass.Kha),
            Commune("4", MovementClass.TrungBinh), Commune("5", null),
        ];
        var summary = Summary.Of(children);

        Assert.Equal(5, summary.Units);
        Assert.Equal(4, summary.Classified);
        Assert.Equal(1, summary.Unclassified);
        Assert.Equal(75m, summary.PctKhaTroLen);
        Assert.Equal(75m, summary.Indicators["PCT_KHA_TRO_LEN"]);
        Assert.Equal(2, summary.Indicators["CLS_KHA"]);
        Assert.Equal(0, summary.Indicators["CLS_YEU"]);
        Assert.Equal(
            new Dictionary<string, int> { ["CLS_XUAT_SAC"] = 1, ["CLS_KHA"] = 2, ["CLS_TRUNG_BINH"] = 1, ["CLS_YEU"] = 0 },
            summary.ReportCounts(children));
    }

    [Fact]
    public void With_nothing_classified_the_share_has_no_value_rather_than_zero()
    {
        var summary = Summary.Of([Commune("1", null)]);
        Assert.Null(summary.PctKhaTroLen);
        Assert.False(summary.Indicators.ContainsKey("PCT_KHA_TRO_LEN"));
    }

    [Fact]
    public void Below_a_commune_the_safe_counts_are_the_recognitions_of_its_residential_areas_and_organisations()
    {
        List<SummaryChild> children =
        [
            new("T1", "Thôn 1", SubjectKinds.ResidentialArea, MovementClass.Kha, true, true, null),
            new("T2", "Thôn 2", SubjectKinds.ResidentialArea, null, true, false, null),
            new("T3", "Thôn 3", SubjectKinds.ResidentialArea, null, false, null, null),
            new("TH", "Trường học", SubjectKinds.AgencyEnterpriseSchool, null, true, true, null),
        ];
        var summary = Summary.Of(children);

        Assert.Equal(1, summary.Indicators["KDC_SAFE"]);
        Assert.Equal(1m / 3m * 100m, summary.Indicators["PCT_KDC_SAFE"]);
        Assert.Equal(1, summary.Indicators["ORG_SAFE"]);
        Assert.Equal(50m, summary.Indicators["PCT_UNITS_SAFE"]);
        Assert.Equal(3, summary.Registered);
        Assert.Equal(2, summary.Recognised);
        Assert.Equal(1, summary.NotRecognised);
        Assert.Equal(50m, summary.PctSafe);
        var counts = summary.ReportCounts(children);
        Assert.Equal(1, counts["KDC_SAFE"]);
        Assert.Equal(1, counts["ORG_SAFE"]);
    }

    [Fact]
    public void Below_a_province_the_safe_shares_come_from_the_communes_accepted_annual_reports()
    {
        List<SummaryChild> children =
        [
            Commune("1", MovementClass.Kha, true, new() { ["KDC_SAFE"] = 9, ["KDC_TOTAL"] = 10, ["ORG_SAFE"] = 1, ["ORG_TOTAL"] = 2 }),
            Commune("2", MovementClass.Kha, false, new() { ["KDC_SAFE"] = 5, ["KDC_TOTAL"] = 10 }),
            Commune("3", null),
        ];
        var summary = Summary.Of(children);

        Assert.Equal(14, summary.Indicators["KDC_SAFE"]);
        Assert.Equal(70m, summary.Indicators["PCT_KDC_SAFE"]);
        Assert.Equal(50m, summary.Indicators["PCT_ORG_SAFE"]);
        Assert.Equal(15m / 22m * 100m, summary.Indicators["PCT_UNITS_SAFE"]);
        Assert.Equal(1m / 3m * 100m, summary.PctSafe);
        Assert.False(summary.ReportCounts(children).ContainsKey("KDC_SAFE"));
    }

    [Theory]
    [InlineData(">", 80, 80, false, 0)]
    [InlineData(">", 80, 80.5, true, 0.5)]
    [InlineData(">=", 87.5, 87.5, true, 0)]
    [InlineData(">=", 87.5, 80, false, -7.5)]
    [InlineData("<=", 0, 2, false, 2)]
    public void A_target_is_judged_by_its_comparator_with_the_gap_achieved_minus_target(string comparator, double target, double achieved, bool attained, double gap)
    {
        var verdict = TargetVerdict.Judge(comparator, (decimal)target, (decimal)achieved);
        Assert.Equal(attained, verdict.Attained);
        Assert.Equal((decimal)gap, verdict.Gap);
    }

    [Fact]
    public void A_target_without_an_achieved_value_has_no_verdict()
    {
        Assert.Equal(new TargetVerdict(null, null, null), TargetVerdict.Judge(">", 80, null));
        Assert.True(TargetVerdict.Judges("PCT_KHA_TRO_LEN"));
        Assert.True(TargetVerdict.Judges("PCT_UNITS_SAFE"));
        Assert.False(TargetVerdict.Judges("FORUMS"));
    }

    [Fact]
    public void Report_values_survive_the_wire_as_MassTransit_writes_them()
    {
        // MassTransit writes decimals as strings; a reader of the raw JSON that looked for numbers found none.
        var sent = new Antq.Contracts.Reporting.ReportAccepted
        {
            ReportId = Guid.NewGuid(), OrgUnitCode = "X", Period = "2025-Y", AcceptedBy = "pv01", OccurredAt = DateTimeOffset.UnixEpoch,
            Values = new Dictionary<string, decimal?> { ["PCT_KDC_SAFE"] = 82.5m, ["PLAN_ISSUED"] = 1, ["HOTSPOTS"] = null },
        };
        var json = JsonSerializer.Serialize(sent, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.String, doc.RootElement.GetProperty("values").GetProperty("PCT_KDC_SAFE").ValueKind);

        var received = JsonSerializer.Deserialize<Antq.Contracts.Reporting.ReportAccepted>(json, MassTransit.Serialization.SystemTextJsonMessageSerializer.Options)!;
        Assert.Equal(82.5m, received.Values!["PCT_KDC_SAFE"]);
        Assert.Equal(1m, received.Values["PLAN_ISSUED"]);
        Assert.Null(received.Values["HOTSPOTS"]);
    }
}
