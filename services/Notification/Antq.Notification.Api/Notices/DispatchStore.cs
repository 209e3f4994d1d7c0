using Antq.Notification.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Notices;

/// <summary>When each kind of a loop's work falls due next; null where nothing waits.</summary>
public sealed class NextDue
{
    public DateTimeOffset? Notices { get; set; }

    public DateTimeOffset? Digests { get; set; }

    public DateTimeOffset? Deliveries { get; set; }
}

/// <summary>The dispatcher's own question to the database, asked when a loop is about to sleep.</summary>
public static class DispatchStore
{
    /// <summary>
    /// When the earliest work of loop <paramref name="share"/> of <paramref name="shares"/> falls due, kind by kind: a
    /// pending notice, an open digest's end, a delivery of its share waiting for its attempt or its lease to run out.
    /// Deliveries to an endpoint whose lane is still sending (<paramref name="busy"/>) wait for it: the lane's end wakes
    /// the loop. One statement, each part the first entry of a partial index; kept apart so that a loop woken for one
    /// kind runs only that kind's step.
    /// </summary>
    public static Task<NextDue> NextDueAsync(this NotificationDbContext db, int share, int shares, string[] busy, CancellationToken ct) =>
        db.Database.SqlQuery<NextDue>($"""
            SELECT
                (SELECT min(due_at) FROM notices WHERE status = 'pending') AS notices,
                (SELECT min(closes_at) FROM digests WHERE status = 'open') AS digests,
                (SELECT min(next_attempt_at) FROM deliveries
                 WHERE status IN ('pending', 'sending') AND (hashtext(recipient) & 2147483647) % {shares} = {share}
                   AND NOT (channel = 'webhook' AND recipient = ANY({busy}))) AS deliveries
            """).SingleAsync(ct);
}
