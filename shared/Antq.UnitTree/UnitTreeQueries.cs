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
    public static async Task<List<UnitTreeVersion>> AncestorsAsOfAsync(this DbContext db, string code, DateOnly date, CancellationToken ct = default)
    {
        var ancestors = new List<UnitTreeVersion>();
        var unit = await db.FindUnitAsOfAsync(code, date, ct);
        for (var depth = 0; unit?.ParentCode is { } parentCode && depth < 12; depth++)
        {
            unit = await db.FindUnitAsOfAsync(parentCode, date, ct);
            if (unit is null) break;
            ancestors.Insert(0, unit);
        }

        return ancestors;
    }

    /// <summary>The number of the last change this copy applied: a replay asks for what came after it.</summary>
    public static async Task<long> LastChangeSequenceAsync(this DbContext db, CancellationToken ct = default) =>
        await db.Set<UnitTreeVersion>().MaxAsync(u => (long?)u.ChangeSequence, ct) ?? 0;
}
