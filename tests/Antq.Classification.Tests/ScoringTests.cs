using Antq.Classification.Api.Evaluations;
using Antq.Classification.Api.ScoreSheets;
using Antq.Classification.Api.Units;

namespace Antq.Classification.Tests;

public sealed class ScoringTests
{
    static readonly Dictionary<string, decimal> NoValues = [];
    static readonly Dictionary<string, bool> NoMarks = [];

    /// <summary>Two hand criteria (40 + 40) and one computed (20, full marks when PCT_KDC_SAFE >= 80).</summary>
    static ScoreSheet Sheet(IReadOnlyList<Disqualifier>? disqualifiers = null, ScoreRule? rule = null) => new()
    {
        Year = 2031, SubjectKind = SubjectKinds.Commune, Cutoffs = Defaults.Cutoffs,
        Criteria =
        [
            new("A", "Tiêu chí A", 40),
            new("B", "Tiêu chí B", 40),
            new("C", "Tỷ lệ khu dân cư an toàn", 20, rule ?? new ScoreRule("PCT_KDC_SAFE", ScoreRule.Threshold, ">=", 80)),
        ],
        Disqualifiers = disqualifiers ?? [],
    };

    static Dictionary<string, decimal> Scores(decimal a, decimal b) => new() { ["A"] = a, ["B"] = b };

    [Theory]
    [InlineData(40, 30, 90, "XuatSac")]
    [InlineData(40, 29.99, 89.99, "Kha")]
    [InlineData(30, 20, 70, "Kha")]
    [InlineData(30, 19.99, 69.99, "TrungBinh")]
    [InlineData(20, 10, 50, "TrungBinh")]
    [InlineData(20, 9.99, 49.99, "Yeu")]
    [InlineData(0, 0, 20, "Yeu")]
    public void The_class_follows_the_default_cutoffs_on_the_approved_total_with_the_computed_criterion(double a, double b, double total, string expected)
    {
        var scored = Scoring.Score(Sheet(), NoValues, Scores((decimal)a, (decimal)b), NoMarks, new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = 85 });

        Assert.True(scored.ApprovedComplete);
        Assert.Equal((decimal)total, scored.ApprovedTotal);
        Assert.Equal(expected, scored.Class);
        Assert.Equal(20m, scored.Criteria.Single(c => c.Criterion.Code == "C").Computed);
    }

    [Fact]
    public void A_threshold_criterion_gives_full_marks_from_the_threshold_and_none_below_it()
    {
        Assert.Equal(20m, Scoring.Score(Sheet(), NoValues, Scores(40, 40), NoMarks, new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = 80 }).Criteria[2].Computed);
        var below = Scoring.Score(Sheet(), NoValues, Scores(40, 40), NoMarks, new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = 79.99m });
        Assert.Equal(0m, below.Criteria[2].Computed);
        Assert.Equal(80m, below.ApprovedTotal);
        Assert.Equal(MovementClass.Kha, below.Class);
    }

    [Theory]
    [InlineData(40, 10)]
    [InlineData(60, 15)]
    [InlineData(80, 20)]
    [InlineData(100, 20)]
    [InlineData(0, 0)]
    [InlineData(33.333, 8.33)]
    public void A_proportional_criterion_scores_the_share_of_its_full_mark_value_capped_at_the_maximum(double value, double expected)
    {
        var sheet = Sheet(rule: new ScoreRule("PCT_KDC_SAFE", ScoreRule.Proportional, ">=", 80));
        var scored = Scoring.Score(sheet, NoValues, Scores(40, 40), NoMarks, new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = (decimal)value });
        Assert.Equal((decimal)expected, scored.Criteria[2].Computed);
    }

    [Fact]
    public void Without_the_accepted_annual_report_a_computed_criterion_has_no_score_and_the_unit_no_class()
    {
        var scored = Scoring.Score(Sheet(), Scores(40, 40), Scores(40, 40), NoMarks, NoValues);

        Assert.Null(scored.Criteria[2].Computed);
        Assert.False(scored.ApprovedComplete);
        Assert.Null(scored.Class);
        Assert.Contains(scored.Missing, m => m.Contains("PCT_KDC_SAFE") && m.Contains("báo cáo tổng kết năm"));
    }

    [Fact]
    public void Self_scores_alone_never_decide_the_class()
    {
        var values = new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = 90 };
        var scored = Scoring.Score(Sheet(), Scores(40, 40), new Dictionary<string, decimal> { ["A"] = 40 }, NoMarks, values);

        Assert.Equal(100m, scored.SelfTotal);
        Assert.True(scored.SelfComplete);
        Assert.False(scored.ApprovedComplete);
        Assert.Null(scored.Class);
        Assert.Contains(scored.Missing, m => m.Contains("Tiêu chí B") && m.Contains("cấp trên"));
    }

    [Fact]
    public void A_disqualifier_marked_by_the_approving_level_caps_the_class()
    {
        var sheet = Sheet([new Disqualifier("DK1", "Để xảy ra trọng án", MovementClass.TrungBinh)]);
        var values = new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = 90 };

        var marked = Scoring.Score(sheet, NoValues, Scores(40, 40), new Dictionary<string, bool> { ["DK1"] = true }, values);
        Assert.Equal(MovementClass.XuatSac, marked.ClassByScore);
        Assert.Equal(MovementClass.TrungBinh, marked.Class);

        var cleared = Scoring.Score(sheet, NoValues, Scores(40, 40), new Dictionary<string, bool> { ["DK1"] = false }, values);
        Assert.Equal(MovementClass.XuatSac, cleared.Class);
    }

    [Fact]
    public void A_disqualifier_read_from_the_report_caps_the_class_and_never_raises_a_worse_one()
    {
        var sheet = Sheet([new Disqualifier("DK2", "Có điểm nóng về an ninh, trật tự", MovementClass.Kha, new IndicatorCondition("HOTSPOTS", ">", 0))]);

        var hot = Scoring.Score(sheet, NoValues, Scores(40, 40), NoMarks, new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = 90, ["HOTSPOTS"] = 2 });
        Assert.Equal(MovementClass.Kha, hot.Class);
        Assert.True(hot.Disqualifiers.Single().Applies);

        var calm = Scoring.Score(sheet, NoValues, Scores(40, 40), NoMarks, new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = 90, ["HOTSPOTS"] = 0 });
        Assert.Equal(MovementClass.XuatSac, calm.Class);

        var weak = Scoring.Score(sheet, NoValues, Scores(10, 10), NoMarks, new Dictionary<string, decimal> { ["PCT_KDC_SAFE"] = 0, ["HOTSPOTS"] = 2 });
        Assert.Equal(MovementClass.Yeu, weak.Class);
    }

    [Fact]
    public void Scores_outside_zero_to_the_maximum_are_refused_per_criterion_in_Vietnamese()
    {
        var errors = new Dictionary<string, List<string>>();
        Scoring.CheckScores(Sheet(), new Dictionary<string, decimal?> { ["A"] = 41, ["B"] = -1, ["C"] = 10, ["Z"] = 1, }, "Điểm tự chấm", errors);

        Assert.Equal(["A", "B", "C", "Z"], errors.Keys.Order());
        Assert.Equal("Điểm tự chấm của tiêu chí A \"Tiêu chí A\" phải từ 0 đến 40 điểm (đã nhập 41).", errors["A"].Single());
        Assert.Contains("phải từ 0 đến 40 điểm", errors["B"].Single());
        Assert.Contains("được tính tự động", errors["C"].Single());
        Assert.Contains("không có tiêu chí Z", errors["Z"].Single());
    }

    [Fact]
    public void Scores_at_zero_and_at_the_maximum_and_cleared_scores_are_accepted()
    {
        var errors = new Dictionary<string, List<string>>();
        Scoring.CheckScores(Sheet(), new Dictionary<string, decimal?> { ["A"] = 0, ["B"] = 40 }, "Điểm của cấp trên", errors);
        Scoring.CheckScores(Sheet(), new Dictionary<string, decimal?> { ["A"] = null }, "Điểm của cấp trên", errors);
        Assert.Empty(errors);
    }
}
