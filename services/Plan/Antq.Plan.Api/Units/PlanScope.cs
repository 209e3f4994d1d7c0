using System.Runtime.CompilerServices;
using System.Security.Claims;
using Antq.Plan.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Plan.Api.Units;

/// <summary>
/// What an account may read of the Plan service: an administrator everything; any other account the units of its own
/// unit's subtree (the unit and those below it) and, where an officer must see where the unit sits or what it
/// implements, the unit's ancestors (the path up to the province; the plans they issued). Never the other children of
/// an ancestor: a commune does not list its province's other communes.
/// <para>
/// A unit is a code valid at a date (codes were reused in the 2025 reform), so every relation is evaluated at a date:
/// the <c>asOf</c> date for units, the plan's date or today for plans, today for deadlines. The account's own unit is
/// the version of its code valid at that date. The walks are one recursive query each, in SQL.
/// </para>
/// <para>
/// Out of scope is 403 with a Vietnamese detail everywhere in this service, after the 404 of a unit or plan that does
/// not exist: unit codes are public (the official lists), plan ids are random, so existence needs no hiding; a refused
/// plan's detail names nothing of the plan.
/// </para>
/// </summary>
public static class PlanScope
{
    /// <summary>
    /// The reach of unit {0} over the window [{2}, {3}): rows (code, lo, hi), each saying that the code was in {0}'s
    /// subtree, or (when {1}) above it, from lo to hi (hi null: still is). Intervals are intersected along each walk, so
    /// a unit that moved counts only while it was there.
    /// </summary>
    const string Reach = """
        WITH RECURSIVE
        home AS (
            SELECT code, parent_code, valid_from AS lo, valid_to AS hi FROM org_units
            WHERE code = {0} AND valid_from < {3} AND (valid_to IS NULL OR valid_to > {2})),
        down (code, lo, hi, depth) AS (
            SELECT code, lo, hi, 0 FROM home
            UNION ALL
            SELECT c.code, GREATEST(c.valid_from, d.lo), LEAST(c.valid_to, d.hi), d.depth + 1
            FROM org_units c JOIN down d ON c.parent_code = d.code
            WHERE d.depth < 12 AND c.valid_from < COALESCE(d.hi, 'infinity') AND (c.valid_to IS NULL OR c.valid_to > d.lo)
              AND c.valid_from < {3} AND (c.valid_to IS NULL OR c.valid_to > {2})),
        up (code, parent_code, lo, hi, depth) AS (
            SELECT code, parent_code, lo, hi, 0 FROM home WHERE {1}
            UNION ALL
            SELECT p.code, p.parent_code, GREATEST(p.valid_from, u.lo), LEAST(p.valid_to, u.hi), u.depth + 1
            FROM org_units p JOIN up u ON p.code = u.parent_code
            WHERE u.depth < 12 AND p.valid_from < COALESCE(u.hi, 'infinity') AND (p.valid_to IS NULL OR p.valid_to > u.lo)
              AND p.valid_from < {3} AND (p.valid_to IS NULL OR p.valid_to > {2})),
        reach AS (SELECT code, lo, hi FROM down UNION ALL SELECT code, lo, hi FROM up)
        """;

    public static bool SeesEverything(ClaimsPrincipal user) => user.IsInRole(AntqRoles.Admin);

    /// <summary>
    /// The units valid at <paramref name="date"/> that the account may read: its subtree, and its ancestors when
    /// <paramref name="withAncestors"/>. Composable: filter, order and page it like any query.
    /// </summary>
    public static IQueryable<OrgUnit> Units(PlanDbContext db, ClaimsPrincipal user, DateOnly date, bool withAncestors)
    {
        var units = db.OrgUnits.AsNoTracking();
        if (SeesEverything(user)) return units.Where(u => u.ValidFrom <= date && (u.ValidTo == null || u.ValidTo > date));
        return db.OrgUnits.FromSql(FormattableStringFactory.Create(
            "SELECT u.* FROM org_units u WHERE u.valid_from <= {4} AND (u.valid_to IS NULL OR u.valid_to > {4}) AND u.code IN (" + Reach
            + " SELECT code FROM reach WHERE lo <= {4} AND (hi IS NULL OR hi > {4}))",
            user.OrgUnitCode() ?? "", withAncestors, date, date.AddDays(1), date)).AsNoTracking();
    }

    /// <summary>
    /// The plans the account may read: those whose issuer was in its subtree (or, when <paramref name="withAncestors"/>,
    /// above its unit) on the plan's date, or is today. A commune reads the province plan it implements.
    /// </summary>
    public static IQueryable<MovementPlan> Plans(PlanDbContext db, ClaimsPrincipal user, DateOnly today, bool withAncestors)
    {
        if (SeesEverything(user)) return db.Plans.AsNoTracking();
        return db.Plans.FromSql(FormattableStringFactory.Create(
            "SELECT p.* FROM plans p WHERE p.id IN (SELECT pl.id FROM plans pl JOIN (" + Reach + " SELECT code, lo, hi FROM reach) r"
            + " ON r.code = pl.issuer_code"
            + " WHERE (r.lo <= pl.issued_on AND (r.hi IS NULL OR r.hi > pl.issued_on)) OR (r.lo <= {4} AND (r.hi IS NULL OR r.hi > {4})))",
            user.OrgUnitCode() ?? "", withAncestors, DateOnly.MinValue, DateOnly.MaxValue, today)).AsNoTracking();
    }

    /// <summary>Whether the account may read unit <paramref name="code"/> at <paramref name="date"/>; its own unit always.</summary>
    public static async Task<bool> MayReadUnitAsync(PlanDbContext db, ClaimsPrincipal user, string code, DateOnly date, bool withAncestors, CancellationToken ct) =>
        SeesEverything(user) || user.OrgUnitCode() == code || await Units(db, user, date, withAncestors).AnyAsync(u => u.Code == code, ct);

    public static Task<bool> MayReadPlanAsync(PlanDbContext db, ClaimsPrincipal user, Guid id, DateOnly today, bool withAncestors, CancellationToken ct) =>
        SeesEverything(user) ? Task.FromResult(true) : Plans(db, user, today, withAncestors).AnyAsync(p => p.Id == id, ct);

    public static ProblemHttpResult UnitRefused(OrgUnit unit) =>
        Refused($"Tài khoản của bạn không được xem đơn vị {unit.Name} ({unit.Code}); chỉ được xem đơn vị mình, các đơn vị trực thuộc và các đơn vị cấp trên.");

    /// <summary>For what lies below a unit (its children, its lineage, its deadlines): the subtree only.</summary>
    public static ProblemHttpResult BelowRefused(string what, string unit) =>
        Refused($"Tài khoản của bạn không được xem {what} của đơn vị {unit}; chỉ được xem đơn vị mình và các đơn vị trực thuộc.");

    public static ProblemHttpResult PlanRefused() =>
        Refused("Tài khoản của bạn không được xem kế hoạch này; chỉ được xem kế hoạch do đơn vị mình, đơn vị trực thuộc hoặc đơn vị cấp trên ban hành.");

    public static ProblemHttpResult CascadeRefused() =>
        Refused("Tài khoản của bạn không được xem tình hình ban hành kế hoạch thực hiện của các đơn vị dưới đơn vị ban hành kế hoạch này; chỉ đơn vị ban hành, cấp trên của đơn vị đó và quản trị viên được xem.");

    static ProblemHttpResult Refused(string detail) => Problem(403, detail);
}
