using Antq.Calendar;
using Antq.Portal.Formatting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Antq.Portal.Tests;

/// <summary>
/// The periods the portal offers follow the platform's clock in Vietnam time and the data window: next year's periods
/// from the day its window opens (15/12 by default), the six-month report first until the end of July.
/// </summary>
public sealed class ReportingSeasonTests
{
    static ReportingSeason Season(int year, int month, int day, int hour, DataWindowOptions? window = null) =>
        new(new FakeTimeProvider(new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(7))), Options.Create(window ?? new DataWindowOptions()));

    [Theory]
    [InlineData(2026, 12, 14, 23, "2026-H1,2026-Y", "2026-Y")]
    [InlineData(2026, 12, 15, 0, "2027-H1,2027-Y", "2027-Y")]  // 17:00 UTC on the 14th: already the 15th in Vietnam
    [InlineData(2027, 7, 31, 12, "2027-H1,2027-Y", "2027-H1")]
    [InlineData(2027, 8, 1, 0, "2027-H1,2027-Y", "2027-Y")]
    public void The_current_periods_turn_when_the_next_data_window_opens(int year, int month, int day, int hour, string current, string first)
    {
        var season = Season(year, month, day, hour);
        Assert.Equal(current, string.Join(",", season.CurrentPeriods()));
        Assert.Equal(first, season.DefaultPeriod());
    }

    [Fact]
    public void Three_years_can_be_chosen_latest_first() =>
        Assert.Equal(["2027-Y", "2027-H1", "2026-Y", "2026-H1", "2025-Y", "2025-H1"], Season(2026, 12, 20, 9).SelectablePeriods());

    [Fact]
    public void The_year_follows_the_configured_window()
    {
        var calendarYear = new DataWindowOptions { Start = new MonthDay(1, 1), SixMonthEnd = new MonthDay(6, 30), AnnualEnd = new MonthDay(12, 31) };
        Assert.Equal(["2026-H1", "2026-Y"], Season(2026, 12, 20, 9, calendarYear).CurrentPeriods());
    }

    [Fact]
    public async Task A_unit_missing_from_the_current_tree_is_shown_in_the_latest_earlier_period_that_has_it()
    {
        var season = Season(2026, 12, 9, 9);
        var tried = new List<string>();
        var found = await season.LatestWithUnitAsync("2026-Y", p => { tried.Add(p); return Task.FromResult(p == "2025-H1"); });

        Assert.Equal("2025-H1", found);
        Assert.Equal(["2026-H1", "2025-Y", "2025-H1"], tried);
        Assert.Equal("Đơn vị của anh/chị không có trong cây đơn vị của kỳ tổng kết năm 2026; đang hiển thị sơ kết 6 tháng đầu năm 2025, kỳ gần nhất có đơn vị.",
            ReportingSeason.ShownInstead("2026-Y", "2025-H1"));
        Assert.Null(await season.LatestWithUnitAsync("2026-Y", _ => Task.FromResult(false)));
    }
}
