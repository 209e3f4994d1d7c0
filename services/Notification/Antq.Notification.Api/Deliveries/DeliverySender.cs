using Antq.Notification.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Deliveries;

/// <summary>
/// Sends the e-mail and webhook deliveries that are due. First it claims a batch (<c>FOR UPDATE SKIP LOCKED</c>) and
/// records the attempt, committing before anything leaves; then it sends; then it records the result. The claim is a
/// short lease that the sender renews while it works (<see cref="DeliveryLeaseRenewal"/>): a crash leaves the rows in
/// <c>sending</c> only until the lease runs out, and the next attempt sends them again with the same idempotency key.
/// A result that cannot be recorded (the database restarting) is retried until it is, so that what went out is not sent
/// again. A failure to send is retried with back-off doubling up to a ceiling, then given up and logged.
/// One slow or dead endpoint does not hold up the others: each webhook endpoint's deliveries are handed to a lane of
/// their own (<see cref="WebhookLanes"/>) and the loop goes on at once; while a lane runs, this replica claims nothing
/// more for its endpoint.
/// </summary>
public sealed class DeliverySender(NotificationDbContext db, EmailChannel email, WebhookLanes lanes, WebhookSecrets webhookSecrets,
    DispatchSignals signals, TimeProvider clock, IOptions<NotificationOptions> options, ILogger<DeliverySender> logger)
{
    /// <summary>
    /// Sends one batch of due deliveries of share <paramref name="share"/> of <paramref name="shares"/>; returns how many
    /// were attempted. Deliveries are divided by recipient, so that one address or webhook gets its notices in order.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct, int share = 0, int shares = 1)
    {
        var settings = options.Value.Dispatcher;
        // Claims and results are this loop's own: they wake no other loop (it looks at its next due time after the round).
        using var quiet = signals.Quiet();
        db.ChangeTracker.Clear();
        List<Delivery> claimed;
        // Endpoints whose lane is still sending are left alone: their deliveries wait for it, not beside it.
        var busy = lanes.Busy;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var now = clock.GetUtcNow();
            claimed = await db.Set<Delivery>()
                .FromSql($"""
                    SELECT * FROM deliveries
                    WHERE status IN ('pending', 'sending') AND next_attempt_at <= {now} AND (hashtext(recipient) & 2147483647) % {shares} = {share}
                      AND NOT (channel = {DeliveryChannels.Webhook} AND recipient = ANY({busy}))
                    ORDER BY next_attempt_at, id LIMIT {settings.BatchSize} FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(ct);
            if (claimed.Count == 0) return 0;
            foreach (var delivery in claimed)
            {
                if (delivery.Status == DeliveryStatuses.Sending)
                {
                    // The attempt before was recorded but its result never was: the process died mid-send. The receiver
                    // may have it already; it gets it again with the same key.
                    logger.LogWarning("Delivery {IdempotencyKey} resent after an attempt whose result was not recorded", delivery.IdempotencyKey);
                }

                delivery.BeginAttempt(now, settings.DeliveryLease);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        // From here on the sends and their results are not cut short by a stopping host: the result of what went out
        // must be recorded, or the next start would send it again.
        using var timeout = new CancellationTokenSource(settings.SendTimeout * (claimed.Count + 1));
        var sendToken = timeout.Token;
        var noticeIds = claimed.Select(d => d.NoticeId).Distinct().ToList();
        var notices = await db.Set<Notice>().AsNoTracking().Where(n => noticeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, sendToken);
        var units = claimed.Where(d => d.OrgUnitCode != null && d.Channel == DeliveryChannels.Webhook).Select(d => d.OrgUnitCode!).Distinct().ToList();
        var secrets = await db.Set<ContactPoint>().AsNoTracking().Where(c => units.Contains(c.OrgUnitCode))
            .ToDictionaryAsync(c => c.OrgUnitCode, c => c.ProtectedWebhookSecret, sendToken);
        var outgoing = claimed.Select(d => new Outgoing(d, notices[d.NoticeId],
            d.OrgUnitCode is { } u && d.Channel == DeliveryChannels.Webhook ? webhookSecrets.TryUnprotect(secrets.GetValueOrDefault(u)) : null)).ToList();

        // Webhooks: each endpoint to its lane, which records its results itself; this loop does not wait for them.
        foreach (var endpoint in outgoing.Where(o => o.Delivery.Channel == DeliveryChannels.Webhook).GroupBy(o => o.Delivery.Recipient))
        {
            foreach (var item in endpoint) db.Entry(item.Delivery).State = EntityState.Detached;
            lanes.Start(endpoint.Key, endpoint.ToList());
        }

        var here = outgoing.Where(o => o.Delivery.Channel != DeliveryChannels.Webhook).ToList();
        if (here.Count == 0) return claimed.Count;

        // No other replica takes a row still in flight: the lease is renewed until every result is recorded.
        await using var renewal = DeliveryLeaseRenewal.Start(db.Database.GetConnectionString()!, here.Select(o => o.Delivery.Id).ToArray(),
            here[0].Delivery.LastAttemptAt!.Value, settings.DeliveryLease, clock, logger);
        // The results are recorded a few at a time (ResultsPerWrite), each group in one statement batch and one commit,
        // before the next message goes: the window in which a crash leaves sent messages unrecorded (and so sends them
        // again, once, with the same Message-ID) is at most that many messages long, not one batch.
        var unrecorded = 0;
        Task RecordAsync(Outgoing item, string? error)
        {
            DeliveryResults.Apply(item.Delivery, error, settings, clock, logger);
            return ++unrecorded >= Math.Max(1, settings.ResultsPerWrite) ? FlushAsync() : Task.CompletedTask;
        }

        async Task FlushAsync()
        {
            if (unrecorded == 0) return;
            // Counted off first: a save that gives up (past ResultPatience) is not tried again by the finally below.
            var count = unrecorded;
            unrecorded = 0;
            await DeliveryResults.SaveAsync(db, count, settings.ResultPatience, logger);
        }

        try
        {
            foreach (var item in here.Where(o => o.Delivery.Channel != DeliveryChannels.Email))
            {
                await RecordAsync(item, $"Kênh {item.Delivery.Channel} không được hỗ trợ");
            }

            await email.SendAsync(here.Where(o => o.Delivery.Channel == DeliveryChannels.Email).ToList(), RecordAsync, sendToken);
        }
        finally
        {
            // What went out is recorded, whatever cut the batch short.
            await FlushAsync();
        }

        return claimed.Count;
    }
}

/// <summary>How a sender records the result of one delivery.</summary>
public static class DeliveryResults
{
    /// <summary>
    /// Marks the delivery delivered, or failed with back-off (given up after <c>MaxAttempts</c>), and saves it; a failed
    /// webhook makes its endpoint back off as a whole: its other waiting deliveries are not tried before this one's retry.
    /// </summary>
    public static async Task RecordAsync(NotificationDbContext db, Delivery delivery, string? error, DispatcherSettings settings, TimeProvider clock,
        ILogger logger)
    {
        Apply(delivery, error, settings, clock, logger);
        await SaveAsync(db, 1, settings.ResultPatience, logger);
        if (error is null || delivery.Channel != DeliveryChannels.Webhook || delivery.Status != DeliveryStatuses.Pending) return;
        try
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE deliveries SET next_attempt_at = {delivery.NextAttemptAt}
                WHERE channel = {DeliveryChannels.Webhook} AND recipient = {delivery.Recipient} AND status = 'pending'
                  AND next_attempt_at < {delivery.NextAttemptAt}
                """, CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            // Only a courtesy to the endpoint: its other deliveries are tried once more each, and fail with it.
            logger.LogWarning("Back-off of endpoint {Recipient} not recorded: {Error}", delivery.Recipient, ex.GetBaseException().Message);
        }
    }

    /// <summary>Marks the delivery delivered, or failed with back-off (given up after <c>MaxAttempts</c>), in the context; saved by <see cref="SaveAsync"/>.</summary>
    public static void Apply(Delivery delivery, string? error, DispatcherSettings settings, TimeProvider clock, ILogger logger)
    {
        var done = clock.GetUtcNow();
        if (error is null)
        {
            delivery.Succeeded(done);
        }
        else
        {
            delivery.Failed(done, error, settings.FirstRetryDelay, settings.MaxRetryDelay, settings.MaxAttempts);
            logger.LogWarning("Delivery {IdempotencyKey} failed (attempt {Attempts}, {Status}, next {NextAttemptAt}): {Error}",
                delivery.IdempotencyKey, delivery.Attempts, delivery.Status, delivery.NextAttemptAt, error);
        }

        NotificationMetrics.Recorded(delivery, done);
    }

    /// <summary>
    /// Records the <paramref name="count"/> results applied to the context since the last save, in one statement batch
    /// and one commit, waiting out a database that is restarting (up to <c>ResultPatience</c>): the messages have left,
    /// and a result left unrecorded would send its message again once the lease runs out.
    /// </summary>
    public static async Task SaveAsync(NotificationDbContext db, int count, TimeSpan patience, ILogger logger)
    {
        var started = DateTime.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                if (attempt > 1)
                    logger.LogInformation("Results of {Count} deliveries recorded after {Attempts} attempts", count, attempt);
                return;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or Npgsql.NpgsqlException
                                       && DateTime.UtcNow - started < patience)
            {
                logger.LogWarning("Results of {Count} deliveries not recorded yet (attempt {Attempt}): {Error}",
                    count, attempt, ex.GetBaseException().Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)));
            }
        }
    }
}
