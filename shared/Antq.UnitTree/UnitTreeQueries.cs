using Microsoft.EntityFrameworkCore;

namespace Antq.UnitTree;

/// <summary>Reads of the copy, always as of a date: the tree changed on 1 July 2025 and may change again.</summary>
public static class UnitTreeQueries
{
    public static IQueryable<UnitTreeVersion> ValidAt(this IQueryable<UnitTreeVersion> units, DateOnly date) =>
        units.Where(u => u.ValidFrom <= date && (u.ValidTo == null || u.ValidTo > date));

    public static Task<UnitTreeVersion?> FindUnitAsOfAsync(this DbContext db, string code, DateOnly date, CancellationToken ct = default) =>
        db.Set<UnitTreeVersion>().AsNoTracking().ValidAt(date).FirstOrDefaultAsync(u => u.Code == code, ct);

    /// <summary>The units whose parent is <paramref name="code"/> on <paramref name="date"/>, by code.</summary>
    public static Task<List<UnitTreeVersion>> ChildrenAsOfAsync(this DbContext db, string code, DateOnly date, CancellationToken ct = default) =>
        db.Set<UnitTreeVersion>().AsNoTracking().ValidAt(date).Where(u => u.ParentCode == code).OrderBy(u => u.Code).ToListAsync(ct);

    /// <summary>From the root down to the parent of <paramref name="code"/> on <paramref name="date"/>; empty for an unknown code.</summary>
    public static async Task<List<UnitTreeVersion>> AncestorsAsOfAsync(this DbContext db, string code, DateOnly date, CancellationToken ct = default) =>
        (await db.PathAsOfAsync(code, date, ct)).Ancestors;

    /// <summary>
    /// The unit valid on <paramref name="date"/> (null for an unknown code) and its ancestors from the root down, in one
    /// round trip: a recursive walk up the copy, on its (code, valid from) index.
    /// </summary>
    public static async Task<(UnitTreeVersion? Unit, List<UnitTreeVersion> Ancestors)> PathAsOfAsync(this DbContext db, string code, DateOnly date,
        CancellationToken ct = default)
    {
        var rows = await db.Set<UnitTreeVersion>().FromSql($"""
            WITH RECURSIVE up AS (
                SELECT u.*, 0 AS depth FROM unit_tree_versions u
                WHERE u.code = {code} AND u.valid_from <= {date} AND (u.valid_to IS NULL OR u.valid_to > {date})
                UNION ALL
                SELECT p.*, up.depth + 1 FROM up
                JOIN unit_tree_versions p ON p.code = up.parent_code AND p.valid_from <= {date} AND (p.valid_to IS NULL OR p.valid_to > {date})
                WHERE up.depth < 12
            )
            SELECT id, code, name, kind, commune_kind, parent_code, valid_from, valid_to, change_sequence FROM up
            """).AsNoTracking().ToListAsync(ct);
        var byCode = rows.GroupBy(r => r.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        if (!byCode.TryGetValue(code, out var unit)) return (null, []);
        var ancestors = new List<UnitTreeVersion>();
        for (var parent = unit.ParentCode; parent is not null && ancestors.Count < 12 && byCode.TryGetValue(parent, out var next); parent = next.ParentCode)
            ancestors.Insert(0, next);
        return (unit, ancestors);
    }

    /// <summary>The number of the last change this copy applied: a replay asks for what came after it.</summary>
    public static async Task<long> LastChangeSequenceAsync(this DbContext db, CancellationToken ct = default) =>
        await db.Set<UnitTreeVersion>().MaxAsync(u => (long?)u.ChangeSequence, ct) ?? 0;
}
