using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Antq.Messaging;

/// <summary>
/// The parked rows of <typeparamref name="TContext"/>'s outbox (refused <see cref="OutboxOptions.MaxRefusals"/> times)
/// as dead letters: listed with their last error and when they were parked; a redrive sets their refusals back to 0
/// and makes them due now, and wakes the dispatcher. Also feeds <c>antq.messaging.outbox.backlog</c> (rows waiting to
/// be published) and <c>antq.messaging.outbox.parked</c>.
/// </summary>
public sealed class OutboxDeadLetters<TContext> : IDeadLetterSource, IDisposable
    where TContext : DbContext
{
    static readonly MessagingMetrics.GaugeFeed Backlog = new("antq.messaging.outbox.backlog", "{message}",
        "Outbox rows waiting to be published (parked rows excluded).");

    static readonly MessagingMetrics.GaugeFeed Parked = new("antq.messaging.outbox.parked", "{message}",
        "Outbox rows parked after Outbox:MaxRefusals refusals, until an administrator redrives them.");

    readonly IServiceScopeFactory scopes;
    readonly OutboxSignal signal;
    readonly IOptions<OutboxOptions> options;
    readonly TimeProvider clock;
    readonly IDisposable[] gauges;

    public OutboxDeadLetters(IServiceScopeFactory scopes, OutboxSignal signal, IOptions<OutboxOptions> options, TimeProvider clock)
    {
        this.scopes = scopes;
        this.signal = signal;
        this.options = options;
        this.clock = clock;
        var tag = new KeyValuePair<string, object?>("antq.messaging.outbox", typeof(TContext).Name);
        gauges =
        [
            Backlog.Register(async ct => [new Measurement<long>((await CountAsync(ct)).Backlog, tag)]),
            Parked.Register(async ct => [new Measurement<long>((await CountAsync(ct)).Parked, tag)]),
        ];
    }

    public string Kind => "outbox";

    public async Task<(long Backlog, long Parked)> CountAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var max = options.Value.MaxRefusals;
        var counts = await db.Database.SqlQuery<Counts>($"""
            SELECT count(*) FILTER (WHERE attempts < {max}) AS backlog, count(*) FILTER (WHERE attempts >= {max}) AS parked
            FROM outbox_messages WHERE sent_at IS NULL
            """).SingleAsync(cancellationToken);
        return (counts.Backlog, counts.Parked);
    }

    sealed record Counts(long Backlog, long Parked);

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string service, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var max = options.Value.MaxRefusals;
        var rows = await db.Set<OutboxMessage>()
            .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL AND attempts >= {max} ORDER BY id LIMIT 1000")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.Select(r => new DeadLetter($"{service}:{Kind}:{r.Id}", service, Kind, "outbox", MessagingMetrics.ShortType(r.MessageType),
            r.MessageId, r.LastError, r.NextAttemptAt, r.Attempts)).ToList();
    }

    public async Task<int> RedriveAsync(string service, string? key, CancellationToken cancellationToken)
    {
        long? id = null;
        if (key is not null)
        {
            if (!long.TryParse(key, out var parsed)) return 0;
            id = parsed;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var max = options.Value.MaxRefusals;
        var now = clock.GetUtcNow();
        var redriven = await db.Database.ExecuteSqlAsync($"""
            UPDATE outbox_messages SET attempts = 0, next_attempt_at = {now}
            WHERE sent_at IS NULL AND attempts >= {max} AND ({id} IS NULL OR id = {id})
            """, cancellationToken);
        if (redriven > 0) signal.Notify();
        return redriven;
    }

    public void Dispose()
    {
        foreach (var gauge in gauges) gauge.Dispose();
    }
}
