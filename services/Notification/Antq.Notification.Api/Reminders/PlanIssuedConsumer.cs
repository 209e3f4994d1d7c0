using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Notification.Api.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Reminders;

/// <summary>Keeps each issued plan's reminder policy, and marks the version it supersedes so that its reminders stop.</summary>
public sealed class PlanIssuedConsumer(NotificationDbContext db) : IConsumer<PlanIssued>
{
    /// <summary>
    /// The copy's rows as the Plan service keys them, for healing (<c>Copies</c>): the plans in force (a superseded one is
    /// marked when its successor arrives), each present or not.
    /// </summary>
    public const string CopyRows = "SELECT plan_id::text AS key, 1::bigint AS version FROM plan_reminder_policies WHERE superseded_by_id IS NULL";

    public async Task Consume(ConsumeContext<PlanIssued> context)
    {
        var issued = context.Message;
        await db.HandleOnceAsync<PlanIssuedConsumer>(context, async cancellationToken =>
        {
            var policy = await db.PlanReminderSettings.FirstOrDefaultAsync(p => p.PlanId == issued.PlanId, cancellationToken);
            if (policy is null)
            {
                policy = new PlanReminderSettings
                {
                    PlanId = issued.PlanId,
                    IssuerCode = issued.IssuerCode,
                    Number = issued.Number,
                    OverdueRepeat = issued.ReminderPolicy.OverdueRepeat,
                    EscalateAfter = issued.ReminderPolicy.EscalateAfter,
                };
                db.PlanReminderSettings.Add(policy);
            }

            policy.IssuerCode = issued.IssuerCode;
            policy.Number = issued.Number;
            policy.Year = issued.Year;
            policy.Reminders = [.. issued.ReminderPolicy.Reminders];
            policy.OverdueRepeat = issued.ReminderPolicy.OverdueRepeat;
            policy.EscalateAfter = issued.ReminderPolicy.EscalateAfter;
            // A reminder hour that does not read as one is left to the setting rather than refused with the plan.
            policy.RemindAt = Reminders.QuietHours.TryParseTime(issued.ReminderPolicy.RemindAt, out var hour) ? Reminders.QuietHours.Format(hour) : null;
            policy.SupersedesId = issued.SupersedesPlanId;
            policy.IssuedAt = issued.OccurredAt;
            // The replacement may arrive before or after the version it replaces: either way, link them.
            policy.SupersededById ??= await db.PlanReminderSettings.Where(p => p.SupersedesId == issued.PlanId)
                .Select(p => (Guid?)p.PlanId).FirstOrDefaultAsync(cancellationToken);

            if (issued.SupersedesPlanId is { } oldId)
            {
                await db.PlanReminderSettings.Where(p => p.PlanId == oldId)
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.SupersededById, issued.PlanId), cancellationToken);
            }
        });
    }
}
