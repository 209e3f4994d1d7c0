using Antq.Classification.Api.Evaluations;
using Antq.Classification.Api.ScoreSheets;
using Antq.Classification.Api.Units;

namespace Antq.Classification.Tests;

public sealed class ScoreSheetValidatorTests
{
    [Theory]
    [InlineData("Commune")]
    [InlineData("AgencyEnterpriseSchool")]
    public void The_shipped_default_sheets_are_valid_add_up_to_100_and_are_labelled_as_defaults_not_law(string kind)
    {
        var sheet = Defaults.Sheet(2031, kind)!;

        Assert.Empty(ScoreSheetValidator.Validate(sheet));
        Assert.Equal(100m, sheet.Criteria.Sum(c => c.Max));
        Assert.True(sheet.IsDefault);
        Assert.Equal("Mặc định của hệ thống, cần quản trị viên xác nhận; không phải quy định pháp luật", sheet.Note);
        Assert.Equal(new ClassCutoffs(90, 70, 50), sheet.Cutoffs);
        Assert.Equal("30/11", sheet.ReviewDeadline);
    }

    [Fact]
    public void The_default_commune_sheet_computes_the_share_of_safe_residential_areas_from_the_report()
    {
        var tc4 = Defaults.Sheet(2031, SubjectKinds.Commune)!.Find("TC4")!;
        Assert.Equal("PCT_KDC_SAFE", tc4.Rule!.Indicator);
        Assert.Equal(20m, tc4.Rule.Score(tc4.Max, new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = 80 }));
    }

    [Fact]
    public void No_default_sheet_is_shipped_for_residential_areas_or_districts_but_their_review_deadlines_are()
    {
        Assert.Null(Defaults.Sheet(2031, SubjectKinds.ResidentialArea));
        Assert.Null(Defaults.Sheet(2031, SubjectKinds.District));
        Assert.Equal("20/11", Defaults.ReviewDeadline(SubjectKinds.ResidentialArea));
        Assert.Equal("15/12", Defaults.ReviewDeadline(SubjectKinds.District));
    }

    static ScoreSheet With(IReadOnlyList<Criterion> criteria, ClassCutoffs? cutoffs = null, IReadOnlyList<Disqualifier>? disqualifiers = null) => new()
    {
        Year = 2031, SubjectKind = SubjectKinds.Commune, Criteria = criteria, Cutoffs = cutoffs ?? Defaults.Cutoffs, Disqualifiers = disqualifiers ?? [],
    };

    [Fact]
    public void A_sheet_that_does_not_add_up_to_100_is_refused()
    {
        var errors = ScoreSheetValidator.Validate(With([new("A", "A", 50), new("B", "B", 45)]));
        Assert.Equal("Tổng điểm tối đa của các tiêu chí phải bằng 100 (hiện là 95).", Assert.Single(errors["criteria"]));

        Assert.Contains("hiện là 101", ScoreSheetValidator.Validate(With([new("A", "A", 50), new("B", "B", 51)]))["criteria"].Single());
        Assert.Empty(ScoreSheetValidator.Validate(With([new("A", "A", 50.5m), new("B", "B", 49.5m)])));
    }

    [Fact]
    public void Duplicate_codes_non_positive_maxima_and_bad_rules_are_refused_by_field()
    {
        var errors = ScoreSheetValidator.Validate(With(
        [
            new("A", "A", 60),
            new("A", "A bis", 40),
            new("B", "B", 0, new ScoreRule("pct kdc", "sometimes", "!=", 0)),
        ]));

        Assert.Contains("criteria[1].code", errors.Keys);
        Assert.Contains("criteria[2].max", errors.Keys);
        Assert.Contains("criteria[2].rule.indicator", errors.Keys);
        Assert.Contains("criteria[2].rule.method", errors.Keys);
        Assert.Contains("criteria[2].rule.comparator", errors.Keys);
    }

    [Theory]
    [InlineData(90, 90, 50)]
    [InlineData(70, 90, 50)]
    [InlineData(101, 70, 50)]
    [InlineData(90, 70, 0)]
    public void Cutoffs_must_descend_within_0_to_100(double xuatSac, double kha, double trungBinh)
    {
        var errors = ScoreSheetValidator.Validate(With([new("A", "A", 100)], new ClassCutoffs((decimal)xuatSac, (decimal)kha, (decimal)trungBinh)));
        Assert.Contains("cutoffs", errors.Keys);
    }

    [Fact]
    public void A_disqualifier_cannot_cap_at_Xuat_sac_or_an_unknown_class()
    {
        var errors = ScoreSheetValidator.Validate(With([new("A", "A", 100)], disqualifiers:
        [
            new Disqualifier("D1", "Điều kiện 1", MovementClass.XuatSac),
            new Disqualifier("D2", "Điều kiện 2", "Gioi"),
            new Disqualifier("D3", "Điều kiện 3", MovementClass.Yeu),
        ]));
        Assert.Equal(["disqualifiers[0].capClass", "disqualifiers[1].capClass"], errors.Keys.Order());
    }
}
