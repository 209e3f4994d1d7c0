using System.Security.Claims;
using Antq.ServiceDefaults;
using Antq.UnitTree;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Reporting.Api.Units;

/// <summary>A unit as it stood at a period's hierarchy date, with its ancestors (root first).</summary>
public sealed record PeriodUnit(ReportingPeriod Period, DateOnly HierarchyDate, UnitTreeVersion Unit, IReadOnlyList<UnitTreeVersion> Ancestors)
{
    /// <summary>The unit and its ancestors, root first: the roll-ups a report of this unit counts in.</summary>
    public List<string> Path => [.. Ancestors.Select(a => a.Code), Unit.Code];
}

/// <summary>A unit and a period, as the route names them.</summary>
public sealed record UnitPeriod([FromRoute(Name = "code")] string Code, [FromRoute(Name = "period")] string Period);

public sealed record OrgUnitRef(string Code, string Name);

/// <summary>Problems, scope and the lookup of a unit for a period, shared by the Reporting APIs.</summary>
static class ApiSupport
{
    static readonly string[] EnteringRoles = [AntqRoles.ProvinceOfficer, AntqRoles.DistrictOfficer, AntqRoles.CommuneOfficer];

    public static bool TryPeriod(string? text, out ReportingPeriod period, out ProblemHttpResult problem)
    {
        problem = null!;
        if (ReportingPeriod.TryParseExact(text, out period)) return true;
        problem = Problem(400, ReportingPeriod.FormatMessage, "period");
        return false;
    }

    /// <summary>Resolves <paramref name="code"/> through the hierarchy valid at the period's hierarchy date: 400 for a bad period, 404 for an unknown unit.</summary>
    public static async Task<(PeriodUnit? Target, ProblemHttpResult? Problem)> ResolveAsync(ReportingDbContext db, string code, string period,
        DataWindowOptions window, CancellationToken ct)
    {
        if (!TryPeriod(period, out var parsed, out var problem)) return (null, problem);
        var date = parsed.HierarchyDate(window);
        var (unit, ancestors) = await db.PathAsOfAsync(code, date, ct);
        if (unit is null) return (null, Problem(404, $"Không tìm thấy đơn vị có mã {code} vào ngày {date:dd/MM/yyyy} (ngày chốt cây đơn vị của kỳ {parsed.Code}).", "code"));
        return (new PeriodUnit(parsed, date, unit, ancestors), null);
    }

    public static string Who(this ClaimsPrincipal user) => user.UserName() ?? user.UserId() ?? "?";

    /// <summary>Data entry: an officer for the account's own unit; an administrator for any unit.</summary>
    public static ProblemHttpResult? CheckEnter(ClaimsPrincipal user, PeriodUnit target)
    {
        if (user.IsInRole(AntqRoles.Admin)) return null;
        if (EnteringRoles.Any(user.IsInRole) && user.OrgUnitCode() == target.Unit.Code) return null;
        return Problem(403, $"Tài khoản của bạn không được nhập hoặc nộp báo cáo của đơn vị {target.Unit.Name} ({target.Unit.Code}); chỉ được nhập báo cáo của đơn vị mình.");
    }

    /// <summary>Review (accept, return): an officer of the unit the report goes to (its parent at the hierarchy date); an administrator.</summary>
    public static ProblemHttpResult? CheckReview(ClaimsPrincipal user, PeriodUnit target)
    {
        if (user.IsInRole(AntqRoles.Admin)) return null;
        if (EnteringRoles.Any(user.IsInRole) && target.Unit.ParentCode is { } parent && user.OrgUnitCode() == parent) return null;
        return Problem(403, $"Chỉ cấp trên trực tiếp của {target.Unit.Name} ({target.Unit.Code}) mới được tiếp nhận hoặc trả lại báo cáo này.");
    }

    /// <summary>Reading: the account's unit and its subtree; an administrator everything.</summary>
    public static ProblemHttpResult? CheckRead(ClaimsPrincipal user, PeriodUnit target)
    {
        if (user.IsInRole(AntqRoles.Admin)) return null;
        var own = user.OrgUnitCode();
        if (own is not null && (own == target.Unit.Code || target.Ancestors.Any(a => a.Code == own))) return null;
        return Problem(403, $"Tài khoản của bạn không được xem số liệu của đơn vị {target.Unit.Name} ({target.Unit.Code}); chỉ được xem đơn vị mình và các đơn vị trực thuộc.");
    }
}
