using System.Collections.Concurrent;

namespace Antq.Messaging.IntegrationTests.Infrastructure;

/// <summary>One message as a consumer saw it.</summary>
public sealed record Delivery(Guid MessageId, object Message, string? TraceId, bool? Handled, Guid? CorrelationId = null);

/// <summary>What the test consumers of one host (or of hosts sharing it) received.</summary>
public sealed class Deliveries
{
    readonly ConcurrentQueue<Delivery> all = new();
    readonly ConcurrentDictionary<Guid, int> arrivals = new();
    readonly ConcurrentDictionary<string, int> failures = new();
    readonly ConcurrentDictionary<Guid, bool> barriers = new();

    public void Add(Delivery delivery) => all.Enqueue(delivery);

    public IReadOnlyList<Delivery> All => all.ToArray();

    public IReadOnlyList<Delivery> Of(Guid messageId) => all.Where(d => d.MessageId == messageId).ToArray();

    public bool Contains(Guid messageId) => all.Any(d => d.MessageId == messageId);

    public int Arrive(Guid messageId) => arrivals.AddOrUpdate(messageId, 1, (_, n) => n + 1);

    public int Arrivals(Guid messageId) => arrivals.GetValueOrDefault(messageId);

    /// <summary>Counts a planned failure for a key; returns how many there have been, this one included.</summary>
    public int Fail(string key) => failures.AddOrUpdate(key, 1, (_, n) => n + 1);

    public int Failures(string key) => failures.GetValueOrDefault(key);

    public void BarrierReached(Guid messageId, bool reached) => barriers[messageId] = reached;

    public bool? Barrier(Guid messageId) => barriers.TryGetValue(messageId, out var reached) ? reached : null;
}
