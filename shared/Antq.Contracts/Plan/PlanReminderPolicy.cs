namespace Antq.Contracts.Plan;

/// <summary>
/// When to remind and chase units about a plan's deadlines, as ISO 8601 durations relative to the deadline:
/// <see cref="Reminders"/> negative before it ("-P7D"), positive after it (an overdue notice, "P1D"); overdue notices
/// then repeat every <see cref="OverdueRepeat"/>; the level above is told once a report is <see cref="EscalateAfter"/> late.
/// </summary>
public sealed record PlanReminderPolicy
{
    public required IReadOnlyList<string> Reminders { get; init; }

    public required string OverdueRepeat { get; init; }

    public required string EscalateAfter { get; init; }

    /// <summary>
    /// The working hour ("07:30", Vietnam time) at which the plan's reminders that count in whole days go out; null:
    /// Notification's setting. Added later: older messages and senders leave it out.
    /// </summary>
    public string? RemindAt { get; init; }
}
