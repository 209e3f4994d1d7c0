using System.Globalization;

namespace Antq.Plan.Api.Domain.Deadlines;

/// <summary>
/// Deadlines as plans write them and users read them. "trước ngày 15/6/2026" means before 00:00 of 15 June, Vietnam
/// time (Asia/Ho_Chi_Minh, +07:00, no daylight saving), so a plain date is that instant.
/// </summary>
public static class DueDate
{
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    static readonly string[] OffsetFormats =
    [
        "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>
    /// "2026-06-15" or "15/06/2026" → 2026-06-15T00:00+07:00; a timestamp with an offset ("2026-06-14T17:00:00Z",
    /// "2026-06-15T08:00+07:00") is that instant, shown at +07:00. A timestamp without an offset is refused: it would
    /// not say which clock it means.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset dueAt)
    {
        dueAt = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var value = text.Trim();
        if (DateOnly.TryParseExact(value, ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            dueAt = StartOf(date);
            return true;
        }

        if (DateTimeOffset.TryParseExact(value, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            dueAt = InVietnam(instant);
            return true;
        }

        return false;
    }

    /// <summary>00:00 of <paramref name="date"/> in Vietnam: "trước ngày <paramref name="date"/>".</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), VietnamOffset);

    public static DateTimeOffset InVietnam(DateTimeOffset instant) => instant.ToOffset(VietnamOffset);

    /// <summary>
    /// "trước ngày 15/06/2026" for 2026-06-15T00:00+07:00; an instant inside a day reads "trước 08:30 ngày 15/06/2026".
    /// </summary>
    public static string Describe(DateTimeOffset dueAt)
    {
        var local = InVietnam(dueAt);
        return local.TimeOfDay == TimeSpan.Zero
            ? $"trước ngày {local:dd/MM/yyyy}"
            : $"trước {local:HH:mm} ngày {local:dd/MM/yyyy}";
    }

    /// <summary>"Hạn nộp: trước ngày 15/06/2026".</summary>
    public static string Display(DateTimeOffset dueAt) => $"Hạn nộp: {Describe(dueAt)}";

    /// <summary>dd/MM/yyyy of a deadline, the last day a report is still on time being the day before.</summary>
    public static string DateText(DateTimeOffset dueAt) => InVietnam(dueAt).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
