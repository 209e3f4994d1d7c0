using System.Data;
using System.Diagnostics;
using System.Text.Json;
using Antq.Contracts.Reporting;
using Antq.Messaging;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Antq.Reporting.Api.Closing;

/// <summary>Settings of the closing job (section <c>Closing</c>).</summary>
public sealed class ClosingOptions
{
    public const string Section = "Closing";

    /// <summary>How often a replica looks for due, unclosed deadlines.</summary>
    [Antq.Settings.Positive]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many units one replica closes at once.</summary>
    [Antq.Settings.Positive]
    public int Parallelism { get; set; } = 4;

    public bool Enabled { get; set; } = true;
}

/// <summary>A unit whose children's deadline has passed and whose period is not closed yet.</summary>
public sealed record DueClosing(string Unit, string Period, DateTimeOffset DueAt);

/// <summary>
/// Closes periods (khóa sổ): when the deadline of the units reporting to a unit passes, freezes the unit's roll-up and
/// its children's statuses, makes the unit's own report draft from it and publishes <see cref="PeriodClosed"/>.
/// </summary>
/// <remarks>
/// Once per unit and period, with any number of replicas and after downtime: each replica looks for due deadlines
/// without a closing row (so a deadline that passed while every replica was down is found when one comes back), and a
/// closing begins by inserting its row under the unique key (unit, period). The second replica to try waits on that
/// key, then inserts nothing (or fails to serialize) and rolls back: only the transaction that owns the row writes the
/// snapshot, the draft and the outbox message, all committed together. The transaction is REPEATABLE READ, so the
/// children's statuses and the cells are read from one snapshot of the database.
/// </remarks>
public sealed class PeriodCloser(ReportingDbContext db, ReportLifecycle lifecycle, TimeProvider clock, IOptions<DataWindowOptions> window, ILogger<PeriodCloser> logger)
{
    /// <summary>The units due for closing now, the earliest deadline first (communes' deadlines close districts before districts' close provinces).</summary>
    public Task<List<DueClosing>> FindDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Database.SqlQuery<DueClosing>($"""
            SELECT d.reports_to_code AS unit, d.period AS period, max(d.due_at) AS due_at
            FROM unit_deadlines d
            WHERE d.due_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM period_closings c WHERE c.org_unit_code = d.reports_to_code AND c.period = d.period)
            GROUP BY d.reports_to_code, d.period
            HAVING max(d.due_at) <= {now}
            ORDER BY max(d.due_at), d.reports_to_code
            """).ToListAsync(ct);
    }

    /// <summary>Closes the period at one unit; null when another replica closed it (or is closing it) or it could not close now.</summary>
    public async Task<PeriodClosing?> CloseAsync(DueClosing due, CancellationToken ct)
    {
        if (!ReportingPeriod.TryParseExact(due.Period, out var period))
        {
            logger.LogWarning("Deadline of {Unit} for an unknown period {Period} ignored", due.Unit, due.Period);
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        var date = period.HierarchyDate(window.Value);
        var unit = await db.FindUnitAsOfAsync(due.Unit, date, ct);
        var children = await db.ChildrenAsOfAsync(due.Unit, date, ct);
        var catalogue = await db.InForceAsync(ct);
        var now = clock.GetUtcNow();
        var id = Guid.NewGuid();

        // Before the snapshot begins: every step of a report below that started first has finished (see ClosingLock).
        await using var closingLock = await ClosingLock.TakeAsync(db, due.Unit, period.Code, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        try
        {
            // Shared, like every live change: a recomputation of the cells never runs under a closing.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared(hashtext('rollup:' || {period.Code}))", ct);
            var claimed = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO period_closings (id, org_unit_code, period, due_at, closed_at, hierarchy_date, catalogue_version,
                                             expected, on_time, late, missing, missing_codes, "values")
                VALUES ({id}, {due.Unit}, {period.Code}, {due.DueAt}, {now}, {date}, {catalogue.Version}, 0, 0, 0, 0, ARRAY[]::text[], jsonb_build_object())
                ON CONFLICT (org_unit_code, period) DO NOTHING
                """, ct);
            if (claimed == 0)
            {
                await transaction.RollbackAsync(ct);
                return null;
            }

            var closing = await FreezeAsync(id, due, period, date, catalogue, children, now, ct);
            var report = await PrepareOwnReportAsync(due.Unit, period, catalogue, closing, now, ct);
            db.AddOutboxMessage(new PeriodClosed
            {
                ClosingId = id, OrgUnitCode = due.Unit, Period = period.Code, DueAt = due.DueAt, ClosedAt = now,
                Expected = closing.Expected, OnTime = closing.OnTime, Late = closing.Late, Missing = closing.Missing,
                MissingCodes = closing.MissingCodes, OccurredAt = now,
            }, clock);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            ReportingMetrics.PeriodClosed(period.IsSixMonth ? "six_month" : "annual", started);
            logger.LogInformation("Period {Period} closed at {Unit} ({Name}): {OnTime} on time, {Late} late, {Missing} missing of {Expected}; own report {Status}",
                period.Code, due.Unit, unit?.Name, closing.OnTime, closing.Late, closing.Missing, closing.Expected, report?.Status);
            return closing;
        }
        catch (Exception ex) when (IsRace(ex))
        {
            // Another replica closed it, or the unit's report changed under us: the next pass tries again if still due.
            db.ChangeTracker.Clear();
            logger.LogInformation("Closing {Period} at {Unit} deferred: {Reason}", due.Period, due.Unit, ex.GetBaseException().Message);
            return null;
        }
    }

    async Task<PeriodClosing> FreezeAsync(Guid id, DueClosing due, ReportingPeriod period, DateOnly date, Catalogue catalogue,
        List<UnitTreeVersion> children, DateTimeOffset now, CancellationToken ct)
    {
        // The children's statuses, set-based: one row per unit reporting to the unit in the period's hierarchy.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO period_closing_children (closing_id, child_code, child_name, standing, report_status, submitted_at, due_at, frozen, narrative)
            SELECT {id}, u.code, u.name,
                   CASE WHEN r.status IN ('Submitted', 'Accepted') THEN CASE WHEN r.on_time = false THEN 'late' ELSE 'onTime' END ELSE 'missing' END,
                   lower(r.status),
                   CASE WHEN r.status IN ('Submitted', 'Accepted') THEN r.submitted_at END,
                   COALESCE(CASE WHEN r.status IN ('Submitted', 'Accepted') THEN r.due_at END, d.due_at),
                   COALESCE(r.status IN ('Submitted', 'Accepted'), false),
                   CASE WHEN r.status IN ('Submitted', 'Accepted') AND r.narrative <> jsonb_build_object() THEN r.narrative END
            FROM unit_tree_versions u
            LEFT JOIN reports r ON r.org_unit_code = u.code AND r.period = {period.Code}
            LEFT JOIN unit_deadlines d ON d.org_unit_code = u.code AND d.period = {period.Code}
            WHERE u.parent_code = {due.Unit} AND u.valid_from <= {date} AND (u.valid_to IS NULL OR u.valid_to > {date})
            """, ct);
        var standings = await db.ClosingChildren.AsNoTracking().Where(c => c.ClosingId == id)
            .Select(c => new { c.ChildCode, c.Standing }).ToListAsync(ct);
        var values = await db.AggregateAsync(catalogue, period, due.Unit, children, ct);
        var closing = new PeriodClosing
        {
            Id = id, OrgUnitCode = due.Unit, Period = period.Code, DueAt = due.DueAt, ClosedAt = now, HierarchyDate = date,
            CatalogueVersion = catalogue.Version,
            Expected = standings.Count,
            OnTime = standings.Count(s => s.Standing == Standings.OnTime),
            Late = standings.Count(s => s.Standing == Standings.Late),
            Missing = standings.Count(s => s.Standing == Standings.Missing),
            MissingCodes = [.. standings.Where(s => s.Standing == Standings.Missing).Select(s => s.ChildCode).Order(StringComparer.Ordinal)],
            ValuesJson = SerializeValues(values),
        };
        var missing = closing.MissingCodes.ToArray();
        await db.Database.ExecuteSqlAsync($"""
            UPDATE period_closings SET expected = {closing.Expected}, on_time = {closing.OnTime}, late = {closing.Late},
                   missing = {closing.Missing}, missing_codes = {missing}, "values" = {closing.ValuesJson}::jsonb
            WHERE id = {id}
            """, ct);
        return closing;
    }

    /// <summary>
    /// Creates or updates the unit's own report as its consolidated draft: each entered number (not the yes/no ones,
    /// whose roll-up is a count of units, and not the computed ones) pre-filled with the roll-up plus what the unit
    /// had typed for its own work. A report already submitted or accepted is left as it is.
    /// </summary>
    async Task<Report?> PrepareOwnReportAsync(string unit, ReportingPeriod period, Catalogue catalogue, PeriodClosing closing,
        DateTimeOffset now, CancellationToken ct)
    {
        var rolled = DeserializeValues(closing.ValuesJson);
        return await lifecycle.ConsolidateAsync(unit, period.Code, catalogue, own =>
        {
            var prefill = new Dictionary<string, decimal?>(StringComparer.Ordinal);
            foreach (var indicator in catalogue.AskedIn(period.Kind).Where(i => i.IsEntered && i.Aggregation == Aggregation.Sum && i.ValueType != Indicators.ValueType.Boolean))
            {
                var total = rolled.TryGetValue(indicator.Code, out var value) ? value.Value : null;
                var mine = own.TryGetValue(indicator.Code, out var typed) ? typed : (decimal?)null;
                if (total is null && mine is null) continue;
                prefill[indicator.Code] = (total ?? 0) + (mine ?? 0);
            }

            return prefill;
        }, now, ct);
    }

    static bool IsRace(Exception ex) => ex is DbUpdateException
        || ex.GetBaseException() is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected };

    public static string SerializeValues(IReadOnlyDictionary<string, AggregateValue> values) =>
        JsonSerializer.Serialize(values.ToDictionary(v => v.Key, v => new SnapshotValue(v.Value.Value, v.Value.Reports)), JsonOptions);

    public static Dictionary<string, SnapshotValue> DeserializeValues(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, SnapshotValue>>(json, JsonOptions) ?? [];

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

/// <summary>One value of a frozen roll-up.</summary>
public sealed record SnapshotValue(decimal? Value, int Reports);

/// <summary>Reads of closings used by the APIs.</summary>
public static class PeriodClosings
{
    /// <summary>The closing at <paramref name="parent"/> that froze the report of <paramref name="code"/>, if it is still locked.</summary>
    public static async Task<(PeriodClosing Closing, ClosingChild Child)?> LockOfAsync(this ReportingDbContext db, string code, string period, CancellationToken ct)
    {
        var row = await db.ClosingChildren.AsNoTracking()
            .Where(c => c.ChildCode == code && c.Frozen && c.ReopenedAt == null)
            .Join(db.Closings.AsNoTracking().Where(p => p.Period == period), c => c.ClosingId, p => p.Id, (c, p) => new { Child = c, Closing = p })
            .FirstOrDefaultAsync(ct);
        return row is null ? null : (row.Closing, row.Child);
    }

    /// <summary>Closes every unit that is due now, a few at a time, each in its own scope and transaction. Returns how many this replica closed.</summary>
    public static async Task<int> CloseDueAsync(IServiceProvider services, ClosingOptions options, ILogger logger, CancellationToken ct)
    {
        List<DueClosing> due;
        await using (var scope = services.CreateAsyncScope())
            due = await scope.ServiceProvider.GetRequiredService<PeriodCloser>().FindDueAsync(ct);
        if (due.Count == 0)
        {
            ReportingMetrics.ClosingsPending(0, null, services.GetRequiredService<TimeProvider>());
            return 0;
        }

        // Until the pass ends they all count as pending: a pass that fails part way leaves them shown.
        ReportingMetrics.ClosingsPending(due.Count, due.Min(d => d.DueAt), services.GetRequiredService<TimeProvider>());
        var started = Stopwatch.GetTimestamp();
        var closed = 0;
        var left = new System.Collections.Concurrent.ConcurrentDictionary<DueClosing, bool>(due.Select(d => KeyValuePair.Create(d, true)));
        // Parents after children: a unit closes only after every earlier deadline in the list.
        foreach (var wave in due.GroupBy(d => d.DueAt).OrderBy(g => g.Key))
        {
            await Parallel.ForEachAsync(wave, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = ct },
                async (item, token) =>
                {
                    await using var scope = services.CreateAsyncScope();
                    if (await scope.ServiceProvider.GetRequiredService<PeriodCloser>().CloseAsync(item, token) is not null)
                    {
                        Interlocked.Increment(ref closed);
                        left.TryRemove(item, out _);
                    }
                });
        }

        ReportingMetrics.ClosingsPending(left.Count, left.IsEmpty ? null : left.Keys.Min(d => d.DueAt), services.GetRequiredService<TimeProvider>());
        logger.LogInformation("Closed {Closed} of {Due} due units in {ElapsedMs} ms", closed, due.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return closed;
    }
}

/// <summary>Looks for due, unclosed deadlines at start and then every <see cref="ClosingOptions.PollInterval"/>, or as soon as a shifted clock is moved forward.</summary>
sealed class PeriodClosingJob(IServiceProvider services, IOptions<ClosingOptions> options, TimeProvider clock, ILogger<PeriodClosingJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PeriodClosings.CloseDueAsync(services, options.Value, logger, stoppingToken);
            }
            // Any failure but the host stopping, cancellations included: a command cancelled when its connection was
            // ended (a database restarted or closed to connections) must not end the job, or no deadline closes again.
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Closing due periods failed; trying again in {Interval}", options.Value.PollInterval);
            }

            try
            {
                // A shifted clock moved forward (a season played in local mode or a test) may have passed a deadline: look at once.
                await Antq.ServiceDefaults.PlatformClock.DelayOrMovedAsync(clock, options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
