using System.Xml;

namespace Antq.Notification.Api.Reminders;

/// <summary>
/// When to remind and chase a unit about one deadline. <see cref="Offsets"/> are relative to the deadline: negative
/// ones are reminders (nhắc hạn), zero or positive ones overdue notices (quá hạn). After the last overdue offset (or
/// the deadline, if there is none) overdue notices repeat every <see cref="OverdueRepeat"/> until the report arrives;
/// the level above is told once, <see cref="EscalateAfter"/> after the deadline, if it is still missing.
/// <see cref="LastDayMorningAt"/> adds a reminder at that time of day (Vietnam time) on the last day before the deadline.
/// Notices that count in whole days from the deadline go at <see cref="RemindAt"/> of their day, and none goes inside
/// <see cref="Quiet"/> (<see cref="WorkingHours"/>): a reminder planned for midnight reaches people in the morning.
/// </summary>
public sealed record ReminderPolicy(
    IReadOnlyList<TimeSpan> Offsets,
    TimeOnly? LastDayMorningAt,
    TimeSpan? OverdueRepeat,
    TimeSpan? EscalateAfter)
{
    /// <summary>The hour (Vietnam time) at which notices that count in whole days go; null: at their exact offset.</summary>
    public TimeOnly? RemindAt { get; init; }

    /// <summary>When no reminder, overdue notice or escalation goes; null: any time.</summary>
    public QuietHours? Quiet { get; init; }

    /// <summary>
    /// A plan's policy in ISO 8601 durations ("-P7D", "P1D", "PT30M"); an empty repeat or escalation means none.
    /// Throws <see cref="FormatException"/> for a duration that does not parse.
    /// </summary>
    public static ReminderPolicy FromIso(IEnumerable<string> offsets, string? overdueRepeat, string? escalateAfter, TimeOnly? lastDayMorningAt = null)
    {
        var repeat = ParseOptional(overdueRepeat);
        if (repeat is { } r && r <= TimeSpan.Zero) repeat = null;
        var escalation = ParseOptional(escalateAfter);
        if (escalation is { } e && e < TimeSpan.Zero) throw new FormatException($"Escalation delay '{escalateAfter}' must not be negative.");
        return new ReminderPolicy(offsets.Select(ParseDuration).Distinct().Order().ToList(), lastDayMorningAt, repeat, escalation);
    }

    /// <summary>An ISO 8601 duration, signed: "-P7D" is seven days before. Months count 30 days, years 365.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        try
        {
            return XmlConvert.ToTimeSpan(text.Trim());
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new FormatException($"'{text}' is not an ISO 8601 duration.", ex);
        }
    }

    static TimeSpan? ParseOptional(string? text) => string.IsNullOrWhiteSpace(text) ? null : ParseDuration(text);

    /// <summary>Identifies the policy's content, so a schedule can tell whether it was planned under the same one.</summary>
    public string Fingerprint =>
        string.Join(',', Offsets.Select(XmlConvert.ToString)) + "|" + LastDayMorningAt?.ToString("HH:mm") + "|" +
        (OverdueRepeat is { } r ? XmlConvert.ToString(r) : "") + "|" + (EscalateAfter is { } e ? XmlConvert.ToString(e) : "") + "|" + RemindAt?.ToString("HH:mm") + "|" + Quiet;
}
