using System.Globalization;

namespace Antq.Notification.Api.Reminders;

/// <summary>
/// Quiet hours (giờ nghỉ) in Vietnam time, from <see cref="From"/> up to (not including) <see cref="Until"/>; a span
/// whose start is later than its end runs over midnight (21:00–07:00). No reminder goes out inside it.
/// </summary>
public sealed record QuietHours(TimeOnly From, TimeOnly Until)
{
    /// <summary>21:00–07:00: nobody reads a reminder at night.</summary>
    public static readonly QuietHours Night = new(new TimeOnly(21, 0), new TimeOnly(7, 0));

    bool Wraps => From > Until;

    /// <summary>Whether <paramref name="instant"/> falls inside the quiet hours, in Vietnam time.</summary>
    public bool Contains(DateTimeOffset instant)
    {
        var time = TimeOnly.FromTimeSpan(instant.ToVietnam().TimeOfDay);
        return Wraps ? time >= From || time < Until : time >= From && time < Until;
    }

    /// <summary>The end of the quiet span that holds <paramref name="instant"/> (which must be inside it).</summary>
    public DateTimeOffset EndOf(DateTimeOffset instant)
    {
        var day = VietnamTime.DayOf(instant);
        var time = TimeOnly.FromTimeSpan(instant.ToVietnam().TimeOfDay);
        return VietnamTime.At(Wraps && time >= From ? day.AddDays(1) : day, Until);
    }

    /// <summary>The start of the quiet span that holds <paramref name="instant"/> (which must be inside it).</summary>
    public DateTimeOffset StartOf(DateTimeOffset instant)
    {
        var day = VietnamTime.DayOf(instant);
        var time = TimeOnly.FromTimeSpan(instant.ToVietnam().TimeOfDay);
        return VietnamTime.At(Wraps && time < Until ? day.AddDays(-1) : day, From);
    }

    /// <summary>21:00-07:00.</summary>
    public override string ToString() => $"{Format(From)}-{Format(Until)}";

    /// <summary>"21:00-07:00" (or "21:00–07:00"); empty text means none. False for anything else, or a span of no length.</summary>
    public static bool TryParse(string? text, out QuietHours? hours)
    {
        hours = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var parts = text.Replace('–', '-').Split('-', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !TryParseTime(parts[0], out var from) || !TryParseTime(parts[1], out var until) || from == until) return false;
        hours = new QuietHours(from, until);
        return true;
    }

    /// <summary>A time of day as people write it: 07:30 or 7:30.</summary>
    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>07:30.</summary>
    public static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// When a reminder may go out: at the reminder hour (giờ nhắc) of its day, if it counts in whole days from the deadline,
/// and never inside the quiet hours. Pure arithmetic on Vietnam time, shared by the unit's schedule (the settings and
/// the plan) and by each recipient's own preferences.
/// </summary>
public static class WorkingHours
{
    /// <summary>
    /// The moment a notice meant for <paramref name="at"/> goes, never earlier than it: an overdue notice, an escalation,
    /// a reminder to resubmit. <paramref name="wholeDays"/>: it counts in days (P1D, P2D), so it goes at
    /// <paramref name="remindAt"/> of its day (or the next day's, if that hour has passed); then out of the quiet hours.
    /// </summary>
    public static DateTimeOffset NotBefore(DateTimeOffset at, bool wholeDays, TimeOnly? remindAt, QuietHours? quiet)
    {
        var placed = at;
        if (wholeDays && remindAt is { } hour)
        {
            placed = VietnamTime.At(VietnamTime.DayOf(at), hour);
            if (placed < at) placed = placed.AddDays(1);
        }

        return (quiet is not null && quiet.Contains(placed) ? quiet.EndOf(placed) : placed).ToUniversalTime();
    }

    /// <summary>
    /// The moment a reminder meant for <paramref name="at"/> goes, always before <paramref name="deadline"/>: at
    /// <paramref name="remindAt"/> of its day when it counts in whole days (of the day before, if that hour is already
    /// past the deadline); out of the quiet hours at their end, or, if that is too late, just before they begin.
    /// </summary>
    public static DateTimeOffset Before(DateTimeOffset at, DateTimeOffset deadline, bool wholeDays, TimeOnly? remindAt, QuietHours? quiet)
    {
        var placed = at;
        if (wholeDays && remindAt is { } hour)
        {
            placed = VietnamTime.At(VietnamTime.DayOf(at), hour);
            while (placed >= deadline) placed = placed.AddDays(-1);
        }

        if (quiet is null || !quiet.Contains(placed)) return placed.ToUniversalTime();
        var end = quiet.EndOf(placed);
        return (end < deadline ? end : quiet.StartOf(placed) - TimeSpan.FromMinutes(1)).ToUniversalTime();
    }

    /// <summary>Whether <paramref name="span"/> is a whole number of days (and so is placed at the reminder hour).</summary>
    public static bool IsWholeDays(TimeSpan span) => span != TimeSpan.Zero && span.Ticks % TimeSpan.TicksPerDay == 0;

    /// <summary>
    /// When one person sees a reminder that went out at <paramref name="sentAt"/>: not before their own reminder hour of
    /// that day, and not inside their own quiet hours. Their preferences can hold a reminder back, never bring it forward.
    /// </summary>
    public static DateTimeOffset ForRecipient(DateTimeOffset sentAt, TimeOnly? remindAt, QuietHours? quiet)
    {
        var placed = quiet is not null && quiet.Contains(sentAt) ? quiet.EndOf(sentAt) : sentAt;
        if (remindAt is { } hour && VietnamTime.At(VietnamTime.DayOf(placed), hour) is var own && own > placed &&
            (quiet is null || !quiet.Contains(own)))
        {
            placed = own;
        }

        return placed.ToUniversalTime();
    }
}
