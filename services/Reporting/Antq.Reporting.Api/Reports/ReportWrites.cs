using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Reports;

/// <summary>Saving reports whose values were entered: the values and their audit trail in two statements.</summary>
public static class ReportWrites
{
    /// <summary>Below this many new values and events together, the ordinary save is as good.</summary>
    const int SetBasedFrom = 8;

    /// <summary>
    /// Saves every change of the context, like <c>SaveChangesAsync</c>, but writes the tracked reports' new and changed
    /// values (one upsert) and their new audit events (one insert, in the order they happened) with a statement each
    /// instead of a parameterised row each: a full report is some thirty values and as many events, and row by row they
    /// were most of a submission's work. Everything commits together: in the caller's transaction, or in one of its own.
    /// </summary>
    public static async Task SaveReportChangesAsync(this ReportingDbContext db, CancellationToken ct)
    {
        var tracker = db.ChangeTracker;
        tracker.DetectChanges();
        var values = tracker.Entries<ReportValue>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToList();
        var reports = tracker.Entries<Report>().Select(e => e.Entity).ToList();
        var added = tracker.Entries<ReportEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToHashSet();
        var events = reports.SelectMany(r => r.Events).Where(added.Contains).ToList();
        if (values.Count + events.Count < SetBasedFrom)
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

            foreach (var e in events) db.Entry(e).State = EntityState.Detached;
            await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            await db.SaveChangesAsync(ct); // the reports' own rows first: the values and events refer to them

            if (values.Count > 0)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO report_values (report_id, indicator, value)
                    SELECT * FROM unnest({valueReports}::uuid[], {indicators}::text[], {amounts}::numeric[])
                    ON CONFLICT (report_id, indicator) DO UPDATE SET value = excluded.value
                    """, ct);
            }

            Guid[] eventReports = [.. events.Select(e => e.ReportId)];
            string[] actions = [.. events.Select(e => e.Action)];
            string?[] fields = [.. events.Select(e => e.Field)];
            string?[] olds = [.. events.Select(e => e.OldValue)];
            string?[] news = [.. events.Select(e => e.NewValue)];
            string[] bys = [.. events.Select(e => e.By)];
            DateTimeOffset[] ats = [.. events.Select(e => e.At)];
            if (events.Count > 0)
            {
                // In list order, so that the identity keeps the order in which the changes were made.
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO report_events (report_id, action, field, old_value, new_value, "by", at)
                    SELECT r, a, f, o, n, b, t
                    FROM unnest({eventReports}::uuid[], {actions}::text[], {fields}::text[], {olds}::text[], {news}::text[], {bys}::text[], {ats}::timestamptz[])
                         WITH ORDINALITY AS e(r, a, f, o, n, b, t, ord)
                    ORDER BY ord
                    """, ct);
            }

            if (own is not null) await own.CommitAsync(ct);
            // The events are stored; their rows are read back with the report when its history is asked for.
            foreach (var report in reports) report.Events.RemoveAll(added.Contains);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }
}
