using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Rollups;

/// <summary>
/// Writes the live roll-up: the subtree cells (sum, reports) of a unit and every ancestor, per period and indicator,
/// stored as one row per unit and shard holding every indicator's cell (<see cref="RollupCellShard"/>).
/// </summary>
/// <remarks>
/// Why this is exact under concurrency and redelivery:
/// <list type="bullet">
/// <item>A row is only ever changed by adding the change's entries to the row's own inside <c>INSERT … ON CONFLICT DO
/// UPDATE</c> (indicator by indicator; when both list the same indicators, position by position). PostgreSQL takes the
/// row lock of the conflicting row and computes the update from the row's latest committed version (it re-reads it
/// after the lock), so two sibling communes adding to the same row at once serialize on it and neither increment is
/// lost; no read-modify-write happens in C#. Two inserts of a new row at once are resolved by the unique key: the
/// second waits and then updates.</item>
/// <item>Every unit's cells are split into <see cref="Shards"/> rows, and one change writes all its rows in one shard,
/// chosen at random: the rows of a province and of the Ministry, which every submission below them changes, would
/// otherwise be a queue that all the country's submissions wait in, each holding its row locks until its commit is on
/// disk. A cell is read as the sum of its shards; a shard alone means nothing (after a return it may be negative).</item>
/// <item>Every transaction locks its rows in one global order (unit code in the "C" collation, all in its one shard): a
/// transaction never waits for a lock while holding one that comes later in that order, so concurrent submissions that
/// share ancestors and a shard queue up on the first shared row instead of deadlocking.</item>
/// <item>The increment commits in the same transaction as the report's state change, which is guarded by the report's
/// version (optimistic concurrency): a double click, a retried request or two reviewers at once can move a report into
/// or out of the counted set only once, so its values are added or subtracted exactly once. No consumer is involved,
/// so a redelivered message cannot apply anything twice; the events announce a change that has already happened.</item>
/// <item>A recomputation takes the period's advisory lock exclusively; live changes take it shared, so a rebuild never
/// interleaves with an increment.</item>
/// </list>
/// </remarks>
public static class RollupCells
{
    /// <summary>How many rows each cell is split into (see the remarks). Any number works with the rows already stored.</summary>
    public const int Shards = 16;

    /// <summary>
    /// Begins the transaction of a change that moves a report into or out of the counted set. It first takes the
    /// period's advisory lock shared (before any row lock, so that it never waits for a recomputation while holding a
    /// row the recomputation needs).
    /// </summary>
    public static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginRollupChangeAsync(this ReportingDbContext db,
        string period, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared(hashtext('rollup:' || {period}))", ct);
        return transaction;
    }

    /// <summary>
    /// The <c>SET</c> of the upsert of a cell row (alias <c>c</c>, the new entries <c>excluded</c>): each indicator's
    /// sum and count added to the row's own, by position when both list the same indicators, else by indicator.
    /// </summary>
    public const string MergeCells = """
                indicators = CASE WHEN c.indicators = excluded.indicators THEN c.indicators
                    ELSE (SELECT array_agg(k ORDER BY k COLLATE "C") FROM (SELECT unnest(c.indicators) UNION SELECT unnest(excluded.indicators)) AS t(k)) END,
                sums = CASE WHEN c.indicators = excluded.indicators
                    THEN (SELECT array_agg(a + b ORDER BY n) FROM unnest(c.sums, excluded.sums) WITH ORDINALITY AS t(a, b, n))
                    ELSE (SELECT array_agg(v ORDER BY k COLLATE "C") FROM (SELECT k, sum(v) FROM (SELECT * FROM unnest(c.indicators, c.sums)
                          UNION ALL SELECT * FROM unnest(excluded.indicators, excluded.sums)) AS t(k, v) GROUP BY k) AS g(k, v)) END,
                reports = CASE WHEN c.indicators = excluded.indicators
                    THEN (SELECT array_agg(a + b ORDER BY n) FROM unnest(c.reports, excluded.reports) WITH ORDINALITY AS t(a, b, n))
                    ELSE (SELECT array_agg(v ORDER BY k COLLATE "C") FROM (SELECT k, sum(v)::int FROM (SELECT * FROM unnest(c.indicators, c.reports)
                          UNION ALL SELECT * FROM unnest(excluded.indicators, excluded.reports)) AS t(k, v) GROUP BY k) AS g(k, v)) END
        """;

    /// <summary>
    /// Adds (+1) or subtracts (-1) a report's values at every unit of <paramref name="path"/>, atomically; inside the
    /// transaction of <see cref="BeginRollupChangeAsync"/>.
    /// </summary>
    public static async Task ApplyAsync(this ReportingDbContext db, string period, IReadOnlyList<string> path,
        IReadOnlyDictionary<string, decimal> values, int sign, CancellationToken ct)
    {
        string[] units = [.. path.Distinct()];
        if (units.Length == 0 || values.Count == 0) return;
        var entries = values.OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        string[] indicators = [.. entries.Select(e => e.Key)];
        decimal[] sums = [.. entries.Select(e => sign * e.Value)];
        int[] reports = [.. entries.Select(_ => sign)];
        var shard = (short)Random.Shared.Next(Shards);
        // ORDER BY: the one lock order every writer follows (see the remarks above).
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO rollup_cells AS c (period, org_unit_code, shard, indicators, sums, reports)
            SELECT {0}, u, {1}, {2}::text[], {3}::numeric[], {4}::integer[]
            FROM unnest({5}::text[]) AS u
            ORDER BY u COLLATE "C"
            ON CONFLICT (period, org_unit_code, shard) DO UPDATE SET
            """ + MergeCells, [period, shard, indicators, sums, reports, units], ct);
    }

    /// <summary>
    /// Rebuilds every cell of a period from the counted reports, through the hierarchy valid at
    /// <paramref name="hierarchyDate"/> (after a repair of the tree or of the cells). Returns how many reports counted,
    /// how many cells the period has and their units. Must run inside a transaction.
    /// </summary>
    /// <remarks>
    /// Set-based. The paths are checked against the tree copy valid at the date (two narrow reads, the walk in memory)
    /// and only the reports whose path changed are written. The cells are summed in one statement over the paths, one
    /// row per unit: when the period has no cells yet they are inserted in key order (shard 0); otherwise each unit's
    /// true cells are compared with its stored ones (their shards summed) and only the
    /// units that differ are rewritten (cells that are wrong, missing, or that no counted report reaches any more), so
    /// a recomputation that finds everything right writes nothing.
    /// </remarks>
    public static async Task<(int Reports, int Cells, List<string> Units)> RecomputeAsync(this ReportingDbContext db, string period,
        DateOnly hierarchyDate, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('rollup:' || {period}))", ct);
        // The sums of a whole country are larger than the default memory of one sort or hash.
        await db.Database.ExecuteSqlRawAsync("SET LOCAL work_mem = '64MB'", ct);
        string[] counted = [nameof(ReportStatus.Submitted), nameof(ReportStatus.Accepted)];

        var parents = await db.Units.AsNoTracking().ValidAt(hierarchyDate)
            .Select(u => new { u.Code, u.ParentCode }).ToDictionaryAsync(u => u.Code, u => u.ParentCode, StringComparer.Ordinal, ct);
        // Consolidated reports restate the totals of the reports below; they are never in the cells.
        var reports = await db.Reports.AsNoTracking()
            .Where(r => r.Period == period && (r.Status == ReportStatus.Submitted || r.Status == ReportStatus.Accepted) && !r.Consolidated)
            .Select(r => new { r.Id, r.OrgUnitCode, r.RollupPath, r.ReportsToCode }).ToListAsync(ct);
        var changed = new List<(Guid Id, string Path, string? ReportsTo)>();
        var units = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            var path = PathOf(report.OrgUnitCode, parents);
            var reportsTo = path.Count > 1 ? path[^2] : null;
            units.UnionWith(path);
            if (!path.SequenceEqual(report.RollupPath) || reportsTo != report.ReportsToCode) changed.Add((report.Id, string.Join('\u001f', path), reportsTo));
        }

        if (changed.Count > 0)
        {
            Guid[] ids = [.. changed.Select(c => c.Id)];
            string[] paths = [.. changed.Select(c => c.Path)];
            string?[] reportsTo = [.. changed.Select(c => c.ReportsTo)];
            await db.Database.ExecuteSqlAsync($"""
                UPDATE reports r SET rollup_path = string_to_array(c.path, E'\x1f'), reports_to_code = c.reports_to
                FROM unnest({ids}::uuid[], {paths}::text[], {reportsTo}::text[]) AS c(id, path, reports_to)
                WHERE r.id = c.id
                """, ct);
        }

        // Every unit's true cells, as the row it would be stored as (indicators in "C" order, the three arrays aligned).
        // The cells come sorted by unit and indicator from the subquery, and the aggregates take them in that order: one
        // sort for all three arrays, where an ORDER BY in each aggregate sorts each unit's entries three more times
        // (PostgreSQL 15 does not share them; about 40 ms of the 460 of this statement's CPU for the whole country, two-tier).
        // The order is kept because the outer level only groups (no join, which could reorder: PostgreSQL's manual,
        // "Aggregate Expressions"); the recompute tests and the bench's comparison with plain SQL check every cell.
        await db.Database.ExecuteSqlAsync($"""
            CREATE TEMPORARY TABLE rollup_truth ON COMMIT DROP AS
            SELECT unit, array_agg(indicator) AS indicators, array_agg(sum) AS sums, array_agg(reports) AS reports
            FROM (
                SELECT u.unit, v.indicator::text COLLATE "C" AS indicator, sum(v.value) AS sum, count(*)::int AS reports
                FROM reports r
                JOIN report_values v ON v.report_id = r.id AND v.value IS NOT NULL
                CROSS JOIN LATERAL unnest(r.rollup_path) AS u(unit)
                WHERE r.period = {period} AND r.status = ANY({counted}) AND NOT r.consolidated
                GROUP BY u.unit, 2
                ORDER BY u.unit, 2
            ) AS cells
            GROUP BY unit
            """, ct);
        var hasCells = await db.RollupCellShards.AnyAsync(c => c.Period == period, ct);
        if (!hasCells)
        {
            // In key order: the index is filled from left to right.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO rollup_cells (period, org_unit_code, shard, indicators, sums, reports)
                SELECT {period}, unit, 0, indicators, sums, reports FROM rollup_truth ORDER BY unit COLLATE "C"
                """, ct);
        }
        else
        {
            // The stored cells of each unit (its shards summed), compared with the truth; only the units that differ are
            // rewritten, each as one row (a cell left at nothing by a return is no cell of the truth: its unit is rewritten).
            await db.Database.ExecuteSqlAsync($"""
                CREATE TEMPORARY TABLE rollup_repair ON COMMIT DROP AS
                WITH stored AS (
                    SELECT unit, array_agg(k ORDER BY k COLLATE "C") AS indicators, array_agg(s ORDER BY k COLLATE "C") AS sums,
                           array_agg(r ORDER BY k COLLATE "C") AS reports
                    FROM (
                        SELECT c.org_unit_code AS unit, e.k, sum(e.s) AS s, sum(e.r)::int AS r
                        FROM rollup_cells c CROSS JOIN LATERAL unnest(c.indicators, c.sums, c.reports) AS e(k, s, r)
                        WHERE c.period = {period}
                        GROUP BY c.org_unit_code, e.k
                    ) AS entries
                    GROUP BY unit
                ), units AS (SELECT DISTINCT org_unit_code AS unit FROM rollup_cells WHERE period = {period})
                SELECT coalesce(t.unit, u.unit) AS unit, t.indicators, t.sums, t.reports, t.unit IS NOT NULL AS wanted
                FROM rollup_truth t
                FULL JOIN units u ON u.unit = t.unit
                LEFT JOIN stored s ON s.unit = coalesce(t.unit, u.unit)
                WHERE t.unit IS NULL OR u.unit IS NULL OR (t.indicators, t.sums, t.reports) IS DISTINCT FROM (s.indicators, s.sums, s.reports)
                """, ct);
            await db.Database.ExecuteSqlAsync($"""
                DELETE FROM rollup_cells x USING rollup_repair d WHERE x.period = {period} AND x.org_unit_code = d.unit
                """, ct);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO rollup_cells (period, org_unit_code, shard, indicators, sums, reports)
                SELECT {period}, d.unit, 0, d.indicators, d.sums, d.reports FROM rollup_repair d WHERE d.wanted
                ORDER BY d.unit COLLATE "C"
                """, ct);
        }

        var cells = await db.Database.SqlQuery<int>($"SELECT coalesce(sum(cardinality(indicators)), 0)::int AS \"Value\" FROM rollup_truth").SingleAsync(ct);
        return (reports.Count, cells, [.. units.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The unit and its ancestors, root first, from a map of code to parent code.</summary>
    static List<string> PathOf(string code, IReadOnlyDictionary<string, string?> parents)
    {
        var path = new List<string> { code };
        var current = code;
        for (var depth = 0; depth < 12 && parents.TryGetValue(current, out var parent) && parent is not null; depth++)
        {
            path.Insert(0, parent);
            current = parent;
        }

        return path;
    }

    /// <summary>The cells of some units for a period (each the sum of its shards), by unit then indicator.</summary>
    public static async Task<Dictionary<string, Dictionary<string, SubtreeCell>>> CellsAsync(this ReportingDbContext db, string period,
        IReadOnlyCollection<string> units, CancellationToken ct)
    {
        var rows = await db.RollupCellShards.AsNoTracking().Where(c => c.Period == period && units.Contains(c.OrgUnitCode)).ToListAsync(ct);
        var result = units.Distinct().ToDictionary(u => u, _ => new Dictionary<string, SubtreeCell>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var cells = result[row.OrgUnitCode];
            for (var i = 0; i < row.Indicators.Length; i++)
            {
                var cell = cells.GetValueOrDefault(row.Indicators[i]);
                cells[row.Indicators[i]] = new SubtreeCell(cell.Sum + row.Sums[i], cell.Reports + row.Reports[i]);
            }
        }

        return result;
    }

    /// <summary>The largest own value of an indicator among the counted reports of a unit's subtree, and how many gave one.</summary>
    public static async Task<AggregateValue> MaxOfOwnValuesAsync(this ReportingDbContext db, string period, string unit, string indicator, CancellationToken ct)
    {
        string[] wanted = [unit];
        var row = await db.Database.SqlQuery<MaxRow>($"""
            SELECT max(v.value) AS value, count(v.value)::int AS reports
            FROM reports r JOIN report_values v ON v.report_id = r.id
            WHERE r.period = {period} AND r.status IN ('Submitted', 'Accepted') AND r.rollup_path @> {wanted}::text[]
              AND v.indicator = {indicator} AND v.value IS NOT NULL
            """).SingleAsync(ct);
        return row.Reports == 0 ? AggregateValue.None : new AggregateValue(row.Value, row.Reports);
    }

    sealed record MaxRow(decimal? Value, int Reports);
}
