using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Closing;

/// <summary>
/// The period's close at a unit and the steps of the reports of the units below it never interleave: a submission or a
/// return takes this lock shared in its transaction; the closing takes it exclusively before its snapshot begins (a
/// session lock, taken before its REPEATABLE READ transaction, so that the snapshot sees every step that finished
/// first). A step that waited for a closing reads the closing after the lock and acts on it (a frozen report refuses
/// the return; a report submitted after the close goes into the consolidated draft). Without it, a report submitted
/// while the closing ran could be missing from the snapshot, the draft and the late figures at once.
/// </summary>
public static class ClosingLock
{
    /// <summary>The lock's key: the unit closing and the period.</summary>
    public static string Key(string unit, string period) => $"close:{unit}:{period}";

    public const string SharedSql = "SELECT pg_advisory_xact_lock_shared(hashtext($1))";

    public static Task ShareAsync(ReportingDbContext db, string unit, string period, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared(hashtext({Key(unit, period)}))", ct);

    /// <summary>Held by the closing from before its transaction begins until after it ends (the connection is kept open).</summary>
    public static async Task<IAsyncDisposable> TakeAsync(ReportingDbContext db, string unit, string period, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock(hashtext({Key(unit, period)}))", ct);
        return new Release(db, Key(unit, period));
    }

    sealed class Release(ReportingDbContext db, string key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try { await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock(hashtext({key}))"); }
            finally { await db.Database.CloseConnectionAsync(); }
        }
    }
}
