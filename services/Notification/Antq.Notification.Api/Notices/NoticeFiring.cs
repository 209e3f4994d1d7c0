using Antq.Notification.Api.Data;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Notices;

/// <summary>
/// Sends due notices, a few at a time in one transaction that locks them (<c>FOR UPDATE SKIP LOCKED</c>, so replicas
/// share the work): for each it fixes the text, marks it sent and fans it out: an inbox item for each officer of the
/// receiving unit, and a delivery row for each e-mail address and the webhook of its contact point. Those rows are the
/// durable promise; <see cref="DeliverySender"/> keeps it. A notice is thus sent once, whatever crashes when.
/// A submitted report's e-mails are the exception: each joins the digest of its address (<see cref="DigestMail"/>),
/// in the same transaction, and goes out with the others of its window.
/// </summary>
public sealed class NoticeFiring(NotificationDbContext db, Policies policies, DigestMail digests, TimeProvider clock,
    IOptions<NotificationOptions> options, ILogger<NoticeFiring> logger)
{
    /// <summary>The submissions' e-mails of the batch being sent, gathered into their digests before it commits.</summary>
    readonly List<Gathered> gathered = [];

    /// <summary>How many e-mail and webhook deliveries this instance has written: the sending loops are told of them.</summary>
    public int DeliveriesQueued { get; private set; }

    /// <summary>How many digests the submissions fired by this instance opened.</summary>
    public int DigestsOpened => digests.DigestsOpened;

    /// <summary>How many due notices one transaction takes: a closing makes thousands due at once.</summary>
    const int PerTransaction = 25;

    /// <summary>Sends up to <paramref name="max"/> due notices; returns how many it handled (sent or cancelled).</summary>
    public async Task<int> FireDueAsync(int max, CancellationToken ct)
    {
        var handled = 0;
        while (handled < max)
        {
            int fired;
            var asked = Math.Min(PerTransaction, max - handled);
            try
            {
                fired = await FireBatchAsync(asked, ct);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                // One notice of the batch could not be sent (the batch is rolled back whole): one at a time, so that the
                // others go and only that one waits for the next round.
                logger.LogWarning(ex, "A batch of notices failed; sending them one at a time");
                fired = await FireBatchAsync(1, ct);
                if (fired == 0) break;
                handled += fired;
                continue;
            }

            handled += fired;
            // Fewer than asked for: nothing else is due (or the rest is another loop's, locked); no empty look after it.
            if (fired < asked) break;
        }

        return handled;
    }

    /// <summary>
    /// Takes up to <paramref name="count"/> due notices (<c>FOR UPDATE SKIP LOCKED</c>, so replicas and loops share the
    /// work) and sends them in one transaction: each is fixed, marked sent and fanned out, and all commit together. What
    /// the batch needs to read (schedules, policies, units, officers, contact points) is read for the whole batch at
    /// once, a few round trips instead of several per notice: a closing makes thousands of notices due together.
    /// </summary>
    async Task<int> FireBatchAsync(int count, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        gathered.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var notices = await db.Set<Notice>()
            .FromSql($"SELECT *, xmin FROM notices WHERE status = 'pending' AND due_at <= {now} ORDER BY due_at, id LIMIT {count} FOR UPDATE SKIP LOCKED")
            .ToListAsync(ct);
        if (notices.Count == 0) return 0;
        var batch = await FiringBatch.LoadAsync(db, policies, notices, VietnamTime.DayOf(now), ct);

        // Each at its own moment, in due order: inboxes list what was sent in the order it was sent.
        var sending = new List<(Notice Notice, string Audience, DateTimeOffset At)>(notices.Count);
        foreach (var notice in notices)
        {
            var at = clock.GetUtcNow();
            if (await AudienceAsync(notice, batch, at, ct) is { } audience) sending.Add((notice, audience, at));
        }

        await batch.LoadAudiencesAsync(sending.Select(s => s.Audience), VietnamTime.DayOf(now), ct);
        foreach (var (notice, audience, at) in sending) await SendAsync(notice, audience, at, batch, ct);
        await digests.GatherAsync(gathered, clock.GetUtcNow(), ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        NotificationMetrics.Fired(notices, sending.Select(s => s.Notice));
        return notices.Count;
    }

    /// <summary>Whom <paramref name="notice"/> goes to; null when it no longer applies (it is cancelled).</summary>
    async Task<string?> AudienceAsync(Notice notice, FiringBatch batch, DateTimeOffset now, CancellationToken ct)
    {
        if (!NoticeKinds.IsScheduled(notice.Kind)) return notice.AudienceUnitCode ?? notice.OrgUnitCode;

        var schedule = batch.Schedule(notice);
        var policy = batch.Policy(schedule?.PlanId);
        if (schedule is null || !schedule.Fire(notice, policy, now, out var next))
        {
            if (schedule is null) notice.Cancel("no-schedule");
            logger.LogInformation("Notice {NoticeId} ({Kind} {Slot} of {OrgUnitCode} {Period}) cancelled: {Reason}",
                notice.Id, notice.Kind, notice.Slot, notice.OrgUnitCode, notice.Period, notice.CancelReason);
            return null;
        }

        if (next is not null) db.Add(next);
        if (notice.Kind != NoticeKinds.Escalation) return notice.OrgUnitCode;
        // The unit above on the deadline's day (the copy of the unit tree); the unit the report goes to if the tree does not know it.
        var day = VietnamTime.DayOf((notice.DeadlineAt ?? notice.DueAt) - TimeSpan.FromTicks(1));
        var unit = await batch.UnitAsync(notice.OrgUnitCode, day, ct);
        return unit?.ParentCode ?? schedule.ReportsToCode ?? notice.OrgUnitCode;
    }

    async Task SendAsync(Notice notice, string audience, DateTimeOffset now, FiringBatch batch, CancellationToken ct)
    {
        var day = VietnamTime.DayOf(now);
        var unit = await batch.UnitAsync(notice.OrgUnitCode, day, ct);
        var audienceUnit = audience == notice.OrgUnitCode ? unit : await batch.UnitAsync(audience, day, ct);
        var late = notice.IsLateAt(now, options.Value.Dispatcher.LateAfter);
        var text = NoticeTexts.Render(notice, unit?.Name ?? notice.OrgUnitCode, audienceUnit?.Name ?? audience, now, late);
        notice.MarkSent(now, late, audience, text);

        var deliveries = FanOut(notice, audience, audienceUnit?.Kind, unit?.Name ?? notice.OrgUnitCode, now, batch);
        logger.LogInformation("Notice {NoticeId} ({Kind} {Slot} of {OrgUnitCode} {Period}) sent to {Audience}{Late}: {Deliveries} deliveries",
            notice.Id, notice.Kind, notice.Slot, notice.OrgUnitCode, notice.Period, audience, late ? " late" : "", deliveries);
    }

    /// <summary>
    /// The notice's deliveries: an inbox item for each officer of the audience who reads it there, an e-mail (or a place
    /// in a digest) for each address of the unit's contact point and of the officers who asked for e-mail at their own,
    /// and the webhook. A reminder reaches an officer who set hours of their own at those hours (<see cref="AccountPreferences"/>).
    /// </summary>
    int FanOut(Notice notice, string audience, string? audienceKind, string unitName, DateTimeOffset now, FiringBatch batch)
    {
        var roles = AudienceRoles.For(audienceKind, notice.Kind);
        var officers = batch.Officers(audience);
        var held = NoticeKinds.IsScheduled(notice.Kind);
        var quiet = options.Value.Reminders.ParseQuietHours();
        var count = 0;
        foreach (var officer in officers.Where(o => roles.Contains(o.Role)))
        {
            if (officer.Preferences is { InApp: false }) continue;
            var visibleAt = held && officer.Preferences is { } own ? own.Hold(now, quiet) : now;
            db.Add(new InboxItem
            {
                Id = Guid.CreateVersion7(now), NoticeId = notice.Id, UserId = officer.UserId, CreatedAt = now,
                VisibleAt = visibleAt > now ? visibleAt : null,
            });
            // The inbox item is the delivery: written in the same transaction as the notice, it exists once or not at all.
            var inApp = Delivery.Create(notice.Id, DeliveryChannels.InApp, officer.UserId.ToString(), now);
            inApp.Attempts = 1;
            inApp.LastAttemptAt = now;
            inApp.Succeeded(now);
            db.Add(inApp);
            count++;
        }

        var contact = batch.ContactPoint(audience);
        var addresses = (contact?.Emails ?? [])
            .Concat(officers.Where(o => roles.Contains(o.Role) && o.Preferences is { Email: true } && !string.IsNullOrWhiteSpace(o.Email)).Select(o => o.Email!))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        foreach (var email in addresses)
        {
            // An address that belongs to an officer follows that officer's preferences.
            var owner = officers.FirstOrDefault(o => o.Preferences is not null && string.Equals(o.Email, email, StringComparison.OrdinalIgnoreCase))?.Preferences;
            // The level above hears of submissions by e-mail once per window and address, in a digest.
            if (notice.Kind == NoticeKinds.Submitted)
                gathered.Add(new Gathered(audience, email, owner?.DigestWindow ?? contact?.DigestWindow ?? options.Value.Digest.Window, DigestItem.For(notice, unitName)));
            else
            {
                var delivery = Delivery.Create(notice.Id, DeliveryChannels.Email, email, now);
                if (held && owner is not null && owner.Hold(now, quiet) is var at && at > now) delivery.NextAttemptAt = at;
                db.Add(delivery);
                DeliveriesQueued++;
            }

            count++;
        }

        if (contact?.WebhookUrl is { } url)
        {
            var webhook = Delivery.Create(notice.Id, DeliveryChannels.Webhook, url, now);
            webhook.OrgUnitCode = audience;
            db.Add(webhook);
            DeliveriesQueued++;
            count++;
        }

        return count;
    }

    /// <summary>An active officer of an audience unit, with the account's own preferences if it set any.</summary>
    sealed record Officer(Guid UserId, string Role, string? Email, AccountPreferences? Preferences);

    /// <summary>What one batch of notices reads, read for all of them at once (and each unit once per day asked).</summary>
    sealed class FiringBatch(NotificationDbContext db, Policies policies)
    {
        readonly Dictionary<(string, string), UnitSchedule> schedules = [];
        readonly Dictionary<Guid, ReminderPolicy> planPolicies = [];
        readonly Dictionary<(string, DateOnly), UnitTreeVersion?> units = [];
        readonly Dictionary<string, List<Officer>> officers = new(StringComparer.Ordinal);
        readonly Dictionary<string, ContactPoint> contactPoints = new(StringComparer.Ordinal);

        public static async Task<FiringBatch> LoadAsync(NotificationDbContext db, Policies policies, List<Notice> notices, DateOnly day,
            CancellationToken ct)
        {
            var batch = new FiringBatch(db, policies);
            var scheduled = notices.Where(n => NoticeKinds.IsScheduled(n.Kind)).ToList();
            if (scheduled.Count > 0)
            {
                var codes = scheduled.Select(n => n.OrgUnitCode).Distinct().ToList();
                var periods = scheduled.Select(n => n.Period).Distinct().ToList();
                foreach (var schedule in await db.Set<UnitSchedule>().AsNoTracking()
                             .Where(s => codes.Contains(s.OrgUnitCode) && periods.Contains(s.Period)).ToListAsync(ct))
                    batch.schedules[(schedule.OrgUnitCode, schedule.Period)] = schedule;
                var planIds = batch.schedules.Values.Where(s => s.PlanId != null).Select(s => s.PlanId!.Value).Distinct().ToList();
                var settings = planIds.Count == 0 ? [] : await db.PlanReminderSettings.AsNoTracking().Where(p => planIds.Contains(p.PlanId)).ToListAsync(ct);
                foreach (var id in planIds) batch.planPolicies[id] = policies.For(settings.FirstOrDefault(p => p.PlanId == id));
            }

            await batch.LoadUnitsAsync(notices.Select(n => n.OrgUnitCode), day, ct);
            return batch;
        }

        public UnitSchedule? Schedule(Notice notice) => schedules.GetValueOrDefault((notice.OrgUnitCode, notice.Period));

        public ReminderPolicy Policy(Guid? planId) => planId is { } id && planPolicies.TryGetValue(id, out var policy) ? policy : policies.For(null);

        public async Task<UnitTreeVersion?> UnitAsync(string code, DateOnly day, CancellationToken ct)
        {
            if (!units.TryGetValue((code, day), out var unit)) units[(code, day)] = unit = await db.FindUnitAsOfAsync(code, day, ct);
            return unit;
        }

        /// <summary>The units, officers and contact points of the audiences, each read once for the batch.</summary>
        public async Task LoadAudiencesAsync(IEnumerable<string> audiences, DateOnly day, CancellationToken ct)
        {
            var codes = audiences.Distinct(StringComparer.Ordinal).ToList();
            if (codes.Count == 0) return;
            await LoadUnitsAsync(codes, day, ct);
            foreach (var officer in await db.Recipients.AsNoTracking().Where(r => r.Active && codes.Contains(r.OrgUnitCode))
                         .GroupJoin(db.Set<AccountPreferences>().AsNoTracking(), r => r.UserId, p => p.UserId, (r, p) => new { r, p })
                         .SelectMany(x => x.p.DefaultIfEmpty(), (x, p) => new { x.r.OrgUnitCode, x.r.UserId, x.r.Role, x.r.Email, Preferences = p })
                         .ToListAsync(ct))
            {
                if (!officers.TryGetValue(officer.OrgUnitCode, out var list)) officers[officer.OrgUnitCode] = list = [];
                list.Add(new Officer(officer.UserId, officer.Role, officer.Email, officer.Preferences));
            }

            foreach (var contact in await db.Set<ContactPoint>().AsNoTracking().Where(c => codes.Contains(c.OrgUnitCode)).ToListAsync(ct))
                contactPoints[contact.OrgUnitCode] = contact;
        }

        public IReadOnlyList<Officer> Officers(string unit) => officers.GetValueOrDefault(unit) ?? [];

        public ContactPoint? ContactPoint(string unit) => contactPoints.GetValueOrDefault(unit);

        async Task LoadUnitsAsync(IEnumerable<string> codes, DateOnly day, CancellationToken ct)
        {
            var missing = codes.Where(c => !units.ContainsKey((c, day))).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count == 0) return;
            var found = await db.Set<UnitTreeVersion>().AsNoTracking().ValidAt(day).Where(u => missing.Contains(u.Code)).ToListAsync(ct);
            foreach (var code in missing) units[(code, day)] = found.FirstOrDefault(u => u.Code == code);
        }
    }
}
