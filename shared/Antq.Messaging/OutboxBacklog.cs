using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Antq.Messaging;

/// <summary>What an outbox holds unsent, for the status page: rows waiting, rows parked, and when the oldest waiting row was written.</summary>
/// <param name="Outbox">The context whose outbox it is (a service may have more than one).</param>
/// <param name="Unsent">Rows waiting to be published (parked rows excluded).</param>
/// <param name="Parked">Rows parked after <see cref="OutboxOptions.MaxRefusals"/> refusals.</param>
/// <param name="OldestUnsentAt">When the oldest waiting row was written; null when none waits.</param>
public sealed record OutboxFigures(string Outbox, long Unsent, long Parked, DateTimeOffset? OldestUnsentAt);

/// <summary>Reads an outbox's <see cref="OutboxFigures"/>; one is registered per outbox (<c>AddAntqOutbox</c>).</summary>
public interface IOutboxBacklog
{
    Task<OutboxFigures> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The backlog of <typeparamref name="TContext"/>'s outbox in one statement over the unsent rows only (the pending
/// index): a backlog that grows, or an oldest row that gets older, says the dispatcher or the broker is stuck.
/// </summary>
public sealed class OutboxBacklog<TContext>(IServiceScopeFactory scopes, IOptions<OutboxOptions> options) : IOutboxBacklog
    where TContext : DbContext
{
    public async Task<OutboxFigures> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var max = options.Value.MaxRefusals;
        var row = await db.Database.SqlQuery<Row>($"""
            SELECT count(*) FILTER (WHERE attempts < {max}) AS unsent, count(*) FILTER (WHERE attempts >= {max}) AS parked,
                   min(created_at) FILTER (WHERE attempts < {max}) AS oldest
            FROM outbox_messages WHERE sent_at IS NULL
            """).SingleAsync(cancellationToken);
        return new OutboxFigures(typeof(TContext).Name, row.Unsent, row.Parked, row.Oldest);
    }

    sealed record Row(long Unsent, long Parked, DateTimeOffset? Oldest);
}
