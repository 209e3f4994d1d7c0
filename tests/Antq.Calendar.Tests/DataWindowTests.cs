using Antq.Calendar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Antq.Calendar.Tests;

/// <summary>
/// The data window (thời gian chốt số liệu): by default 15/12 of the previous year to 14/06 (six-month) and to 14/12
/// (annual), both ends counted; configurable, and read from one setting in every service.
/// </summary>
public sealed class DataWindowTests
{
    static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_default_windows_open_on_15_December_of_the_previous_year()
    {
        var window = new DataWindowOptions();
        Assert.Equal(new DataWindow(D("2025-12-15"), D("2026-06-14")), ReportingPeriod.SixMonth(2026).DataWindow(window));
        Assert.Equal(new DataWindow(D("2025-12-15"), D("2026-12-14")), ReportingPeriod.Annual(2026).DataWindow(window));
        Assert.Equal(D("2026-06-14"), ReportingPeriod.SixMonth(2026).HierarchyDate(window));
        Assert.Equal(D("2026-12-14"), ReportingPeriod.Annual(2026).HierarchyDate(window));
    }

    [Theory]
    [InlineData("2025-12-14", false, false)]
    [InlineData("2025-12-15", true, true)]   // the first day counts in both of 2026
    [InlineData("2026-06-14", true, true)]   // the last day of the six-month window is still in it
    [InlineData("2026-06-15", false, true)]
    [InlineData("2026-12-14", false, true)]  // the last day of the annual window
    [InlineData("2026-12-15", false, false)] // already 2027's
    public void Both_ends_of_a_window_are_in_it(string day, bool inSixMonth, bool inAnnual)
    {
        var window = new DataWindowOptions();
        Assert.Equal(inSixMonth, ReportingPeriod.SixMonth(2026).DataWindow(window).Contains(D(day)));
        Assert.Equal(inAnnual, ReportingPeriod.Annual(2026).DataWindow(window).Contains(D(day)));
    }

    [Theory]
    [InlineData("2026-01-01", 2026)]
    [InlineData("2026-12-14", 2026)]
    [InlineData("2026-12-15", 2027)]
    [InlineData("2026-12-31", 2027)]
    public void The_reporting_year_turns_when_the_next_windows_open(string day, int year) =>
        Assert.Equal(year, new DataWindowOptions().YearAt(D(day)));

    [Theory]
    [InlineData("2026-03-01", "2026-H1,2026-Y,2027-H1,2027-Y")]
    [InlineData("2026-06-14", "2026-H1,2026-Y,2027-H1,2027-Y")]
    [InlineData("2026-06-15", "2026-Y,2027-H1,2027-Y")]
    [InlineData("2026-12-14", "2026-Y,2027-H1,2027-Y")]
    [InlineData("2026-12-15", "2027-H1,2027-Y")]
    [InlineData("2028-01-01", "")]
    public void A_change_of_units_reaches_the_periods_whose_hierarchy_date_is_on_or_after_its_day(string day, string expected) =>
        Assert.Equal(expected, string.Join(",", ReportingPeriod.ReachedFrom(D(day), [2027, 2026, 2026], new DataWindowOptions()).Select(p => p.Code)));

    [Fact]
    public void Another_window_can_be_set()
    {
        var window = new DataWindowOptions { Start = new MonthDay(1, 1), SixMonthEnd = new MonthDay(6, 30), AnnualEnd = new MonthDay(12, 31) };
        Assert.False(window.StartsInPreviousYear);
        Assert.Equal(new DataWindow(D("2026-01-01"), D("2026-06-30")), ReportingPeriod.SixMonth(2026).DataWindow(window));
        Assert.Equal(new DataWindow(D("2026-01-01"), D("2026-12-31")), ReportingPeriod.Annual(2026).DataWindow(window));
        Assert.Equal(2026, window.YearAt(D("2026-12-31")));
        Assert.Equal(2027, window.YearAt(D("2027-01-01")));
        Assert.Empty(window.Problems());
    }

    [Fact]
    public void A_29_February_falls_on_the_28th_in_a_common_year()
    {
        var window = new DataWindowOptions { Start = new MonthDay(3, 1), SixMonthEnd = new MonthDay(2, 29), AnnualEnd = new MonthDay(2, 29) };
        Assert.Equal(new DataWindow(D("2026-03-01"), D("2027-02-28")), ReportingPeriod.Annual(2027).DataWindow(window));
        Assert.Equal(new DataWindow(D("2027-03-01"), D("2028-02-29")), ReportingPeriod.Annual(2028).DataWindow(window));
    }

    [Fact]
    public void Settings_that_are_not_a_window_are_named()
    {
        var window = new DataWindowOptions { SixMonthEnd = new MonthDay(12, 20) };
        Assert.Contains("DataWindow:SixMonthEnd (12-20) falls after DataWindow:AnnualEnd (12-14)", Assert.Single(window.Problems()));
    }

    [Theory]
    [InlineData("06-14", 6, 14)]
    [InlineData("6-4", 6, 4)]
    [InlineData(" 02-29 ", 2, 29)]
    public void Days_of_the_year_are_written_MM_dd(string text, int month, int day)
    {
        Assert.True(MonthDay.TryParse(text, out var value));
        Assert.Equal(new MonthDay(month, day), value);
        Assert.Equal($"{month:00}-{day:00}", value.ToString());
    }

    [Theory]
    [InlineData("14/06")]
    [InlineData("06-31")]
    [InlineData("13-01")]
    [InlineData("2026-06-14")]
    [InlineData("")]
    public void Other_text_is_not_a_day_of_the_year(string text)
    {
        Assert.False(MonthDay.TryParse(text, out _));
        Assert.Throws<FormatException>(() => MonthDay.Parse(text));
    }

    static DataWindowOptions Read(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var services = new ServiceCollection().AddDataWindow(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<DataWindowOptions>>().Value;
    }

    [Fact]
    public void Without_settings_the_documented_defaults_apply()
    {
        var window = Read();
        Assert.Equal((new MonthDay(12, 15), new MonthDay(6, 14), new MonthDay(12, 14)), (window.Start, window.SixMonthEnd, window.AnnualEnd));
    }

    [Fact]
    public void The_window_is_one_setting()
    {
        var window = Read(("DataWindow:Start", "01-01"), ("DataWindow:SixMonthEnd", "06-30"), ("DataWindow:AnnualEnd", "12-31"));
        Assert.Equal((new MonthDay(1, 1), new MonthDay(6, 30), new MonthDay(12, 31)), (window.Start, window.SixMonthEnd, window.AnnualEnd));
    }

    [Fact]
    public void The_keys_each_service_used_before_are_still_read()
    {
        var plan = Read(("Deadlines:SixMonthDataWindowEnd", "06-30"), ("Deadlines:AnnualDataWindowEnd", "12-10"));
        Assert.Equal((new MonthDay(6, 30), new MonthDay(12, 10)), (plan.SixMonthEnd, plan.AnnualEnd));

        var classification = Read(("Classification:HierarchyDate", "12-10"));
        Assert.Equal(new MonthDay(12, 10), classification.AnnualEnd);

        var reporting = Read(("DataWindow:StartMonth", "12"), ("DataWindow:StartDay", "16"), ("DataWindow:HalfYearEndMonth", "6"),
            ("DataWindow:HalfYearEndDay", "15"), ("DataWindow:YearEndDay", "15"));
        Assert.Equal((new MonthDay(12, 16), new MonthDay(6, 15), new MonthDay(12, 15)), (reporting.Start, reporting.SixMonthEnd, reporting.AnnualEnd));
    }

    [Fact]
    public void The_one_setting_wins_over_an_old_key()
    {
        var window = Read(("Deadlines:SixMonthDataWindowEnd", "06-30"), ("DataWindow:SixMonthEnd", "06-20"));
        Assert.Equal(new MonthDay(6, 20), window.SixMonthEnd);
    }

    [Theory]
    [InlineData("DataWindow:AnnualEnd", "14/12", "DataWindow:AnnualEnd holds '14/12', which is not a day of the year written MM-dd")]
    [InlineData("Deadlines:SixMonthDataWindowEnd", "06-31", "Deadlines:SixMonthDataWindowEnd holds '06-31'")]
    [InlineData("DataWindow:YearEndMonth", "Dec", "DataWindow:YearEndMonth holds 'Dec', which is not a number")]
    [InlineData("DataWindow:SixMonthEnd", "12-20", "DataWindow:SixMonthEnd (12-20) falls after DataWindow:AnnualEnd (12-14)")]
    public void A_service_with_a_window_that_is_not_one_says_which_setting_is_wrong(string key, string value, string message)
    {
        var error = Assert.ThrowsAny<Exception>(() => Read((key, value)));
        Assert.Contains(message, error.Message);
    }
}
