using Antq.Calendar;
using Microsoft.Extensions.Time.Testing;

namespace Antq.Calendar.Tests;

/// <summary>Vietnam time is UTC+7 all year: the day turns at 17:00 UTC, and dates are written dd/MM/yyyy.</summary>
public sealed class VietnamTimeTests
{
    static readonly TimeSpan Plus7 = TimeSpan.FromHours(7);

    [Theory]
    [InlineData("2026-06-14T16:59:59Z", "2026-06-14")]
    [InlineData("2026-06-14T17:00:00Z", "2026-06-15")] // midnight in Hà Nội
    [InlineData("2026-12-31T17:00:00Z", "2027-01-01")] // a new year comes seven hours before it does in UTC
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29")] // no daylight saving, in any season
    [InlineData("2026-10-25T23:30:00+00:00", "2026-10-26")]
    public void The_day_in_Vietnam_turns_at_17_00_UTC(string instant, string day) =>
        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture),
            VietnamTime.DayOf(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Today_and_now_are_read_from_the_platform_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 14, 16, 59, 59, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 12, 14), VietnamTime.Today(clock));
        Assert.Equal(Plus7, VietnamTime.Now(clock).Offset);
        Assert.Equal(new DateTime(2026, 12, 14, 23, 59, 59), VietnamTime.Now(clock).DateTime);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new DateOnly(2026, 12, 15), VietnamTime.Today(clock));
    }

    [Fact]
    public void An_instant_keeps_its_moment_and_takes_the_Vietnam_offset()
    {
        var utc = new DateTimeOffset(2026, 6, 14, 17, 0, 0, TimeSpan.Zero);
        var local = utc.ToVietnam();
        Assert.Equal(utc, local);
        Assert.Equal(Plus7, local.Offset);
        Assert.Equal(new DateTimeOffset(2026, 6, 15, 0, 0, 0, Plus7), VietnamTime.StartOfDay(new DateOnly(2026, 6, 15)));
        Assert.Equal(new DateTimeOffset(2026, 6, 14, 8, 0, 0, Plus7), VietnamTime.At(new DateOnly(2026, 6, 14), new TimeOnly(8, 0)));
    }

    [Fact]
    public void Dates_and_times_are_written_as_users_read_them()
    {
        var at = new DateTimeOffset(2026, 6, 5, 1, 30, 0, TimeSpan.Zero); // 08:30 in Vietnam
        Assert.Equal("05/06/2026", VietnamTime.Date(at));
        Assert.Equal("05/06/2026", VietnamTime.Date(new DateOnly(2026, 6, 5)));
        Assert.Equal("08:30 ngày 05/06/2026", VietnamTime.DateAndTime(at));
        Assert.Equal("05/06/2026 08:30", VietnamTime.Timestamp(at));
        Assert.Equal("08:30 05/06/2026", VietnamTime.Format(at, "HH:mm dd/MM/yyyy"));
        Assert.Equal("31/12/2026", VietnamTime.Date(new DateTimeOffset(2026, 12, 31, 16, 59, 0, TimeSpan.Zero)));
        Assert.Equal("01/01/2027", VietnamTime.Date(new DateTimeOffset(2026, 12, 31, 17, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Dates_do_not_depend_on_the_culture_of_the_machine()
    {
        var before = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE"); // writes 15.06.2026
            Assert.Equal("15/06/2026", VietnamTime.Date(new DateOnly(2026, 6, 15)));
            Assert.Equal("trước ngày 15/06/2026", DueDate.Describe(new DateOnly(2026, 6, 15)));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData("15/06/2026", 2026, 6, 15)]
    [InlineData("5/6/2026", 2026, 6, 5)]
    [InlineData(" 05/06/2026 ", 2026, 6, 5)]
    public void Dates_are_read_as_users_type_them(string text, int year, int month, int day)
    {
        Assert.True(VietnamTime.TryParseDate(text, out var date));
        Assert.Equal(new DateOnly(year, month, day), date);
    }

    [Theory]
    [InlineData("2026-06-15")]
    [InlineData("31/06/2026")]
    [InlineData("06/15/2026")]
    [InlineData("15.06.2026")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_text_is_not_a_date(string? text) => Assert.False(VietnamTime.TryParseDate(text, out _));

    [Theory]
    [InlineData(7 * 24 * 60 + 5, "7 ngày")]
    [InlineData(16 * 60 + 59, "16 giờ")]
    [InlineData(5, "5 phút")]
    [InlineData(0, "1 phút")]
    [InlineData(-90, "1 giờ")]
    public void Lengths_of_time_are_written_in_whole_units(int minutes, string expected) =>
        Assert.Equal(expected, VietnamTime.Span(TimeSpan.FromMinutes(minutes)));
}
