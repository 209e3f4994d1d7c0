using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Antq.Messaging;

/// <summary>
/// The parked rows of <typeparamref name="TContext"/>'s outbox (refused <see cref="OutboxOptions.MaxRefusals"/> times)
/// as dead letters: listed with their last error and when they were parked; a redrive sets their refusals back to 0
/// and makes them due now, and wakes the dispatcher. Also feeds <c>antq.messaging.outbox.backlog</c> (rows waiting to
/// be published), <c>antq.messaging.outbox.oldest_age</c> (how long the oldest of them has waited) and
/// <c>antq.messaging.outbox.parked</c>, all three from one statement at most every <see cref="FiguresMaxAge"/>, and
/// only while somebody scrapes: an idle platform nobody watches is not asked anything more.
/// </summary>
public sealed class OutboxDeadLetters<TContext> : IDeadLetterSource, IDisposable
    where TContext : DbContext
{
    static readonly MessagingMetrics.GaugeFeed Backlog = new("antq.messaging.outbox.backlog", "{message}",
        "Outbox rows waiting to be published (parked rows excluded).");

    static readonly MessagingMetrics.GaugeFeed OldestAge = new("antq.messaging.outbox.oldest_age", "s",
        "How long the oldest outbox row waiting to be published has waited (0 when none waits); parked rows excluded.");

    static readonly MessagingMetrics.GaugeFeed Parked = new("antq.messaging.outbox.parked", "{message}",
        "Outbox rows parked after Outbox:MaxRefusals refusals, until an administrator redrives them.");

    /// <summary>The gauges' figures are read once for all three (and the dead-letter count), then kept this long.</summary>
    public static TimeSpan FiguresMaxAge => MessagingMetrics.GaugeFeed.MaxAge / 2;

    readonly IServiceScopeFactory scopes;
    readonly OutboxSignal signal;
    readonly IOptions<OutboxOptions> options;
    readonly TimeProvider clock;
    readonly IDisposable[] gauges;
    readonly SemaphoreSlim figuresGate = new(1, 1);
    Figures? figures;
    long figuresAt;

    public OutboxDeadLetters(IServiceScopeFactory scopes, OutboxSignal signal, IOptions<OutboxOptions> options, TimeProvider clock)
    {
        this.scopes = scopes;
        this.signal = signal;
        this.options = options;
        this.clock = clock;
        var tag = new KeyValuePair<string, object?>("antq.messaging.outbox", typeof(TContext).Name);
        gauges =
        [
            Backlog.Register(async ct => [new Measurement<long>((await FiguresAsync(ct)).Backlog, tag)]),
            OldestAge.Register(async ct => [new Measurement<long>((await FiguresAsync(ct)).OldestAgeSeconds, tag)]),
            Parked.Register(async ct => [new Measurement<long>((await FiguresAsync(ct)).Parked, tag)]),
        ];
    }

    /// <summary>What the outbox gauges show: rows waiting, the age in whole seconds of the oldest waiting, rows parked.</summary>
    public sealed record Figures(long Backlog, long OldestAgeSeconds, long Parked);

    /// <summary>The gauges' figures, read again only when the last read is older than <see cref="FiguresMaxAge"/>.</summary>
    public async Task<Figures> FiguresAsync(CancellationToken cancellationToken)
    {
        await figuresGate.WaitAsync(cancellationToken);
        try
        {
            if (figures is null || Environment.TickCount64 - figuresAt >= FiguresMaxAge.TotalMilliseconds)
            {
                figures = await ReadFiguresAsync(cancellationToken);
                figuresAt = Environment.TickCount64;
            }

            return figures;
        }
        finally
        {
            figuresGate.Release();
        }
    }

    public string Kind => "outbox";

    /// <summary>Rows waiting and rows parked, read now (not cached).</summary>
    public async Task<(long Backlog, long Parked)> CountAsync(CancellationToken cancellationToken)
    {
        var read = await ReadFiguresAsync(cancellationToken);
        return (read.Backlog, read.Parked);
    }

    /// <summary>The parked rows for the dead-letter gauge: the gauges' cached figures, no statement of its own.</summary>
    public async Task<long> CountAsync(string service, CancellationToken cancellationToken) => (await FiguresAsync(cancellationToken)).Parked;

    /// <summary>One statement on the pending rows (the partial index on unsent rows keeps it small); ages on the platform's clock.</summary>
    async Task<Figures> ReadFiguresAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var max = options.Value.MaxRefusals;
        var counts = await db.Database.SqlQuery<Counts>($"""
            SELECT count(*) FILTER (WHERE attempts < {max}) AS backlog, count(*) FILTER (WHERE attempts >= {max}) AS parked,
                   min(created_at) FILTER (WHERE attempts < {max}) AS oldest
            FROM outbox_messages WHERE sent_at IS NULL
            """).SingleAsync(cancellationToken);
        var age = counts.Oldest is { } oldest ? Math.Max(0, (long)(clock.GetUtcNow() - oldest).TotalSeconds) : 0;
        return new Figures(counts.Backlog, age, counts.Parked);
    }

    sealed record Counts(long Backlog, long Parked, DateTimeOffset? Oldest);

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
        figuresGate.Dispose();
    }
}
