using Antq.Portal.Api;
using Antq.Portal.Components.Charts;

namespace Antq.Portal.Tests;

/// <summary>The charts' models: the numbers and positions the SVG draws and the tables beside them print.</summary>
public sealed class ChartTests
{
    static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    static DateTimeOffset At(int month, int day, int hour = 9) => new(2026, month, day, hour, 0, 0, Vn);

    [Fact]
    public void Submissions_add_up_day_by_day_and_the_deadline_is_drawn_where_it_falls_on_the_axis()
    {
        var submissions = new[]
        {
            new Submission(At(12, 1), false), new Submission(At(12, 1, 15), false), new Submission(At(12, 3), false),
            new Submission(At(12, 16), true),
        };
        var deadline = At(12, 15, 0);
        var chart = SubmissionProgress.Build(submissions, expected: 10, deadline, now: At(12, 20))!;

        Assert.False(chart.Hourly);
        Assert.Equal(16, chart.Steps.Count); // 01/12 … 16/12
        Assert.Equal([2, 2, 3], chart.Steps.Take(3).Select(s => s.Cumulative));
        Assert.Equal(3, chart.Steps.Single(s => s.Label == "14/12").Cumulative);
        Assert.Equal(4, chart.Steps[^1].Cumulative);
        Assert.Equal(1, chart.Steps[^1].LateCumulative);
        Assert.Equal(4, chart.Submitted);
        // The deadline (00:00 on 15/12) is the start of the 15th step: 14 of 16 steps along the plot.
        var plot = ChartScale.Width - SubmissionProgress.Left - SubmissionProgress.Right;
        Assert.Equal(SubmissionProgress.Left + plot * 14 / 16, chart.DeadlineX!.Value, 3);
        // The axis holds the units expected, on round steps.
        Assert.Equal(10m, chart.YTop);
        Assert.Equal(SubmissionProgress.Top, chart.Y(10), 3);
    }

    [Fact]
    public void An_open_period_runs_the_axis_to_its_deadline_but_draws_the_line_only_up_to_now()
    {
        var chart = SubmissionProgress.Build([new Submission(At(12, 1), false), new Submission(At(12, 2), false)], 5, At(12, 15, 0), now: At(12, 9))!;

        Assert.Equal(15, chart.Steps.Count); // 01/12 … 15/12
        Assert.NotNull(chart.DeadlineX);
        var lastX = chart.Line.Split(' ').Select(p => double.Parse(p.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).Max();
        Assert.Equal(chart.X(8), lastX, 1); // the end of 09/12, the ninth step
        Assert.True(lastX < chart.DeadlineX);
    }

    [Fact]
    public void Within_two_days_the_axis_is_by_hour()
    {
        var chart = SubmissionProgress.Build([new Submission(At(12, 14, 8), false), new Submission(At(12, 14, 10), false)], 3, At(12, 15, 0), At(12, 14, 11))!;

        Assert.True(chart.Hourly);
        Assert.Equal(17, chart.Steps.Count); // 08:00 on 14/12 … the hour the deadline (00:00 on 15/12) opens
        Assert.Equal("08h 14/12", chart.Steps[0].Label);
        Assert.Equal([1, 1, 2], chart.Steps.Take(3).Select(s => s.Cumulative));
        Assert.Equal(SubmissionProgress.Left + (ChartScale.Width - SubmissionProgress.Left - SubmissionProgress.Right) * 16 / 17, chart.DeadlineX!.Value, 3);
    }

    [Fact]
    public void Nothing_submitted_draws_no_chart() => Assert.Null(SubmissionProgress.Build([], 10, At(12, 15), At(12, 1)));

    static readonly UnitValue[] Units =
    [
        new("1", "Phường Hàm Rồng", 12, 1), new("2", "Xã Mường Lát", null, 0), new("3", "Phường Đông Sơn", 40, 1), new("4", "Xã Ái Thượng", 7, 1),
    ];

    [Fact]
    public void Bars_sort_by_value_with_units_without_a_figure_last_or_by_name()
    {
        Assert.Equal(["3", "1", "4", "2"], UnitBars.Sort(Units, BarOrder.ValueDescending).Select(u => u.Code));
        Assert.Equal(["4", "1", "3", "2"], UnitBars.Sort(Units, BarOrder.ValueAscending).Select(u => u.Code));
        // By the name as shown, Vietnamese order (Phường … before Xã …; Ái before Mường), a unit without a figure in its place.
        Assert.Equal(["3", "1", "4", "2"], UnitBars.Sort(Units, BarOrder.Name).Select(u => u.Code));
        Assert.Equal(["2", "4"], UnitBars.Sort([Units[1], Units[3] with { Name = "Xã Nậm Tăm" }], BarOrder.Name).Select(u => u.Code));
    }

    [Fact]
    public void Bars_share_one_scale_for_all_units_even_when_only_the_first_are_drawn()
    {
        var chart = UnitBars.Build(Units, BarOrder.ValueAscending, show: 2);

        Assert.Equal(4, chart.Total);
        Assert.Equal(["4", "1"], chart.Bars.Select(b => b.Unit.Code));
        Assert.Equal(40m, chart.XTop); // the largest value (40), of a unit not drawn, still sets the scale
        Assert.Equal(UnitBars.PlotWidth * 7 / 40, chart.Bars[0].Length, 3);
        Assert.Equal(UnitBars.PlotWidth * 12 / 40, chart.Bars[1].Length, 3);
        Assert.True(chart.Bars[1].Y > chart.Bars[0].Y);
        Assert.Equal(0, UnitBars.Build(Units, BarOrder.Name).Bars.Single(b => b.Unit.Code == "2").Length);
    }

    [Fact]
    public void The_trend_covers_four_periods_and_compares_each_with_the_same_period_a_year_before()
    {
        Assert.Equal(["2025-H1", "2025-Y", "2026-H1", "2026-Y"], PeriodTrend.PeriodsUpTo("2026-Y"));
        Assert.Equal(["2024-Y", "2025-H1", "2025-Y", "2026-H1"], PeriodTrend.PeriodsUpTo("2026-H1"));
        Assert.Equal("2025-H1", TrendPoint.YearBefore("2026-H1"));

        var chart = PeriodTrend.Build(
        [
            new TrendPoint("2026-H1", 120, new LastYearFigure(100, true, false, null)),
            new TrendPoint("2025-Y", 180, null),
        ]);
        Assert.Equal(["2025-Y", "2026-H1"], chart.Points.Select(p => p.Period));
        Assert.Equal(20m, chart.Points[1].ChangePercent);
        Assert.Equal(200m, chart.YTop);
        Assert.Equal(chart.Y(0) - chart.Y(120), chart.BarHeight(120), 3);
        Assert.True(chart.BarX(1, lastYear: true) < chart.BarX(1, lastYear: false));
        Assert.True(chart.AnyMapped);
        Assert.False(chart.AnyApproximate);
    }

    static MappedRollup Mapped(bool approximate, params MappedPredecessor[] predecessors) => new(
        new OrgUnitRef("14758", "Phường Hàm Rồng"), "2025-H1", new DateOnly(2025, 6, 14),
        new Dictionary<string, RollupValue> { ["TIPS_TOTAL"] = new(57, 3) }, new DateOnly(2026, 6, 14), predecessors, approximate,
        approximate ? "Có đơn vị tiền thân chỉ sáp nhập một phần" : null);

    [Fact]
    public void Last_years_figure_through_a_partial_merge_is_marked_as_an_approximation()
    {
        var partial = LastYearFigure.From(Mapped(true, new("14755", "Xã Hàm Rồng", false), new("14760", "Xã Đông Cương", true)), "TIPS_TOTAL");
        Assert.Equal(57m, partial.Value);
        Assert.True(partial.Mapped);
        Assert.True(partial.Approximate);
        Assert.Contains("một phần", partial.Note);

        var whole = LastYearFigure.From(Mapped(false, new("14755", "Xã Hàm Rồng", false), new("14756", "Xã Thiệu Dương", false)), "TIPS_TOTAL");
        Assert.True(whole.Mapped);
        Assert.False(whole.Approximate);
        Assert.Null(whole.Note);

        var itself = LastYearFigure.From(Mapped(false, new MappedPredecessor("14758", "Phường Hàm Rồng", false)), "TIPS_TOTAL");
        Assert.False(itself.Mapped);
        Assert.Null(LastYearFigure.From(Mapped(false), "KDC_TOTAL").Value);

        var chart = PeriodTrend.Build([new TrendPoint("2026-H1", 60, partial)]);
        Assert.True(chart.AnyApproximate);
    }

    [Fact]
    public void Classes_are_shares_of_all_units_with_the_plans_targets_placed_on_the_same_scale()
    {
        var chart = ClassDistribution.Build(
            [("XuatSac", "Xuất sắc", 10), ("Kha", "Khá", 20), ("TrungBinh", "Trung bình", 8), ("Yeu", "Yếu", 2)],
            unclassified: 10, pctKhaTroLen: 75m,
            [("PCT_KHA_TRO_LEN", ">=", 70m), ("CLS_XUAT_SAC", ">=", 15m)]);

        Assert.Equal(50, chart.Units);
        Assert.Equal(40, chart.Classified);
        Assert.Equal([20m, 40m, 16m, 4m, 20m], chart.Rows.Select(r => r.Percent));
        Assert.Equal("Chưa xếp loại", chart.Rows[^1].Name);
        Assert.Equal(30m, chart.Rows[0].TargetPercent); // 15 of 50 units
        Assert.Equal("≥ 15 đơn vị", chart.Rows[0].TargetText);
        Assert.Null(chart.Rows[1].TargetPercent);
        Assert.Equal(75m, chart.KhaTroLenPercent);
        Assert.Equal(70m, chart.KhaTroLenTarget);
        Assert.Equal("≥ 70%", chart.KhaTroLenTargetText);
        Assert.Equal(ClassDistribution.LabelWidth + ClassDistribution.PlotWidth * 0.7, ClassDistribution.X(70), 3);
    }

    [Theory]
    [InlineData(166, 200)]
    [InlineData(38, 40)]
    [InlineData(7, 8)]
    [InlineData(0, 1)]
    [InlineData(1234, 1500)]
    public void Value_axes_end_on_a_round_step(int max, int top)
    {
        var (end, ticks) = ChartScale.Nice(max);
        Assert.Equal(top, end);
        Assert.Equal(0m, ticks[0]);
        Assert.Equal(end, ticks[^1]);
        Assert.InRange(ticks.Count, 2, 8);
    }
}
