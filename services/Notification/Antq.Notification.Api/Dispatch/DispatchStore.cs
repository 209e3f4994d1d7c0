using Antq.Notification.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Dispatch;

/// <summary>The dispatcher's own question to the database, asked when it is about to sleep.</summary>
public static class DispatchStore
{
    /// <summary>
    /// When the earliest work of loop <paramref name="share"/> of <paramref name="shares"/> falls due: a pending notice, an
    /// open digest's end, or a delivery of its share waiting for its attempt or its lease to run out; null when nothing
    /// waits. Deliveries to an endpoint whose lane is still sending (<paramref name="busy"/>) wait for it: the lane's end wakes
    /// the loop. One statement, each part the first entry of a partial index.
    /// </summary>
    public static Task<DateTimeOffset?> NextDueAsync(this NotificationDbContext db, int share, int shares, string[] busy, CancellationToken ct) =>
        db.Database.SqlQuery<DateTimeOffset?>($"""
            SELECT least(
                (SELECT min(due_at) FROM notices WHERE status = 'pending'),
                (SELECT min(closes_at) FROM digests WHERE status = 'open'),
                (SELECT min(next_attempt_at) FROM deliveries
                 WHERE status IN ('pending', 'sending') AND (hashtext(recipient) & 2147483647) % {shares} = {share}
                   AND NOT (channel = 'webhook' AND recipient = ANY({busy})))
            ) AS "Value"
            """).SingleAsync(ct);
}
