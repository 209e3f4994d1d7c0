using System.Globalization;

namespace Antq.Calendar;

/// <summary>
/// Deadlines (hạn nộp) as plans write them and users read them. "trước ngày 15/6/2026" means the report must arrive
/// before 00:00 of 15 June, Vietnam time, so a plain date is that instant: 14 June is the last day on time. A report
/// that arrives at or after the instant is late (nộp muộn), and still accepted and counted.
/// </summary>
public static class DueDate
{
    static readonly string[] IsoDate = ["yyyy-MM-dd"];

    static readonly string[] OffsetFormats =
    [
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>
    /// "2026-06-15", "15/06/2026" or "15/6/2026" → 2026-06-15T00:00+07:00; a timestamp with an offset
    /// ("2026-06-14T17:00:00Z", "2026-06-15T08:00+07:00") is that instant, shown at +07:00. A timestamp without an
    /// offset is refused: it would not say which clock it means.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset dueAt)
    {
        dueAt = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var value = text.Trim();
        if (DateOnly.TryParseExact(value, IsoDate, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || VietnamTime.TryParseDate(value, out date))
        {
            dueAt = StartOf(date);
            return true;
        }

        if (DateTimeOffset.TryParseExact(value, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            dueAt = instant.ToVietnam();
            return true;
        }

        return false;
    }

    /// <summary>What the services answer to a deadline of <paramref name="periodCode"/> they cannot read.</summary>
    public static string InvalidMessage(string? text, string periodCode) =>
        $"Hạn nộp \"{text}\" của kỳ {periodCode} không hợp lệ; dùng ngày dạng YYYY-MM-DD (nghĩa là trước 00:00 ngày đó, giờ Việt Nam) hoặc thời điểm có múi giờ, ví dụ 2026-06-15T00:00:00+07:00.";

    /// <summary>"trước ngày <paramref name="day"/>": 00:00 of that day in Vietnam.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => VietnamTime.StartOfDay(day);

    /// <summary>The last day, in Vietnam, on which a report is still on time: 14/06/2026 for "trước ngày 15/06/2026".</summary>
    public static DateOnly LastDayOnTime(DateTimeOffset dueAt) => VietnamTime.DayOf(dueAt - TimeSpan.FromTicks(1));

    /// <summary>Whether a report that arrived at <paramref name="arrivedAt"/> met the deadline: strictly before it.</summary>
    public static bool IsOnTime(DateTimeOffset arrivedAt, DateTimeOffset dueAt) => arrivedAt < dueAt;

    /// <summary>
    /// "trước ngày 15/06/2026" for 2026-06-15T00:00+07:00 (the usual case); an instant inside a day reads
    /// "trước 08:30 ngày 15/06/2026".
    /// </summary>
    public static string Describe(DateTimeOffset dueAt) =>
        dueAt.ToVietnam().TimeOfDay == TimeSpan.Zero ? $"trước ngày {VietnamTime.Date(dueAt)}" : $"trước {VietnamTime.DateAndTime(dueAt)}";

    /// <summary>"trước ngày 15/06/2026".</summary>
    public static string Describe(DateOnly day) => $"trước ngày {VietnamTime.Date(day)}";

    /// <summary>"Hạn nộp: trước ngày 15/06/2026".</summary>
    public static string Display(DateTimeOffset dueAt) => $"Hạn nộp: {Describe(dueAt)}";

    /// <summary>Whole days left until the deadline, rounded up; negative (days overdue, rounded up) once it has passed.</summary>
    public static int DaysLeft(DateTimeOffset dueAt, DateTimeOffset now) =>
        dueAt <= now ? -(int)Math.Ceiling((now - dueAt).TotalDays) : (int)Math.Ceiling((dueAt - now).TotalDays);

    /// <summary>"Còn 3 ngày", "Còn 1 ngày", "Hết hạn hôm nay", "Quá hạn 2 ngày".</summary>
    public static string DaysLeftText(DateTimeOffset dueAt, DateTimeOffset now) => DaysLeft(dueAt, now) switch
    {
        < 0 and var overdue => $"Quá hạn {-overdue} ngày",
        0 => "Hết hạn hôm nay",
        1 => "Còn 1 ngày",
        var days => $"Còn {days} ngày",
    };
}
