using System.Security.Claims;
using Antq.Audit;
using Antq.Calendar;
using Antq.Plan.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Plan.Api.Deadlines;

/// <summary>What the deadline endpoints take from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record DeadlineServices(PlanDbContext Db, TimeProvider Clock, IOptions<DeadlineOptions> Deadlines, IOptions<DataWindowOptions> Window);

/// <summary>A unit and a period, as the route names them.</summary>
public sealed record UnitPeriod([FromRoute(Name = "code")] string Code, [FromRoute(Name = "period")] string Period);

/// <summary>The deadline (hạn nộp) binding a unit for a period, as last computed from the plans and published.</summary>
public static class DeadlinesApi
{
    public static RouteGroupBuilder MapDeadlinesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/deadlines").WithTags("Hạn nộp").RequireAuthorization().Problems(401, 403);
        group.MapGet("/{code}/{period}", GetDeadline).WithName("getDeadline")
            .WithSummary("Hạn nộp báo cáo của một đơn vị trong một kỳ")
            .WithDescription("Hạn nộp báo cáo kỳ `period` (ví dụ 2026-H1, 2026-Y) của đơn vị `code`: do kế hoạch nào đặt, hoặc suy ra từ hạn của cấp trên khi cấp của đơn vị không đặt hạn.")
            .Problems(400, 404);
        group.MapPost("/recompute", RecomputeDeadlines).RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin)).WithName("recomputeDeadlines")
            .WithSummary("Tính lại hạn nộp (quản trị)")
            .WithDescription("Tính lại chuỗi hạn nộp của mọi đơn vị cho một kỳ, sau khi danh sách đơn vị hoặc kế hoạch thay đổi ngoài luồng thường. Chỉ quản trị viên.")
            .Problems(400);
        return group;
    }

    /// <summary>A deadline of a unit of the account's subtree, as the tree stands today (<see cref="PlanScope"/>).</summary>
    public static async Task<Results<Ok<DeadlineResponse>, ProblemHttpResult>> GetDeadline(
        [AsParameters] UnitPeriod unit, ClaimsPrincipal user, [AsParameters] DeadlineServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (code, period) = unit;
        if (!ReportingPeriod.TryParse(period, out var parsed))
        {
            var detail = ReportingPeriod.InvalidMessage(period);
            return Problem(400, detail, "period");
        }

        if (!await PlanScope.MayReadUnitAsync(db, user, code, VietnamTime.Today(clock), withAncestors: false, ct))
            return PlanScope.BelowRefused("hạn nộp báo cáo", code);

        var periodCode = parsed.Code;
        var row = await db.UnitDeadlines.AsNoTracking().FirstOrDefaultAsync(d => d.OrgUnitCode == code && d.Period == periodCode, ct);
        if (row?.DueAt is not { } dueAt)
        {
            return Problem(404, $"Chưa có hạn nộp báo cáo kỳ {periodCode} cho đơn vị mã {code}: chưa có kế hoạch nào của cấp trên đặt hạn nộp cho kỳ này.");
        }

        return TypedResults.Ok(new DeadlineResponse(row.OrgUnitCode, row.Period, dueAt.ToVietnam(), row.PlanId, row.Derived, row.ReportsToCode, DueDate.Display(dueAt)));
    }

    /// <summary>
    /// Recomputes every unit's deadlines for a year (Admin), e.g. after the data window settings changed, and publishes
    /// those that changed. Issuing a plan and changing units recompute what they touch themselves.
    /// </summary>
    public static async Task<Results<Ok<RecomputeResponse>, ProblemHttpResult>> RecomputeDeadlines(
        int? year, HttpContext http, [AsParameters] DeadlineServices services, CancellationToken ct)
    {
        var (db, clock, options, window) = services;
        if (year is not { } y || y < 2000 || y > 2100)
        {
            var detail = "Nhập năm cần tính lại hạn nộp, ví dụ ?year=2026.";
            return Problem(400, detail, "year");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await DeadlineChanges.LockAsync(db, ct);
        var roots = await db.OrgUnits.AsNoTracking().Where(u => u.ParentCode == null).Select(u => u.Code).Distinct().ToListAsync(ct);
        var examined = 0; var changed = 0; var messages = 0; long elapsed = 0;
        foreach (var root in roots)
        {
            var result = await DeadlineChanges.RecomputeAsync(db, root, y, [], options.Value, window.Value, clock, ct);
            (examined, changed, messages, elapsed) = (examined + result.UnitsExamined, changed + result.DeadlinesChanged, messages + result.Messages, elapsed + result.ElapsedMs);
        }

        db.AddAdministrativeAct(http, "deadlines.recomputed", $"deadlines/{y}",
            $"Tính lại hạn nộp năm {y}: {examined} hạn nộp được xem xét, {changed} thay đổi.", clock);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new RecomputeResponse(y, examined, changed, messages, elapsed));
    }
}
