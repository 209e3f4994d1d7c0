using Antq.Reporting.Api.Domain.Reports;
using Antq.Reporting.Api.Domain.Rollups;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Data;

/// <summary>
/// Writes the live roll-up: the subtree cells (sum, reports) of a unit and every ancestor, per period and indicator.
/// </summary>
/// <remarks>
/// Why this is exact under concurrency and redelivery:
/// <list type="bullet">
/// <item>A cell is only ever changed by <c>sum = sum + excluded.sum, reports = reports + excluded.reports</c> inside
/// <c>INSERT … ON CONFLICT DO UPDATE</c>. PostgreSQL takes the row lock of the conflicting row and applies the increment
/// to the row's latest committed version (it re-reads it after the lock), so two sibling communes adding to the same
/// province cell at once serialize on that row and neither increment is lost; no read-modify-write happens in C#.
/// Two inserts of a new cell at once are resolved by the unique key: the second waits and then updates.</item>
/// <item>Every transaction locks its cells in one global order (unit code, then indicator, in the "C" collation):
/// a transaction never waits for a lock while holding one that comes later in that order, so concurrent submissions
/// that share ancestors queue up on the first shared cell instead of deadlocking.</item>
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
    /// Adds (+1) or subtracts (-1) a report's values at every unit of <paramref name="path"/>, atomically; inside the
    /// transaction of <see cref="BeginRollupChangeAsync"/>.
    /// </summary>
    public static async Task ApplyAsync(this ReportingDbContext db, string period, IReadOnlyList<string> path,
        IReadOnlyDictionary<string, decimal> values, int sign, CancellationToken ct)
    {
        var deltas = new List<(string Unit, string Indicator, decimal Sum, int Reports)>();
        foreach (var unit in path.Distinct())
        {
            foreach (var (indicator, value) in values) deltas.Add((unit, indicator, sign * value, sign));
        }

        await UpsertAsync(db, period, deltas, ct);
    }

    static async Task UpsertAsync(ReportingDbContext db, string period,
        IReadOnlyCollection<(string Unit, string Indicator, decimal Sum, int Reports)> deltas, CancellationToken ct)
    {
        if (deltas.Count == 0) return;
        var units = deltas.Select(d => d.Unit).ToArray();
        var indicators = deltas.Select(d => d.Indicator).ToArray();
        var sums = deltas.Select(d => d.Sum).ToArray();
        var reports = deltas.Select(d => d.Reports).ToArray();
        // ORDER BY: the one lock order every writer follows (see the remarks above).
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO rollup_cells AS c (org_unit_code, period, indicator, sum, reports)
            SELECT d.unit, {period}, d.indicator, d.sum, d.reports
            FROM unnest({units}::text[], {indicators}::text[], {sums}::numeric[], {reports}::integer[]) AS d(unit, indicator, sum, reports)
            ORDER BY d.unit COLLATE "C", d.indicator COLLATE "C"
            ON CONFLICT (org_unit_code, period, indicator)
            DO UPDATE SET sum = c.sum + excluded.sum, reports = c.reports + excluded.reports
            """, ct);
    }

    /// <summary>
    /// Rebuilds every cell of a period from the counted reports, through the hierarchy valid at
    /// <paramref name="hierarchyDate"/> (after a repair of the tree or of the cells). Returns how many reports counted,
    /// how many cells the period has and their units. Must run inside a transaction.
    /// </summary>
    /// <remarks>
    /// Set-based, in the database: one statement gives every counted report its path (a recursive walk up the tree
    /// copy valid at the date) and writes only the paths that changed; one more makes the cells equal to the sums over
    /// those paths, writing only the cells that differ and removing those that no counted report reaches any more. A
    /// recomputation that finds everything right writes nothing.
    /// </remarks>
    public static async Task<(int Reports, int Cells, List<string> Units)> RecomputeAsync(this ReportingDbContext db, string period,
        DateOnly hierarchyDate, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext('rollup:' || {period}))", ct);
        string[] counted = [nameof(ReportStatus.Submitted), nameof(ReportStatus.Accepted)];
        // Consolidated reports restate the totals of the reports below; they are never in the cells.
        await db.Database.ExecuteSqlAsync($"""
            WITH RECURSIVE tree AS (
                SELECT code, parent_code FROM unit_tree_versions
                WHERE valid_from <= {hierarchyDate} AND (valid_to IS NULL OR valid_to > {hierarchyDate})
            ), walk AS (
                SELECT r.id, ARRAY[r.org_unit_code]::text[] AS path, t.parent_code AS next, 0 AS depth
                FROM reports r LEFT JOIN tree t ON t.code = r.org_unit_code
                WHERE r.period = {period} AND r.status = ANY({counted}) AND NOT r.consolidated
                UNION ALL
                SELECT w.id, t.code || w.path, t.parent_code, w.depth + 1
                FROM walk w JOIN tree t ON t.code = w.next
                WHERE w.depth < 12
            ), paths AS (
                SELECT DISTINCT ON (id) id, path, CASE WHEN cardinality(path) > 1 THEN path[cardinality(path) - 1] END AS reports_to
                FROM walk ORDER BY id, depth DESC
            )
            UPDATE reports r SET rollup_path = p.path, reports_to_code = p.reports_to
            FROM paths p
            WHERE r.id = p.id AND (r.rollup_path IS DISTINCT FROM p.path OR r.reports_to_code IS DISTINCT FROM p.reports_to)
            """, ct);

        // The new cells once, then in one statement: cells no counted report reaches any more go, the others are
        // written where they differ (two data-modifying parts over disjoint rows, one snapshot).
        await db.Database.ExecuteSqlAsync($"""
            WITH n AS (
                SELECT u.unit, v.indicator, sum(v.value) AS sum, count(*)::int AS reports
                FROM reports r
                JOIN report_values v ON v.report_id = r.id AND v.value IS NOT NULL
                CROSS JOIN LATERAL unnest(r.rollup_path) AS u(unit)
                WHERE r.period = {period} AND r.status = ANY({counted}) AND NOT r.consolidated
                GROUP BY u.unit, v.indicator
            ), gone AS (
                DELETE FROM rollup_cells c
                WHERE c.period = {period} AND NOT EXISTS (SELECT 1 FROM n WHERE n.unit = c.org_unit_code AND n.indicator = c.indicator)
            )
            INSERT INTO rollup_cells AS c (org_unit_code, period, indicator, sum, reports)
            SELECT n.unit, {period}, n.indicator, n.sum, n.reports FROM n
            ON CONFLICT (org_unit_code, period, indicator) DO UPDATE SET sum = excluded.sum, reports = excluded.reports
            WHERE (c.sum, c.reports) IS DISTINCT FROM (excluded.sum, excluded.reports)
            """, ct);

        var reports = await db.Reports.CountAsync(r => r.Period == period && (r.Status == ReportStatus.Submitted || r.Status == ReportStatus.Accepted) && !r.Consolidated, ct);
        var units = await db.Database.SqlQuery<string>($"""
            SELECT DISTINCT org_unit_code AS "Value" FROM rollup_cells WHERE period = {period}
            """).ToListAsync(ct);
        var cells = await db.RollupCells.CountAsync(c => c.Period == period, ct);
        return (reports, cells, [.. units.Order(StringComparer.Ordinal)]);
    }

    /// <summary>The cells of some units for a period, by unit then indicator.</summary>
    public static async Task<Dictionary<string, Dictionary<string, SubtreeCell>>> CellsAsync(this ReportingDbContext db, string period,
        IReadOnlyCollection<string> units, CancellationToken ct)
    {
        var rows = await db.RollupCells.AsNoTracking().Where(c => c.Period == period && units.Contains(c.OrgUnitCode)).ToListAsync(ct);
        var result = units.Distinct().ToDictionary(u => u, _ => new Dictionary<string, SubtreeCell>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var row in rows) result[row.OrgUnitCode][row.Indicator] = new SubtreeCell(row.Sum, row.Reports);
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
