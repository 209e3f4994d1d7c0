using System.Diagnostics;
using System.Security.Claims;
using Antq.Contracts.Reporting;
using Antq.Messaging;
using Antq.Reporting.Api.Data;
using Antq.Reporting.Api.Domain.Catalogue;
using Antq.Reporting.Api.Domain.Reports;
using Antq.Reporting.Api.Domain.Rollups;
using Antq.ServiceDefaults;
using Antq.UnitTree;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Antq.Reporting.Api.Apis.ApiSupport;

namespace Antq.Reporting.Api.Apis;

public sealed record RollupValue(decimal? Value, int Reports);

/// <summary>Over the units that report directly to the unit: submitted includes accepted; onTime + late = submitted; missing = expected − submitted.</summary>
public sealed record Completeness(int Expected, int Submitted, int Accepted, int OnTime, int Late, int Missing);

public sealed record RollupResponse(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, string CatalogueVersion,
    Dictionary<string, RollupValue> Values, Completeness Completeness);

public sealed record ChildRow(string Code, string Name, string Status, DateTimeOffset? SubmittedAt, bool? OnTime, DateTimeOffset? DueAt);

public sealed record ChildrenRollupResponse(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, IReadOnlyList<ChildRow> Children);

public sealed record RecomputeResponse(string Period, DateOnly HierarchyDate, int Reports, int Cells, long ElapsedMs);

/// <summary>The live roll-up (tổng hợp) of a unit and who has reported to it.</summary>
public static class RollupsApi
{
    public static RouteGroupBuilder MapRollupsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rollups").WithTags("Tổng hợp").RequireAuthorization();
        group.MapGet("/{code}/{period}", GetRollup);
        group.MapGet("/{code}/{period}/children", GetChildren);
        group.MapPost("/{period}/recompute", Recompute).RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin));
        return group;
    }

    public static async Task<Results<Ok<RollupResponse>, ProblemHttpResult>> GetRollup(
        string code, string period, ClaimsPrincipal user, ReportingDbContext db, IOptions<DataWindowOptions> window, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var periodCode = target!.Period.Code;

        var catalogue = await db.InForceAsync(ct);
        var children = await db.ChildrenAsOfAsync(code, target.HierarchyDate, ct);
        var cells = await db.CellsAsync(periodCode, [code, .. children.Select(c => c.Code)], ct);
        var maxima = new Dictionary<string, AggregateValue>(StringComparer.Ordinal);
        foreach (var of in catalogue.AskedIn(target.Period.Kind).Where(i => i.Aggregation == Aggregation.Max).Select(i => i.Of!).Distinct())
            maxima[of] = await db.MaxOfOwnValuesAsync(periodCode, code, of, ct);

        var aggregate = RollupCalculator.Aggregate(catalogue, target.Period.Kind, cells[code],
            children.Count > 0 ? [.. children.Select(c => (IReadOnlyDictionary<string, SubtreeCell>)cells[c.Code])] : null,
            of => maxima.TryGetValue(of, out var value) ? value : AggregateValue.None);

        var reports = await ChildReportsAsync(db, periodCode, children, ct);
        var counted = reports.Values.Where(r => r.Status is ReportStatus.Submitted or ReportStatus.Accepted).ToList();
        var completeness = new Completeness(
            Expected: children.Count,
            Submitted: counted.Count,
            Accepted: counted.Count(r => r.Status == ReportStatus.Accepted),
            OnTime: counted.Count(r => r.OnTime != false),
            Late: counted.Count(r => r.OnTime == false),
            Missing: children.Count - counted.Count);

        return TypedResults.Ok(new RollupResponse(new OrgUnitRef(target.Unit.Code, target.Unit.Name), periodCode, target.HierarchyDate,
            catalogue.Version, aggregate.ToDictionary(a => a.Key, a => new RollupValue(a.Value.Value, a.Value.Reports)), completeness));
    }

    public static async Task<Results<Ok<ChildrenRollupResponse>, ProblemHttpResult>> GetChildren(
        string code, string period, ClaimsPrincipal user, ReportingDbContext db, IOptions<DataWindowOptions> window, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var periodCode = target!.Period.Code;
        var children = await db.ChildrenAsOfAsync(code, target.HierarchyDate, ct);
        var reports = await ChildReportsAsync(db, periodCode, children, ct);
        var codes = children.Select(c => c.Code).ToList();
        var deadlines = await db.Deadlines.AsNoTracking().Where(d => d.Period == periodCode && codes.Contains(d.OrgUnitCode))
            .ToDictionaryAsync(d => d.OrgUnitCode, d => d.DueAt, ct);
        var rows = children.Select(child =>
        {
            reports.TryGetValue(child.Code, out var report);
            deadlines.TryGetValue(child.Code, out var due);
            var counted = report?.Status is ReportStatus.Submitted or ReportStatus.Accepted;
            return new ChildRow(child.Code, child.Name, report is null ? "missing" : ReportsApi.StatusName(report.Status),
                report?.SubmittedAt, counted ? report!.OnTime ?? true : null, counted ? report!.DueAt : due);
        }).ToList();
        return TypedResults.Ok(new ChildrenRollupResponse(new OrgUnitRef(target.Unit.Code, target.Unit.Name), periodCode, target.HierarchyDate, rows));
    }

    /// <summary>Rebuilds every cell of a period from the stored reports (after a repair of the tree or the cells; benchmarks).</summary>
    public static async Task<Results<Ok<RecomputeResponse>, ProblemHttpResult>> Recompute(
        string period, ReportingDbContext db, IOptions<DataWindowOptions> window, TimeProvider clock, CancellationToken ct)
    {
        if (!TryPeriod(period, out var parsed, out var problem)) return problem;
        var started = Stopwatch.GetTimestamp();
        var date = parsed.HierarchyDate(window.Value);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (reports, cells, units) = await db.RecomputeAsync(parsed.Code, date, ct);
        db.AddOutboxMessage(new RollupChanged { Period = parsed.Code, OrgUnitCodes = units, OccurredAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new RecomputeResponse(parsed.Code, date, reports, cells, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
    }

    sealed record ChildReport(ReportStatus Status, DateTimeOffset? SubmittedAt, bool? OnTime, DateTimeOffset? DueAt);

    static async Task<Dictionary<string, ChildReport>> ChildReportsAsync(ReportingDbContext db, string period, List<UnitTreeVersion> children, CancellationToken ct)
    {
        var codes = children.Select(c => c.Code).ToList();
        return await db.Reports.AsNoTracking().Where(r => r.Period == period && codes.Contains(r.OrgUnitCode))
            .ToDictionaryAsync(r => r.OrgUnitCode, r => new ChildReport(r.Status, r.SubmittedAt, r.OnTime, r.DueAt), ct);
    }
}
