using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Rollups;

/// <summary>Reading the live roll-up of a unit, and of each of its children at once (for closings and exports).</summary>
public static class RollupReads
{
    /// <summary>Every indicator asked in the period at <paramref name="unit"/>, from the stored cells (as the roll-up API answers it).</summary>
    public static async Task<Dictionary<string, AggregateValue>> AggregateAsync(this ReportingDbContext db, Catalogue catalogue,
        ReportingPeriod period, string unit, IReadOnlyList<UnitTreeVersion> children, CancellationToken ct)
    {
        var cells = await db.CellsAsync(period.Code, [unit, .. children.Select(c => c.Code)], ct);
        var maxima = new Dictionary<string, AggregateValue>(StringComparer.Ordinal);
        foreach (var of in MaxOfCodes(catalogue, period.Kind))
            maxima[of] = await db.MaxOfOwnValuesAsync(period.Code, unit, of, ct);
        return RollupCalculator.Aggregate(catalogue, period.Kind, cells[unit],
            children.Count > 0 ? [.. children.Select(c => (IReadOnlyDictionary<string, SubtreeCell>)cells[c.Code])] : null,
            of => maxima.TryGetValue(of, out var value) ? value : AggregateValue.None);
    }

    /// <summary>
    /// The roll-up of each child of <paramref name="unit"/>, set-based: one read of the cells of the children and
    /// grandchildren (for means of ratios) and one grouped read of the maxima.
    /// </summary>
    public static async Task<Dictionary<string, Dictionary<string, AggregateValue>>> ChildAggregatesAsync(this ReportingDbContext db,
        Catalogue catalogue, ReportingPeriod period, string unit, IReadOnlyList<UnitTreeVersion> children, DateOnly hierarchyDate, CancellationToken ct)
    {
        var childCodes = children.Select(c => c.Code).ToList();
        var grandchildren = (await db.Units.AsNoTracking().ValidAt(hierarchyDate)
                .Where(u => u.ParentCode != null && childCodes.Contains(u.ParentCode))
                .Select(u => new { u.Code, u.ParentCode }).ToListAsync(ct))
            .ToLookup(u => u.ParentCode!, u => u.Code);
        var cells = await db.CellsAsync(period.Code, [.. childCodes, .. grandchildren.SelectMany(g => g)], ct);

        var ofs = MaxOfCodes(catalogue, period.Kind).ToArray();
        var maxima = new Dictionary<(string Child, string Indicator), AggregateValue>();
        if (ofs.Length > 0)
        {
            string[] wanted = [unit];
            var rows = await db.Database.SqlQuery<ChildMaxRow>($"""
                SELECT r.rollup_path[array_position(r.rollup_path, {unit}) + 1] AS child, v.indicator AS indicator,
                       max(v.value) AS value, count(v.value)::int AS reports
                FROM reports r JOIN report_values v ON v.report_id = r.id
                WHERE r.period = {period.Code} AND r.status IN ('Submitted', 'Accepted') AND r.rollup_path @> {wanted}::text[]
                  AND v.indicator = ANY({ofs}) AND v.value IS NOT NULL
                GROUP BY 1, 2
                """).ToListAsync(ct);
            foreach (var row in rows.Where(r => r.Child is not null))
                maxima[(row.Child!, row.Indicator)] = new AggregateValue(row.Value, row.Reports);
        }

        var result = new Dictionary<string, Dictionary<string, AggregateValue>>(StringComparer.Ordinal);
        foreach (var child in childCodes)
        {
            var below = grandchildren[child].ToList();
            result[child] = RollupCalculator.Aggregate(catalogue, period.Kind, cells[child],
                below.Count > 0 ? [.. below.Select(c => (IReadOnlyDictionary<string, SubtreeCell>)cells[c])] : null,
                of => maxima.TryGetValue((child, of), out var value) ? value : AggregateValue.None);
        }

        return result;
    }

    static IEnumerable<string> MaxOfCodes(Catalogue catalogue, PeriodKind kind) =>
        catalogue.AskedIn(kind).Where(i => i.Aggregation == Aggregation.Max).Select(i => i.Of!).Distinct();

    sealed record ChildMaxRow(string? Child, string Indicator, decimal? Value, int Reports);
}
