using Antq.Contracts.Reporting;
using Antq.Messaging;
using Antq.Notification.Api.Data;
using Antq.UnitTree;
using MassTransit;

namespace Antq.Notification.Api.Notices;

/// <summary>
/// A report arrived: every notice still pending for it stops in the same transaction, and the level above is told.
/// </summary>
public sealed class ReportSubmittedConsumer(NotificationDbContext db, TimeProvider clock) : IConsumer<ReportSubmitted>
{
    public async Task Consume(ConsumeContext<ReportSubmitted> context)
    {
        var message = context.Message;
        await db.HandleOnceAsync<ReportSubmittedConsumer>(context, async ct =>
        {
            var now = clock.GetUtcNow();
            var schedule = await db.LockScheduleAsync(message.OrgUnitCode, message.Period, now, ct);
            schedule.Submitted(message.SubmittedAt, await db.ScheduledNoticesAsync(message.OrgUnitCode, message.Period, ct), now);
            var audience = message.ReportsToCode
                ?? (await db.FindUnitAsOfAsync(message.OrgUnitCode, VietnamTime.DayOf(message.SubmittedAt), ct))?.ParentCode
                ?? schedule.ReportsToCode;
            if (audience is null) return;
            var notice = Notice.Event(NoticeKinds.Submitted, message.OrgUnitCode, message.Period, audience, context.MessageId!.Value, message.SubmittedAt, now);
            notice.OnTime = message.OnTime;
            notice.DeadlineAt = (message.DueAt ?? schedule.DeadlineAt)?.ToUniversalTime();
            db.Add(notice);
        });
    }
}

/// <summary>A report came back with a reason: the sender is told, and reminded to resubmit.</summary>
public sealed class ReportReturnedConsumer(NotificationDbContext db, Policies policies, TimeProvider clock) : IConsumer<ReportReturned>
{
    public async Task Consume(ConsumeContext<ReportReturned> context)
    {
        var message = context.Message;
        await db.HandleOnceAsync<ReportReturnedConsumer>(context, async ct =>
        {
            var now = clock.GetUtcNow();
            var schedule = await db.LockScheduleAsync(message.OrgUnitCode, message.Period, now, ct);
            var policy = await policies.ForPlanAsync(db, schedule.PlanId, ct);
            var notices = await db.ScheduledNoticesAsync(message.OrgUnitCode, message.Period, ct);
            db.AddRange(schedule.Returned(message.OccurredAt, policy, policies.ResubmitAfter, notices, now));
            var notice = Notice.Event(NoticeKinds.Returned, message.OrgUnitCode, message.Period, message.OrgUnitCode, context.MessageId!.Value, message.OccurredAt, now);
            notice.Reason = message.Reason;
            notice.DeadlineAt = schedule.DeadlineAt;
            db.Add(notice);
        });
    }
}

/// <summary>The level above accepted a report: the sender is told.</summary>
public sealed class ReportAcceptedConsumer(NotificationDbContext db, TimeProvider clock) : IConsumer<ReportAccepted>
{
    public async Task Consume(ConsumeContext<ReportAccepted> context)
    {
        var message = context.Message;
        await db.HandleOnceAsync<ReportAcceptedConsumer>(context, async ct =>
        {
            var now = clock.GetUtcNow();
            var schedule = await db.LockScheduleAsync(message.OrgUnitCode, message.Period, now, ct);
            schedule.Accepted(message.OccurredAt, await db.ScheduledNoticesAsync(message.OrgUnitCode, message.Period, ct), now);
            var notice = Notice.Event(NoticeKinds.Accepted, message.OrgUnitCode, message.Period, message.OrgUnitCode, context.MessageId!.Value, message.OccurredAt, now);
            notice.DeadlineAt = schedule.DeadlineAt;
            db.Add(notice);
        });
    }
}

/// <summary>A period closed at a level: that level's officers get the counts of on-time, late and missing units.</summary>
public sealed class PeriodClosedConsumer(NotificationDbContext db, TimeProvider clock) : IConsumer<PeriodClosed>
{
    public async Task Consume(ConsumeContext<PeriodClosed> context)
    {
        var message = context.Message;
        await db.HandleOnceAsync<PeriodClosedConsumer>(context, ct =>
        {
            var notice = Notice.PeriodClosed(message.OrgUnitCode, message.Period, message.OnTime, message.Late, message.Missing,
                context.MessageId!.Value, message.ClosedAt, clock.GetUtcNow());
            notice.DeadlineAt = message.DueAt.ToUniversalTime();
            db.Add(notice);
            return Task.CompletedTask;
        });
    }
}
