namespace Antq.Plan.Api.Plans;

/// <summary>
/// When Notification reminds and chases a unit about a deadline. Offsets are relative to the deadline: negative
/// before it (reminders), positive after it (overdue notices); after the last one an overdue notice repeats every
/// <see cref="OverdueRepeat"/>, and the level above is told once the report is <see cref="EscalateAfter"/> late.
/// <see cref="RemindAt"/>: the hour of the day (Vietnam time) at which the reminders that count in whole days go out;
/// null leaves it to Notification's setting. Notification still holds a reminder out of its quiet hours.
/// </summary>
public sealed record ReminderPolicy(IReadOnlyList<TimeSpan> Offsets, TimeSpan OverdueRepeat, TimeSpan EscalateAfter, TimeOnly? RemindAt = null)
{
    /// <summary>"07:30" or "7:30"; null when it is not an hour of the day.</summary>
    public static TimeOnly? ParseHour(string? text) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm"], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var hour) ? hour : null;

    /// <summary>"07:30"; null for none.</summary>
    public static string? FormatHour(TimeOnly? hour) => hour?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Used when a plan sets none: reminders 7, 3 and 1 days before, an overdue notice the day after, repeated every
    /// 2 days, escalation to the level above after 3 days.
    /// </summary>
    public static readonly ReminderPolicy Default = new(
        [TimeSpan.FromDays(-7), TimeSpan.FromDays(-3), TimeSpan.FromDays(-1), TimeSpan.FromDays(1)],
        TimeSpan.FromDays(2),
        TimeSpan.FromDays(3));
}
