using Antq.Notification.Api.Data;
using Antq.Notification.Api.Domain;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Dispatch;

/// <summary>
/// Sends due notices, a few at a time in one transaction that locks them (<c>FOR UPDATE SKIP LOCKED</c>, so replicas
/// share the work): for each it fixes the text, marks it sent and fans it out: an inbox item for each officer of the
/// receiving unit, and a delivery row for each e-mail address and the webhook of its contact point. Those rows are the
/// durable promise; <see cref="DeliverySender"/> keeps it. A notice is thus sent once, whatever crashes when.
/// </summary>
public sealed class NoticeFiring(NotificationDbContext db, Policies policies, TimeProvider clock,
    IOptions<NotificationOptions> options, ILogger<NoticeFiring> logger)
{
    /// <summary>How many due notices one transaction takes: a closing makes thousands due at once.</summary>
    const int PerTransaction = 25;

    /// <summary>Sends up to <paramref name="max"/> due notices; returns how many it handled (sent or cancelled).</summary>
    public async Task<int> FireDueAsync(int max, CancellationToken ct)
    {
        var handled = 0;
        while (handled < max)
        {
            int fired;
            try
            {
                fired = await FireBatchAsync(Math.Min(PerTransaction, max - handled), ct);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                // One notice of the batch could not be sent (the batch is rolled back whole): one at a time, so that the
                // others go and only that one waits for the next round.
                logger.LogWarning(ex, "A batch of notices failed; sending them one at a time");
                fired = await FireBatchAsync(1, ct);
            }

            if (fired == 0) break;
            handled += fired;
        }

        return handled;
    }

    /// <summary>
    /// Takes up to <paramref name="count"/> due notices (<c>FOR UPDATE SKIP LOCKED</c>, so replicas and loops share the
    /// work) and sends them in one transaction: each is fixed, marked sent and fanned out, and all commit together.
    /// </summary>
    async Task<int> FireBatchAsync(int count, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var notices = await db.Set<Notice>()
            .FromSql($"SELECT *, xmin FROM notices WHERE status = 'pending' AND due_at <= {now} ORDER BY due_at, id LIMIT {count} FOR UPDATE SKIP LOCKED")
            .ToListAsync(ct);
        if (notices.Count == 0) return 0;
        // Each at its own moment, in due order: inboxes list what was sent in the order it was sent.
        foreach (var notice in notices) await FireAsync(notice, clock.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return notices.Count;
    }

    async Task FireAsync(Notice notice, DateTimeOffset now, CancellationToken ct)
    {
        string audience;
        if (NoticeKinds.IsScheduled(notice.Kind))
        {
            var schedule = await db.Set<UnitSchedule>().AsNoTracking()
                .FirstOrDefaultAsync(s => s.OrgUnitCode == notice.OrgUnitCode && s.Period == notice.Period, ct);
            var policy = await policies.ForPlanAsync(db, schedule?.PlanId, ct);
            if (schedule is null || !schedule.Fire(notice, policy, now, out var next))
            {
                if (schedule is null) notice.Cancel("no-schedule");
                logger.LogInformation("Notice {NoticeId} ({Kind} {Slot} of {OrgUnitCode} {Period}) cancelled: {Reason}",
                    notice.Id, notice.Kind, notice.Slot, notice.OrgUnitCode, notice.Period, notice.CancelReason);
                return;
            }

            if (next is not null) db.Add(next);
            audience = notice.Kind == NoticeKinds.Escalation
                ? await UnitAboveAsync(notice, schedule.ReportsToCode, ct)
                : notice.OrgUnitCode;
        }
        else
        {
            audience = notice.AudienceUnitCode ?? notice.OrgUnitCode;
        }

        var day = VietnamTime.DayOf(now);
        var unit = await db.FindUnitAsOfAsync(notice.OrgUnitCode, day, ct);
        var audienceUnit = audience == notice.OrgUnitCode ? unit : await db.FindUnitAsOfAsync(audience, day, ct);
        var late = notice.IsLateAt(now, options.Value.Dispatcher.LateAfter);
        var text = NoticeTexts.Render(notice, unit?.Name ?? notice.OrgUnitCode, audienceUnit?.Name ?? audience, now, late);
        notice.MarkSent(now, late, audience, text);

        var deliveries = await FanOutAsync(notice, audience, audienceUnit?.Kind, now, ct);
        logger.LogInformation("Notice {NoticeId} ({Kind} {Slot} of {OrgUnitCode} {Period}) sent to {Audience}{Late}: {Deliveries} deliveries",
            notice.Id, notice.Kind, notice.Slot, notice.OrgUnitCode, notice.Period, audience, late ? " late" : "", deliveries);
    }

    /// <summary>The unit above on the deadline's day (the copy of the unit tree); the unit the report goes to if the tree does not know it.</summary>
    async Task<string> UnitAboveAsync(Notice notice, string? reportsToCode, CancellationToken ct)
    {
        var day = VietnamTime.DayOf((notice.DeadlineAt ?? notice.DueAt) - TimeSpan.FromTicks(1));
        var unit = await db.FindUnitAsOfAsync(notice.OrgUnitCode, day, ct);
        return unit?.ParentCode ?? reportsToCode ?? notice.OrgUnitCode;
    }

    async Task<int> FanOutAsync(Notice notice, string audience, string? audienceKind, DateTimeOffset now, CancellationToken ct)
    {
        var roles = AudienceRoles.For(audienceKind);
        var recipients = await db.Recipients.AsNoTracking()
            .Where(r => r.Active && r.OrgUnitCode == audience && roles.Contains(r.Role))
            .Select(r => r.UserId).ToListAsync(ct);
        foreach (var userId in recipients)
        {
            db.Add(new InboxItem { Id = Guid.CreateVersion7(now), NoticeId = notice.Id, UserId = userId, CreatedAt = now });
            // The inbox item is the delivery: written in the same transaction as the notice, it exists once or not at all.
            var inApp = Delivery.Create(notice.Id, DeliveryChannels.InApp, userId.ToString(), now);
            inApp.Attempts = 1;
            inApp.LastAttemptAt = now;
            inApp.Succeeded(now);
            db.Add(inApp);
        }

        var count = recipients.Count;
        var contact = await db.Set<ContactPoint>().AsNoTracking().FirstOrDefaultAsync(c => c.OrgUnitCode == audience, ct);
        if (contact is null) return count;
        foreach (var email in contact.Emails.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            db.Add(Delivery.Create(notice.Id, DeliveryChannels.Email, email, now));
            count++;
        }

        if (contact.WebhookUrl is { } url)
        {
            var webhook = Delivery.Create(notice.Id, DeliveryChannels.Webhook, url, now);
            webhook.OrgUnitCode = audience;
            db.Add(webhook);
            count++;
        }

        return count;
    }
}
