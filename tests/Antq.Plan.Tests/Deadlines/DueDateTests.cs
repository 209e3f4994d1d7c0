using Antq.Calendar;
using Antq.Plan.Api.Deadlines;

namespace Antq.Plan.Tests.Deadlines;

/// <summary>"trước ngày 15/6" is before 00:00 of 15 June, Vietnam time; durations and periods as the API takes them.</summary>
public sealed class DueDateTests
{
    static readonly TimeSpan Plus7 = TimeSpan.FromHours(7);

    [Theory]
    [InlineData("2026-06-15")]
    [InlineData("15/06/2026")]
    [InlineData("15/6/2026")]
    [InlineData(" 2026-06-15 ")]
    [InlineData("2026-06-15T00:00:00+07:00")]
    [InlineData("2026-06-15T00:00+07:00")]
    [InlineData("2026-06-14T17:00:00Z")]
    [InlineData("2026-06-14T18:00:00+01:00")]
    public void A_plain_date_means_the_start_of_that_day_in_Vietnam(string text)
    {
        Assert.True(DueDate.TryParse(text, out var due));
        Assert.Equal(new DateTimeOffset(2026, 6, 15, 0, 0, 0, Plus7), due);
        Assert.Equal(Plus7, due.Offset);
        Assert.Equal(new DateTimeOffset(2026, 6, 14, 17, 0, 0, TimeSpan.Zero).UtcDateTime, due.UtcDateTime);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-06-31")]
    [InlineData("2026-06-15T00:00:00")]
    [InlineData("15.06.2026")]
    [InlineData("trước ngày 15/6")]
    [InlineData(null)]
    public void Text_that_is_not_a_date_or_has_no_offset_is_refused(string? text) =>
        Assert.False(DueDate.TryParse(text, out _));

    [Fact]
    public void Deadlines_are_shown_as_users_write_them()
    {
        var due = new DateTimeOffset(2026, 6, 14, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal("Hạn nộp: trước ngày 15/06/2026", DueDate.Display(due));
        Assert.Equal("trước 08:30 ngày 15/06/2026", DueDate.Describe(new DateTimeOffset(2026, 6, 15, 8, 30, 0, Plus7)));
    }

    [Theory]
    [InlineData("-P7D", -7 * 24 * 60)]
    [InlineData("P1D", 24 * 60)]
    [InlineData("+P2D", 2 * 24 * 60)]
    [InlineData("PT12H", 12 * 60)]
    [InlineData("-P1DT12H", -36 * 60)]
    [InlineData("P1W", 7 * 24 * 60)]
    [InlineData("PT90M", 90)]
    public void Durations_are_ISO_8601(string text, int minutes)
    {
        Assert.True(IsoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration);
    }

    [Theory]
    [InlineData("P1M")]
    [InlineData("P1Y")]
    [InlineData("7D")]
    [InlineData("P")]
    [InlineData("P1DT")]
    [InlineData("-7")]
    [InlineData("P9999D")]
    public void Months_years_and_malformed_durations_are_refused(string text) =>
        Assert.False(IsoDuration.TryParse(text, out _));

    [Theory]
    [InlineData(-7 * 24 * 60, "-P7D")]
    [InlineData(36 * 60, "P1DT12H")]
    [InlineData(90, "PT1H30M")]
    public void Durations_are_written_in_their_shortest_form(int minutes, string expected) =>
        Assert.Equal(expected, IsoDuration.Format(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void Periods_and_their_data_windows_follow_the_settings()
    {
        var options = new DataWindowOptions();
        Assert.True(ReportingPeriod.TryParse("2026-H1", out var h1));
        Assert.True(ReportingPeriod.TryParse("2026-y", out var y));
        Assert.Equal("2026-Y", y.Code);
        Assert.Equal(new DateOnly(2026, 6, 14), h1.HierarchyDate(options));
        Assert.Equal(new DateOnly(2026, 12, 14), y.HierarchyDate(options));
        options.SixMonthEnd = MonthDay.Parse("06-30");
        Assert.Equal(new DateOnly(2026, 6, 30), h1.HierarchyDate(options));
        Assert.False(ReportingPeriod.TryParse("2026-H2", out _));
        Assert.False(ReportingPeriod.TryParse("26-H1", out _));
    }

    [Theory]
    [InlineData("2026-03-01", "2026-H1,2026-Y,2027-H1,2027-Y")]
    [InlineData("2026-06-14", "2026-H1,2026-Y,2027-H1,2027-Y")] // the last day of the six-month window is still in it
    [InlineData("2026-06-15", "2026-Y,2027-H1,2027-Y")]
    [InlineData("2026-12-06", "2026-Y,2027-H1,2027-Y")]         // added today: the annual period only, of this year
    [InlineData("2026-12-14", "2026-Y,2027-H1,2027-Y")]
    [InlineData("2026-12-15", "2027-H1,2027-Y")]                // after the annual window: next year's periods only
    [InlineData("2028-01-01", "")]
    public void A_change_of_the_tree_reaches_the_periods_whose_data_window_ends_on_or_after_its_day(string day, string expected)
    {
        var periods = ReportingPeriod.ReachedFrom(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), [2027, 2025, 2026, 2026], new DataWindowOptions());
        Assert.Equal(expected, string.Join(",", periods.Select(p => p.Code)));
    }

    [Fact]
    public void The_periods_a_change_reaches_follow_the_data_window_settings()
    {
        var options = new DataWindowOptions { SixMonthEnd = MonthDay.Parse("06-30") };
        Assert.Equal(["2026-H1", "2026-Y"], ReportingPeriod.ReachedFrom(new DateOnly(2026, 6, 20), [2026], options).Select(p => p.Code));
    }
}
