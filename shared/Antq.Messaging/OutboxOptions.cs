using Antq.Settings;

namespace Antq.Messaging;

/// <summary>Settings of the outbox dispatcher (configuration section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Rows taken per round; each round is one transaction holding its rows' locks.</summary>
    [Positive]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// The safety poll: how long the dispatcher sleeps at most when no commit wakes it and no row falls due. Every row is
    /// written by a process whose commit wakes its own dispatcher (<see cref="OutboxSignal"/>), and a row put back for a
    /// retry wakes it when due; the poll only catches a row whose writer died between its commit and the publish.
    /// </summary>
    [Positive]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Refusals after which a row is parked: a row that cannot be read (its type unknown, its body unreadable) or that
    /// the broker refuses is retried with a growing delay, and parked at this many (kept, not retried, not blocking the
    /// others; listed in <c>GET /api/dead-letters</c> and sent again by a redrive). A broker that is down or does not
    /// confirm in time refuses nothing: an outage of any length parks no row. With the default delays, 10 refusals take
    /// about 6 minutes.
    /// </summary>
    [Positive]
    public int MaxRefusals { get; set; } = 10;

    /// <summary>How long the publishes of a round may wait for the broker's confirms; a row not confirmed by then is retried in a later round.</summary>
    [Positive]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first retry's delay, doubled at each further attempt; also how soon a failed round is tried again.</summary>
    [Positive]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Positive]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sent outbox rows and inbox rows older than this are deleted.</summary>
    [Positive]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    [Positive]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
