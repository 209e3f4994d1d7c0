using Antq.Classification.Api.Evaluations;
using Antq.Classification.Api.ScoreSheets;
using Antq.Classification.Api.Units;

namespace Antq.Classification.Tests;

public sealed class SafeStandardTests
{
    static readonly SafeStandard Commune = Defaults.Safe(2031, SubjectKinds.Commune)!;

    [Fact]
    public void The_default_lists_are_labelled_defaults_and_name_the_documented_criteria()
    {
        var area = Defaults.Safe(2031, SubjectKinds.ResidentialArea)!;
        Assert.True(area.IsDefault);
        Assert.Equal(Defaults.Note, area.Note);
        Assert.Contains(area.Criteria, c => c.Name.StartsWith("100% hộ gia đình đăng ký", StringComparison.Ordinal));
        Assert.Contains(Commune.Criteria, c => c.When is { Indicator: "MODELS_EFFECTIVE", Comparator: ">=", Value: 1 });
        Assert.Contains(Commune.Criteria, c => c.Name.Contains("bị xử lý kỷ luật"));
        Assert.Empty(SafeAssessment.Validate(area));
        Assert.Empty(SafeAssessment.Validate(Commune));
    }

    [Fact]
    public void A_unit_is_recognised_only_when_every_criterion_holds()
    {
        var marks = new Dictionary<string, bool> { ["AT2"] = true, ["AT3"] = true };
        var values = new Dictionary<string, decimal> { ["MODELS_EFFECTIVE"] = 1 };
        Assert.True(SafeAssessment.Assess(Commune, marks, values).Recognised);

        var disciplined = SafeAssessment.Assess(Commune, new Dictionary<string, bool> { ["AT2"] = false, ["AT3"] = true }, values);
        Assert.False(disciplined.Recognised);
        Assert.Equal("Không đạt tiêu chí AT2: Không có cán bộ, chiến sĩ Công an xã, phường, đặc khu bị xử lý kỷ luật.", Assert.Single(disciplined.Unmet));

        var noModel = SafeAssessment.Assess(Commune, marks, new Dictionary<string, decimal> { ["MODELS_EFFECTIVE"] = 0 });
        Assert.False(noModel.Recognised);
        Assert.Contains("AT1", Assert.Single(noModel.Unmet));
    }

    [Fact]
    public void A_criterion_read_from_a_report_that_is_missing_does_not_hold()
    {
        var assessment = SafeAssessment.Assess(Commune, new Dictionary<string, bool> { ["AT2"] = true, ["AT3"] = true }, new Dictionary<string, decimal>());
        Assert.False(assessment.Recognised);
        Assert.Null(assessment.Criteria.Single(c => c.Criterion.Code == "AT1").Holds);
        Assert.Contains("Chưa có số liệu MODELS_EFFECTIVE", Assert.Single(assessment.Unmet));
    }

    [Fact]
    public void An_empty_list_is_refused_and_recognises_nobody()
    {
        var empty = new SafeStandard { Year = 2031, SubjectKind = SubjectKinds.Commune, Criteria = [] };
        Assert.Contains("criteria", SafeAssessment.Validate(empty).Keys);
        Assert.False(SafeAssessment.Assess(empty, new Dictionary<string, bool>(), new Dictionary<string, decimal>()).Recognised);
    }

    [Theory]
    [InlineData("2027-03-31T23:59:59+07:00", true)]
    [InlineData("2027-03-31T16:59:59+00:00", true)]
    [InlineData("2027-03-31T17:00:00+00:00", false)]
    [InlineData("2027-04-01T00:00:00+07:00", false)]
    [InlineData("2026-11-23T10:00:00+07:00", true)]
    public void Registration_stays_open_to_the_end_of_the_last_day_Vietnam_time(string now, bool open)
    {
        Assert.Equal(open, SafeRegistration.IsOpen(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), new DateOnly(2027, 3, 31)));
    }
}
