using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Reports;

/// <summary>Saving reports whose values were entered: the values in one statement, the change sets with the report.</summary>
public static class ReportWrites
{
    /// <summary>Below this many new or changed values, the ordinary save is as good.</summary>
    const int SetBasedFrom = 8;

    /// <summary>
    /// Saves every change of the context, like <c>SaveChangesAsync</c>, but writes the tracked reports' new and changed
    /// values with one upsert instead of a parameterised row each: a full report is some thirty values, and row by row
    /// they were most of a submission's work. The history is one change set per step, saved with the report's row.
    /// Everything commits together: in the caller's transaction, or in one of its own.
    /// </summary>
    public static async Task SaveReportChangesAsync(this ReportingDbContext db, CancellationToken ct)
    {
        var tracker = db.ChangeTracker;
        tracker.DetectChanges();
        var values = tracker.Entries<ReportValue>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList();
        if (values.Count < SetBasedFrom)
        {
            await db.SaveChangesAsync(ct);
            return;
        }

        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            Guid[] valueReports = [.. values.Select(v => v.Entity.ReportId)];
            string[] indicators = [.. values.Select(v => v.Entity.Indicator)];
            decimal?[] amounts = [.. values.Select(v => v.Entity.Value)];
            foreach (var value in values)
            {
                // Written below. Unchanged alone would put a modified value back to what was loaded.
                value.OriginalValues.SetValues(value.CurrentValues);
                value.State = EntityState.Unchanged;
            }

            await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            await db.SaveChangesAsync(ct); // the reports' own rows and change sets first: the values refer to them

            if (values.Count > 0)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO report_values (report_id, indicator, value)
                    SELECT * FROM unnest({valueReports}::uuid[], {indicators}::text[], {amounts}::numeric[])
                    ON CONFLICT (report_id, indicator) DO UPDATE SET value = excluded.value
                    """, ct);
            }

            if (own is not null) await own.CommitAsync(ct);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}
