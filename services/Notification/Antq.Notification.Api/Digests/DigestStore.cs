using Antq.Notification.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Digests;

/// <summary>The digests' hand-written SQL: the open digest of a unit and address, taken under its row lock.</summary>
public static class DigestStore
{
    /// <summary>
    /// The open digest of <paramref name="audienceUnitCode"/> and <paramref name="recipient"/>, opened now for
    /// <paramref name="window"/> if there is none, locked until the transaction ends. Two transactions that open the same
    /// one at once serialize on the unique index of open digests: the second waits, then finds the first's row. The
    /// digest found open may be closing meanwhile (the sender holds its lock and marks it sent): the lock then finds no
    /// open row once the sender commits, and a new digest is opened; so this tries again, a few times, before it gives up.
    /// </summary>
    public static async Task<(Digest Digest, bool Opened)> LockOpenDigestAsync(this NotificationDbContext db, string audienceUnitCode, string recipient,
        DateTimeOffset now, TimeSpan window, CancellationToken ct)
    {
        var opened = Digest.Open(audienceUnitCode, recipient, now, window);
        for (var attempt = 1; ; attempt++)
        {
            var inserted = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO digests (audience_unit_code, recipient, status, opened_at, closes_at)
                VALUES ({opened.AudienceUnitCode}, {opened.Recipient}, {DigestStatuses.Open}, {opened.OpenedAt}, {opened.ClosesAt})
                ON CONFLICT (audience_unit_code, recipient) WHERE status = 'open' DO NOTHING
                """, ct);
            var rows = await db.Set<Digest>()
                .FromSql($"SELECT * FROM digests WHERE audience_unit_code = {opened.AudienceUnitCode} AND recipient = {opened.Recipient} AND status = 'open' FOR UPDATE")
                .ToListAsync(ct);
            if (rows.Count == 1) return (rows[0], inserted > 0);
            if (attempt == 3)
                throw new InvalidOperationException($"No open digest of {audienceUnitCode} for {recipient} after {attempt} attempts: each one found closed by the sender.");
        }
    }

    /// <summary>Up to <paramref name="count"/> open digests whose window has ended, locked (<c>SKIP LOCKED</c>: replicas share them).</summary>
    public static Task<List<Digest>> LockDueDigestsAsync(this NotificationDbContext db, DateTimeOffset now, int count, CancellationToken ct) =>
        db.Set<Digest>()
            .FromSql($"SELECT * FROM digests WHERE status = 'open' AND closes_at <= {now.ToUniversalTime()} ORDER BY closes_at, id LIMIT {count} FOR UPDATE SKIP LOCKED")
            .ToListAsync(ct);
}
