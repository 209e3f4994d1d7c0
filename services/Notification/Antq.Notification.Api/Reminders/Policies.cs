using Antq.Notification.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Reminders;

/// <summary>The reminder policy that applies to a plan's deadlines: the plan's own, or the defaults when it sets none.</summary>
public sealed class Policies(IOptions<NotificationOptions> options, ILogger<Policies> logger)
{
    public const string DefaultKey = "default";

    public ReminderPolicy Defaults => options.Value.Reminders.ToPolicy();

    public TimeSpan ResubmitAfter => ReminderPolicy.ParseDuration(options.Value.Reminders.ResubmitAfter);

    /// <summary>
    /// What a schedule records it was planned from. The planner's SQL computes the same string
    /// (<see cref="KeySql"/>) to find schedules whose plan changed: keep the two in step.
    /// </summary>
    public static string KeyOf(PlanReminderSettings? plan) => plan is null
        ? DefaultKey
        : $"{string.Join(',', plan.Reminders)}|{plan.OverdueRepeat}|{plan.EscalateAfter}|{plan.SupersededById?.ToString() ?? ""}{(plan.RemindAt is { } at ? "|" + at : "")}";

    /// <summary><see cref="KeyOf"/> in SQL over <c>plan_reminder_policies p</c> (left-joined).</summary>
    public const string KeySql =
        "CASE WHEN p.plan_id IS NULL THEN 'default' ELSE array_to_string(p.reminders, ',') || '|' || p.overdue_repeat || '|' || p.escalate_after || '|' || coalesce(p.superseded_by_id::text, '') || coalesce('|' || p.remind_at, '') END";

    /// <summary>
    /// The plan's policy: its offsets (or the defaults' when it sets none), its own reminder hour if it sets one (or the
    /// setting's), and the quiet hours of the settings, which no plan can move.
    /// </summary>
    public ReminderPolicy For(PlanReminderSettings? plan)
    {
        var defaults = Defaults;
        var remindAt = plan?.RemindAt is { } own && QuietHours.TryParseTime(own, out var hour) ? hour : defaults.RemindAt;
        if (plan is null || (plan.Reminders.Count == 0 && string.IsNullOrWhiteSpace(plan.OverdueRepeat) && string.IsNullOrWhiteSpace(plan.EscalateAfter)))
        {
            return defaults with { RemindAt = remindAt };
        }

        try
        {
            return ReminderPolicy.FromIso(plan.Reminders, plan.OverdueRepeat, plan.EscalateAfter) with { RemindAt = remindAt, Quiet = defaults.Quiet };
        }
        catch (FormatException ex)
        {
            logger.LogWarning(ex, "Reminder policy of plan {PlanId} does not parse; the defaults apply", plan.PlanId);
            return defaults;
        }
    }

    public async Task<ReminderPolicy> ForPlanAsync(NotificationDbContext db, Guid? planId, CancellationToken ct) =>
        For(planId is { } id ? await db.PlanReminderSettings.AsNoTracking().FirstOrDefaultAsync(p => p.PlanId == id, ct) : null);
}
