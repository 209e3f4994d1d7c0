using System.Globalization;

namespace Antq.Calendar;

/// <summary>
/// Vietnam time (giờ Việt Nam, Asia/Ho_Chi_Minh): UTC+7 all year, no daylight saving since 1975, so a fixed offset is
/// exact and does not depend on the machine's time-zone data. Instants are stored in UTC and shown in this time; dates
/// are written dd/MM/yyyy. The formats are spelled out rather than taken from the vi-VN culture, so they do not depend
/// on the machine's ICU data either.
/// </summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    static readonly string[] DateFormats = ["dd/MM/yyyy", "d/M/yyyy"];

    /// <summary>The same instant, read on a clock in Vietnam (offset +07:00).</summary>
    public static DateTimeOffset ToVietnam(this DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateTimeOffset Now(TimeProvider clock) => clock.GetUtcNow().ToVietnam();

    /// <summary>Today's date in Vietnam: from 17:00 UTC on, already tomorrow's.</summary>
    public static DateOnly Today(TimeProvider clock) => DayOf(clock.GetUtcNow());

    /// <summary>The date in Vietnam at <paramref name="instant"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToVietnam().DateTime);

    /// <summary><paramref name="time"/> of <paramref name="day"/> in Vietnam, as an instant at +07:00.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), Offset);

    /// <summary>00:00 of <paramref name="day"/> in Vietnam.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day) => At(day, TimeOnly.MinValue);

    /// <summary>15/06/2026.</summary>
    public static string Date(DateOnly day) => day.ToString("dd/MM/yyyy", Invariant);

    /// <summary>15/06/2026: the date in Vietnam at <paramref name="instant"/>.</summary>
    public static string Date(DateTimeOffset instant) => Format(instant, "dd/MM/yyyy");

    /// <summary>08:30 ngày 15/06/2026.</summary>
    public static string DateAndTime(DateTimeOffset instant) => Format(instant, "HH:mm 'ngày' dd/MM/yyyy");

    /// <summary>15/06/2026 08:30, for tables and logs of acts.</summary>
    public static string Timestamp(DateTimeOffset instant) => Format(instant, "dd/MM/yyyy HH:mm");

    /// <summary><paramref name="instant"/> in Vietnam time, in the custom <paramref name="pattern"/>, culture-invariant.</summary>
    public static string Format(DateTimeOffset instant, string pattern) => instant.ToVietnam().ToString(pattern, Invariant);

    /// <summary>A date as users type it: 15/06/2026 or 15/6/2026.</summary>
    public static bool TryParseDate(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), DateFormats, Invariant, DateTimeStyles.None, out day);

    /// <summary>A length of time in words: "7 ngày", "16 giờ", "5 phút" (whole units, rounded down, at least 1 phút).</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = span.Negate();
        if (span >= TimeSpan.FromDays(1)) return $"{(int)span.TotalDays} ngày";
        if (span >= TimeSpan.FromHours(1)) return $"{(int)span.TotalHours} giờ";
        return $"{Math.Max(1, (int)span.TotalMinutes)} phút";
    }
}
