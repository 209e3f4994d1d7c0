using System.Globalization;

namespace Antq.Notification.Api.Domain;

/// <summary>
/// Vietnam time (Asia/Ho_Chi_Minh): UTC+7 all year, no daylight saving since 1975, so a fixed offset is exact and does
/// not depend on the machine's time-zone data. Instants are stored in UTC; they are shown in this time.
/// </summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static DateTimeOffset ToVietnam(this DateTimeOffset instant) => instant.ToOffset(Offset);

    public static DateTimeOffset At(DateOnly day, TimeOnly time) => new(day.ToDateTime(time), Offset);

    public static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToVietnam().DateTime);

    /// <summary>15/06/2026.</summary>
    public static string Date(DateTimeOffset instant) => instant.ToVietnam().ToString("dd/MM/yyyy", Invariant);

    /// <summary>08:00 ngày 14/06/2026.</summary>
    public static string DateAndTime(DateTimeOffset instant) => instant.ToVietnam().ToString("HH:mm 'ngày' dd/MM/yyyy", Invariant);

    /// <summary>
    /// A deadline as users read it: "trước ngày 15/06/2026" when it falls at 00:00 (the usual case: the report must
    /// arrive before that day begins), "trước 14:35 ngày 15/06/2026" otherwise.
    /// </summary>
    public static string Deadline(DateTimeOffset due)
    {
        var local = due.ToVietnam();
        return local.TimeOfDay == TimeSpan.Zero ? $"trước ngày {Date(due)}" : $"trước {DateAndTime(due)}";
    }

    /// <summary>A length of time in words: "7 ngày", "16 giờ", "5 phút" (whole units, rounded down, at least 1 phút).</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = span.Negate();
        if (span >= TimeSpan.FromDays(1)) return $"{(int)span.TotalDays} ngày";
        if (span >= TimeSpan.FromHours(1)) return $"{(int)span.TotalHours} giờ";
        return $"{Math.Max(1, (int)span.TotalMinutes)} phút";
    }
}
