using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Antq.Messaging;

/// <summary>
/// The messaging metrics (meter <c>Antq.Messaging</c>, exported with the service's others):
/// <c>antq.messaging.consumer.failures</c> (messages a consumer gave up on after its retries, by queue, message type,
/// exception type and outcome: <c>requeued</c> for an outage, the message kept in its queue; <c>dead_lettered</c> for a
/// message moved to its queue's <c>_error</c> queue), <c>antq.messaging.outbox.parked</c> and
/// <c>antq.messaging.outbox.backlog</c> (rows of a service's outbox parked after refusals, and waiting to be published),
/// <c>antq.messaging.outbox.oldest_age</c> (seconds the oldest unsent row has waited), <c>antq.messaging.outbox.refusals</c>
/// (refused publishes), <c>antq.messaging.inbox.duplicates</c> (deliveries a consumer's inbox had seen, skipped), and <c>antq.messaging.dead_letters</c> (what an
/// administrator sees in <c>GET /api/dead-letters</c>: messages in <c>_error</c> queues and parked rows).
/// </summary>
public static class MessagingMetrics
{
    public const string MeterName = "Antq.Messaging";

    public static readonly Meter Meter = new(MeterName);

    static readonly Counter<long> ConsumerFailures = Meter.CreateCounter<long>("antq.messaging.consumer.failures", "{message}",
        "Messages a consumer gave up on after its immediate retries: requeued (an outage) or dead_lettered (moved to _error).");

    static readonly Counter<long> OutboxRefusals = Meter.CreateCounter<long>("antq.messaging.outbox.refusals", "{message}",
        "Outbox rows that could not be read or that the broker refused; parked once they reach Outbox:MaxRefusals.");

    static readonly Counter<long> InboxDuplicates = Meter.CreateCounter<long>("antq.messaging.inbox.duplicates", "{message}",
        "Deliveries a consumer had already handled (a redelivery, a re-publish), skipped by its inbox; by consumer.");

    public static void InboxDuplicateSkipped(string consumer) =>
        InboxDuplicates.Add(1, new KeyValuePair<string, object?>("antq.messaging.consumer", consumer));

    public static void ConsumerFailed(string queue, string messageType, Exception exception, bool requeued) =>
        ConsumerFailures.Add(1, new TagList
        {
            { "messaging.destination.name", queue },
            { "messaging.message.type", messageType },
            { "error.type", exception.GetType().FullName },
            { "antq.messaging.outcome", requeued ? "requeued" : "dead_lettered" },
        });

    public static void OutboxRefused(string outbox, string messageType, bool parked) =>
        OutboxRefusals.Add(1, new TagList
        {
            { "antq.messaging.outbox", outbox },
            { "messaging.message.type", messageType },
            { "antq.messaging.parked", parked },
        });

    /// <summary>"Antq.Contracts.Reporting.ReportSubmitted, Antq.Contracts" or "urn:message:Antq.Contracts.Reporting:ReportSubmitted" → "ReportSubmitted".</summary>
    public static string ShortType(string? type)
    {
        if (string.IsNullOrEmpty(type)) return "unknown";
        var name = type.Split(',')[0];
        var cut = Math.Max(name.LastIndexOf('.'), name.LastIndexOf(':'));
        return cut >= 0 ? name[(cut + 1)..] : name;
    }

    /// <summary>
    /// An observable gauge whose figures come from a query: a collection returns the last figures of every registered
    /// owner at once and, when they are older than <see cref="GaugeFeed.MaxAge"/>, starts a refresh in the background
    /// (a collection never waits for a database or a broker; nothing is read while nobody collects).
    /// </summary>
    public sealed class GaugeFeed
    {
        /// <summary>How old a gauge's figures may be before a collection reads them again (a scrape every 15 s reads every other time or so).</summary>
        public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

        readonly ConcurrentDictionary<object, Entry> owners = new();

        public GaugeFeed(string name, string unit, string description) : this(Meter, name, unit, description)
        {
        }

        /// <summary>A gauge of another meter than the messaging one (e.g. the service defaults' readiness).</summary>
        public GaugeFeed(Meter meter, string name, string unit, string description) =>
            meter.CreateObservableGauge(name, Observe, unit, description);

        /// <summary>Adds an owner whose figures <paramref name="refresh"/> reads; dispose the result to remove it.</summary>
        public IDisposable Register(Func<CancellationToken, Task<IReadOnlyList<Measurement<long>>>> refresh)
        {
            var key = new object();
            owners[key] = new Entry(refresh);
            return new Removal(() => owners.TryRemove(key, out _));
        }

        IEnumerable<Measurement<long>> Observe()
        {
            foreach (var entry in owners.Values)
            {
                entry.RefreshIfOld();
                foreach (var measurement in entry.Last) yield return measurement;
            }
        }

        sealed class Entry(Func<CancellationToken, Task<IReadOnlyList<Measurement<long>>>> refresh)
        {
            long refreshedAt = long.MinValue / 2;
            int running;

            public IReadOnlyList<Measurement<long>> Last { get; private set; } = [];

            public void RefreshIfOld()
            {
                if (Environment.TickCount64 - Interlocked.Read(ref refreshedAt) < MaxAge.TotalMilliseconds) return;
                if (Interlocked.Exchange(ref running, 1) == 1) return;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                        Last = await refresh(timeout.Token);
                        Interlocked.Exchange(ref refreshedAt, Environment.TickCount64);
                    }
                    catch
                    {
                        // Unreachable for now: the last figures stay until the next collection tries again.
                    }
                    finally
                    {
                        Volatile.Write(ref running, 0);
                    }
                });
            }
        }

        sealed class Removal(Action remove) : IDisposable
        {
            public void Dispose() => remove();
        }
    }
}
