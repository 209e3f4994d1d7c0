using System.Diagnostics.Metrics;

namespace Antq.Messaging;

/// <summary>
/// A message that will not go on by itself until somebody acts: a consumer's message in an <c>_error</c> queue
/// (it failed for its own reasons) or an outbox row parked after refusals. <see cref="Id"/> names the service, the
/// kind and the place (<c>notification:queue:notification-report-submitted:{messageId}</c>,
/// <c>reporting:outbox:{rowId}</c>), so a redrive reaches the service that holds it.
/// </summary>
/// <param name="Where">The <c>_error</c> queue, or <c>outbox</c>.</param>
/// <param name="Reason">The exception type and message of the last failure.</param>
/// <param name="Since">When it failed for good: moved to <c>_error</c>, or parked.</param>
/// <param name="Attempts">The outbox row's refusals; null for a queue's message.</param>
public sealed record DeadLetter(string Id, string Service, string Kind, string Where, string MessageType, Guid? MessageId, string? Reason,
    DateTimeOffset? Since, int? Attempts);

/// <summary>One place that holds dead letters: a service's outbox, or its consumers' <c>_error</c> queues.</summary>
public interface IDeadLetterSource
{
    /// <summary>"outbox" or "queue": the second part of the ids this source lists.</summary>
    string Kind { get; }

    Task<IReadOnlyList<DeadLetter>> ListAsync(string service, CancellationToken cancellationToken);

    /// <summary>How many dead letters it holds, for the gauge; a source that can count more cheaply than it lists says so.</summary>
    async Task<long> CountAsync(string service, CancellationToken cancellationToken) => (await ListAsync(service, cancellationToken)).Count;

    /// <summary>Sends back the dead letter whose id ends in <paramref name="key"/> (after <c>service:kind:</c>), or every one when null; returns how many.</summary>
    Task<int> RedriveAsync(string service, string? key, CancellationToken cancellationToken);
}

/// <summary>
/// Every dead letter of this service (its <see cref="IDeadLetterSource"/>s), listed and redriven; behind
/// <c>GET /api/dead-letters</c>, <c>POST /api/dead-letters/{id}/redrive</c> and <c>POST /api/dead-letters/redrive</c>.
/// Counted in <c>antq.messaging.dead_letters</c> (by service and kind).
/// </summary>
public sealed class DeadLetterBook : IDisposable
{
    static readonly MessagingMetrics.GaugeFeed Gauge = new("antq.messaging.dead_letters", "{message}",
        "Dead letters: messages in consumers' _error queues and parked outbox rows, by service and kind.");

    readonly IReadOnlyList<IDeadLetterSource> sources;
    readonly IDisposable gauge;

    public DeadLetterBook(string service, IEnumerable<IDeadLetterSource> sources)
    {
        Service = service;
        this.sources = sources.ToList();
        gauge = Gauge.Register(async cancellationToken =>
        {
            var measurements = new List<Measurement<long>>();
            foreach (var source in this.sources)
            {
                var count = await source.CountAsync(service, cancellationToken);
                measurements.Add(new Measurement<long>(count, new KeyValuePair<string, object?>("antq.service", service),
                    new KeyValuePair<string, object?>("antq.messaging.dead_letter.kind", source.Kind)));
            }

            return measurements;
        });
    }

    public string Service { get; }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(CancellationToken cancellationToken)
    {
        var all = new List<DeadLetter>();
        foreach (var source in sources) all.AddRange(await source.ListAsync(Service, cancellationToken));
        return all.OrderBy(l => l.Since ?? DateTimeOffset.MaxValue).ToList();
    }

    /// <summary>Sends back one dead letter of this service; null when the id is not this service's or names no kind it has.</summary>
    public async Task<int?> RedriveAsync(string id, CancellationToken cancellationToken)
    {
        var parts = id.Split(':', 3);
        if (parts.Length < 3 || parts[0] != Service) return null;
        var source = sources.FirstOrDefault(s => s.Kind == parts[1]);
        return source is null ? null : await source.RedriveAsync(Service, parts[2], cancellationToken);
    }

    public async Task<int> RedriveAllAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        foreach (var source in sources) total += await source.RedriveAsync(Service, null, cancellationToken);
        return total;
    }

    public void Dispose() => gauge.Dispose();
}
