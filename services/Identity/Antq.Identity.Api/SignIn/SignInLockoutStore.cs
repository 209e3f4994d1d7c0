using System.Data.Common;
using Antq.Identity.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Antq.Identity.Api.SignIn;

/// <summary>
/// The counting of wrong passwords per (account, client address), in single statements: concurrent attempts each add
/// their one, and exactly one of them sees the count reach the threshold and sets the lockout.
/// </summary>
static class SignInLockoutStore
{
    /// <summary>The count after this attempt and the lockout in force after it, if any.</summary>
    public readonly record struct Count(int FailedLogins, DateTimeOffset? LockedUntil);

    /// <summary>Until when the address is refused for the account, if it is now.</summary>
    public static async Task<DateTimeOffset?> LockedUntilAsync(IdentityDbContext db, Guid userId, string address, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var until = await db.SignInLockouts.AsNoTracking()
            .Where(l => l.UserId == userId && l.Address == address)
            .Select(l => l.LockedUntil)
            .SingleOrDefaultAsync(cancellationToken);
        return until > now ? until : null;
    }

    /// <summary>
    /// One more wrong password from the address: <c>failed_logins + 1</c> in place (from 1 again once a lockout has
    /// run out), and the lockout set by the statement that reaches the threshold. One round trip, no read before.
    /// </summary>
    public static async Task<Count> CountFailureAsync(IdentityDbContext db, Guid userId, string address, DateTimeOffset now,
        AccountLockoutOptions options, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO sign_in_lockouts AS l (user_id, address, failed_logins, locked_until, last_failed_at)
            VALUES (@user, @address, 1, CASE WHEN 1 >= @max THEN @until END, @now)
            ON CONFLICT (user_id, address) DO UPDATE SET
                failed_logins = CASE WHEN l.locked_until <= @now THEN 1 ELSE l.failed_logins + 1 END,
                locked_until = CASE
                    WHEN l.locked_until > @now THEN l.locked_until
                    WHEN (CASE WHEN l.locked_until <= @now THEN 1 ELSE l.failed_logins + 1 END) >= @max THEN @until
                    END,
                last_failed_at = @now
            RETURNING failed_logins, locked_until
            """;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.Parameters.Add(new NpgsqlParameter("user", userId));
            command.Parameters.Add(new NpgsqlParameter("address", address));
            command.Parameters.Add(new NpgsqlParameter("max", Math.Max(1, options.MaxFailedLogins)));
            command.Parameters.Add(new NpgsqlParameter("now", now.ToUniversalTime()));
            command.Parameters.Add(new NpgsqlParameter("until", (now + options.Duration).ToUniversalTime()));
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return new Count(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A good password from the address: its count starts again. Other addresses keep theirs.</summary>
    public static Task ClearAsync(IdentityDbContext db, Guid userId, string address, CancellationToken cancellationToken) =>
        db.SignInLockouts.Where(l => l.UserId == userId && l.Address == address).ExecuteDeleteAsync(cancellationToken);
}
