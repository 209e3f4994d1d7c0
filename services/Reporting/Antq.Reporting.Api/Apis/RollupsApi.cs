using System.Diagnostics;
using System.Security.Claims;
using Antq.Contracts.Reporting;
using Antq.Messaging;
using Antq.Reporting.Api.Data;
using Antq.Reporting.Api.Documents;
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

public sealed record SnapshotCompleteness(int Expected, int Submitted, int OnTime, int Late, int Missing);

/// <summary>A child as the closing found it: <c>standing</c> onTime, late or missing; <c>frozen</c> when its report is locked (until reopened).</summary>
public sealed record SnapshotChild(string Code, string Name, string Standing, string Status, DateTimeOffset? SubmittedAt, DateTimeOffset? DueAt,
    bool Frozen, DateTimeOffset? ReopenedAt, string? ReopenedBy, string? ReopenReason);

public sealed record ChildNarrative(string Code, string Name, Dictionary<string, string> Narrative);

public sealed record SnapshotResponse(Guid Id, OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, string CatalogueVersion,
    DateTimeOffset DueAt, DateTimeOffset ClosedAt, Dictionary<string, RollupValue> Values, SnapshotCompleteness Completeness,
    IReadOnlyList<string> MissingCodes, IReadOnlyList<SnapshotChild> Children, IReadOnlyList<ChildNarrative> Narratives);

public sealed record RecomputeResponse(string Period, DateOnly HierarchyDate, int Reports, int Cells, long ElapsedMs);

/// <summary>The live roll-up (tổng hợp) of a unit and who has reported to it.</summary>
public static class RollupsApi
{
    public static RouteGroupBuilder MapRollupsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rollups").WithTags("Tổng hợp").RequireAuthorization();
        group.MapGet("/{code}/{period}", GetRollup);
        group.MapGet("/{code}/{period}/children", GetChildren);
        group.MapGet("/{code}/{period}/snapshot", GetSnapshot);
        group.MapGet("/{code}/{period}/export", Export);
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
        var aggregate = await db.AggregateAsync(catalogue, target.Period, code, children, ct);

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

    /// <summary>
    /// The snapshot frozen when the period closed at the unit (khóa sổ): its roll-up, and each child's status then,
    /// with the missing units and the children's narratives gathered for the unit's own report.
    /// </summary>
    public static async Task<Results<Ok<SnapshotResponse>, ProblemHttpResult>> GetSnapshot(
        string code, string period, ClaimsPrincipal user, ReportingDbContext db, IOptions<DataWindowOptions> window, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var closing = await db.Closings.AsNoTracking().Include(c => c.Children)
            .FirstOrDefaultAsync(c => c.OrgUnitCode == code && c.Period == target!.Period.Code, ct);
        if (closing is null)
            return Problem(404, $"Kỳ {target!.Period.VietnameseName.ToLowerInvariant()} chưa khóa sổ tại {target.Unit.Name} ({code}): hạn nộp của các đơn vị trực thuộc chưa qua hoặc chưa được đặt.");

        var children = closing.Children.OrderBy(c => c.ChildCode, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new SnapshotResponse(
            closing.Id, new OrgUnitRef(target!.Unit.Code, target.Unit.Name), closing.Period, closing.HierarchyDate, closing.CatalogueVersion,
            closing.DueAt, closing.ClosedAt,
            PeriodCloser.DeserializeValues(closing.ValuesJson).ToDictionary(v => v.Key, v => new RollupValue(v.Value.Value, v.Value.Reports)),
            new SnapshotCompleteness(closing.Expected, closing.OnTime + closing.Late, closing.OnTime, closing.Late, closing.Missing),
            closing.MissingCodes,
            [.. children.Select(c => new SnapshotChild(c.ChildCode, c.ChildName, c.Standing, c.ReportStatus ?? "missing", c.SubmittedAt, c.DueAt,
                c.Frozen, c.ReopenedAt, c.ReopenedBy, c.ReopenReason))],
            [.. children.Where(c => c.NarrativeJson is not null).Select(c => new ChildNarrative(c.ChildCode, c.ChildName,
                System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(c.NarrativeJson!) ?? []))]));
    }

    /// <summary>The consolidated report of the unit: <c>format=xlsx</c> the table of its children and total; <c>format=docx</c> the official document.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(
        string code, string period, string? format, ClaimsPrincipal user, ReportingDbContext db, IOptions<DataWindowOptions> window,
        TimeProvider clock, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var kind = (format ?? "xlsx").Trim().ToLowerInvariant();
        if (kind is not ("xlsx" or "docx")) return Problem(400, "Định dạng xuất phải là xlsx (bảng tổng hợp Excel) hoặc docx (văn bản báo cáo Word).", "format");
        var data = await Consolidation.LoadAsync(db, target!, clock.GetUtcNow(), ct);
        var name = $"{(kind == "xlsx" ? "tong-hop" : "bao-cao")}-{code}-{target!.Period.Code}.{kind}";
        return kind == "xlsx"
            ? TypedResults.File(ConsolidatedWorkbook.Write(data), ReportTemplate.ContentType, name)
            : TypedResults.File(ReportDocument.Write(data), ReportDocument.ContentType, name);
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
