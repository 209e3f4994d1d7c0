using Antq.Notification.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Retention;

/// <summary>
/// Deletes what is older than <c>Notification:Retention:Period</c> on the platform's clock: notices sent or cancelled
/// before the cut-off (sent: by their sending time; cancelled: by their creation) with their inbox items and their
/// deliveries, unless a delivery of theirs is still waiting or in flight; and digests sent before it, with their items.
/// Pending notices (reminders planned ahead) are never touched.
/// </summary>
public sealed class NotificationRetention(NotificationDbContext db, TimeProvider clock, IOptions<NotificationOptions> options)
{
    public sealed record Pruned(int Notices, int Digests);

    public async Task<Pruned> PruneAsync(CancellationToken ct)
    {
        var settings = options.Value.Retention;
        var cutoff = clock.GetUtcNow() - settings.Period;
        var batch = Math.Max(1, settings.BatchSize);
        int notices = 0, digests = 0;
        // In batches, each one statement (and so one transaction): the children and the notice go together.
        while (true)
        {
            var deleted = await db.Database.ExecuteSqlAsync($"""
                WITH old AS (
                    SELECT n.id FROM notices n
                    WHERE n.status <> 'pending' AND coalesce(n.sent_at, n.created_at) < {cutoff}
                      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.notice_id = n.id AND d.status IN ('pending', 'sending'))
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED),
                inbox AS (DELETE FROM inbox_items WHERE notice_id IN (SELECT id FROM old)),
                sent AS (DELETE FROM deliveries WHERE notice_id IN (SELECT id FROM old))
                DELETE FROM notices WHERE id IN (SELECT id FROM old)
                """, ct);
            notices += deleted;
            if (deleted < batch) break;
        }

        while (true)
        {
            var deleted = await db.Database.ExecuteSqlAsync($"""
                WITH old AS (
                    SELECT id FROM digests WHERE status <> 'open' AND coalesce(sent_at, closes_at) < {cutoff}
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED),
                items AS (DELETE FROM digest_items WHERE digest_id IN (SELECT id FROM old))
                DELETE FROM digests WHERE id IN (SELECT id FROM old)
                """, ct);
            digests += deleted;
            if (deleted < batch) break;
        }

        return new Pruned(notices, digests);
    }
}

/// <summary>Runs <see cref="NotificationRetention"/> a minute after start, then every <c>Notification:Retention:Interval</c>.</summary>
public sealed class RetentionJob(IServiceScopeFactory scopes, IOptions<NotificationOptions> options, ILogger<RetentionJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Retention;
        var wait = TimeSpan.FromMinutes(1) < settings.Interval ? TimeSpan.FromMinutes(1) : settings.Interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                var pruned = await scope.ServiceProvider.GetRequiredService<NotificationRetention>().PruneAsync(stoppingToken);
                if (pruned.Notices + pruned.Digests > 0)
                    logger.LogInformation("Retention: deleted {Notices} notices and {Digests} digests older than {Period}", pruned.Notices, pruned.Digests, settings.Period);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Retention round failed; will retry at the next interval");
            }

            wait = settings.Interval;
        }
    }
}
