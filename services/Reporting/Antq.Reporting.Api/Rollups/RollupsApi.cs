using System.Diagnostics;
using System.Security.Claims;
using Antq.Audit;
using Antq.Contracts.Reporting;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Antq.UnitTree;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Antq.ServiceDefaults.Problems;
using static Antq.Reporting.Api.Units.ApiSupport;

namespace Antq.Reporting.Api.Rollups;

public sealed record RollupValue(decimal? Value, int Reports);

/// <summary>Over the units that report directly to the unit: submitted includes accepted; onTime + late = submitted; missing = expected − submitted.</summary>
public sealed record Completeness(int Expected, int Submitted, int Accepted, int OnTime, int Late, int Missing);

public sealed record RollupResponse(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, string CatalogueVersion,
    Dictionary<string, RollupValue> Values, Completeness Completeness);

public sealed record MappedPredecessor(string Code, string Name, bool Partial);

public sealed record PartialContribution(string Code, string Name, Dictionary<string, RollupValue> Values);

/// <summary>
/// An old period re-expressed on the unit valid at <see cref="MappedTo"/> (so với cùng kỳ): the values are the sums of
/// its whole predecessors; partial predecessors are listed apart and make the answer <see cref="Approximate"/>.
/// </summary>
public sealed record MappedRollupResponse(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, string CatalogueVersion,
    Dictionary<string, RollupValue> Values, Completeness Completeness, DateOnly MappedTo, IReadOnlyList<MappedPredecessor> Predecessors,
    IReadOnlyList<PartialContribution> PartialContributions, bool Approximate, string? Note);

public sealed record ChildRow(string Code, string Name, string Status, DateTimeOffset? SubmittedAt, bool? OnTime, DateTimeOffset? DueAt);

public sealed record ChildrenRollupResponse(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, IReadOnlyList<ChildRow> Children);

public sealed record ChildIndicatorValue(string Code, string Name, decimal? Value, int Reports);

/// <summary>One indicator of the roll-up of each unit directly below <c>code</c> (for the portal's bar chart across units).</summary>
public sealed record ChildrenIndicatorResponse(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, string CatalogueVersion,
    string Indicator, string IndicatorName, string Unit, IReadOnlyList<ChildIndicatorValue> Children);

public sealed record SnapshotCompleteness(int Expected, int Submitted, int OnTime, int Late, int Missing);

/// <summary>A child as the closing found it: <c>standing</c> onTime, late or missing; <c>frozen</c> when its report is locked (until reopened).</summary>
public sealed record SnapshotChild(string Code, string Name, string Standing, string Status, DateTimeOffset? SubmittedAt, DateTimeOffset? DueAt,
    bool Frozen, DateTimeOffset? ReopenedAt, string? ReopenedBy, string? ReopenReason);

public sealed record ChildNarrative(string Code, string Name, Dictionary<string, string> Narrative);

public sealed record SnapshotResponse(Guid Id, OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, string CatalogueVersion,
    DateTimeOffset DueAt, DateTimeOffset ClosedAt, Dictionary<string, RollupValue> Values, SnapshotCompleteness Completeness,
    IReadOnlyList<string> MissingCodes, IReadOnlyList<SnapshotChild> Children, IReadOnlyList<ChildNarrative> Narratives);

public sealed record RecomputeResponse(string Period, DateOnly HierarchyDate, int Reports, int Cells, long ElapsedMs);

/// <summary>A unit's roll-up for a period, and the date to re-express an old period on (<c>mapTo</c>, YYYY-MM-DD).</summary>
public sealed record RollupQuery([FromRoute(Name = "code")] string Code, [FromRoute(Name = "period")] string Period, [FromQuery(Name = "mapTo")] string? MapTo);

/// <summary>One indicator of the roll-ups below a unit, as the route names them.</summary>
public sealed record RollupIndicator([FromRoute(Name = "code")] string Code, [FromRoute(Name = "period")] string Period, [FromRoute(Name = "indicator")] string Indicator);

/// <summary>An export: the unit and period of the route, the <c>format</c> (xlsx, docx) and <c>source</c> (snapshot, live) asked.</summary>
public sealed record RollupExport([FromRoute(Name = "code")] string Code, [FromRoute(Name = "period")] string Period,
    [FromQuery(Name = "format")] string? Format, [FromQuery(Name = "source")] string? Source);

/// <summary>What the roll-up endpoints take from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record RollupServices(ReportingDbContext Db, IOptions<DataWindowOptions> Window, TimeProvider Clock);

/// <summary>The live roll-up (tổng hợp) of a unit and who has reported to it.</summary>
public static class RollupsApi
{
    public static RouteGroupBuilder MapRollupsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rollups").WithTags("Tổng hợp").RequireAuthorization().Problems(400, 401, 403, 404);
        group.MapGet("/{code}/{period}", GetRollup).WithName("getRollup")
            .WithSummary("Số liệu tổng hợp của một đơn vị trong một kỳ")
            .WithDescription("Tổng số liệu các báo cáo đã nộp trong cây đơn vị của `code` cho kỳ `period`, cập nhật ngay khi một báo cáo được nộp, và số đơn vị đã nộp, đúng hạn, trễ hạn. Với `mapTo` (YYYY-MM-DD): số liệu của kỳ cũ quy đổi sang đơn vị sau sắp xếp tại ngày đó.");
        group.MapGet("/{code}/{period}/children", GetChildren).WithName("getRollupChildren")
            .WithSummary("Số liệu tổng hợp của từng đơn vị trực thuộc")
            .WithDescription("Với mỗi đơn vị trực thuộc `code`: số liệu tổng hợp kỳ `period` và tình trạng nộp báo cáo (đã nộp, chưa nộp, trễ hạn).");
        group.MapGet("/{code}/{period}/children/{indicator}", GetChildrenIndicator).WithName("getRollupChildrenIndicator")
            .WithSummary("Một chỉ tiêu của từng đơn vị trực thuộc")
            .WithDescription("Giá trị tổng hợp kỳ `period` của chỉ tiêu `indicator` tại mỗi đơn vị trực thuộc `code` (tính như số liệu tổng hợp của chính đơn vị đó), và số báo cáo đã góp vào; để so sánh các đơn vị với nhau.");
        group.MapGet("/{code}/{period}/snapshot", GetSnapshot).WithName("getRollupSnapshot")
            .WithSummary("Số liệu chốt khi khoá sổ")
            .WithDescription("Số liệu đã chốt tại hạn nộp của cấp `code` cho kỳ `period`; 404 khi kỳ chưa khoá sổ tại đơn vị đó.");
        group.MapGet("/{code}/{period}/export", Export).WithName("exportRollup")
            .WithSummary("Xuất báo cáo tổng hợp (Excel hoặc Word)")
            .WithDescription("`format=xlsx` (mặc định): bảng tổng hợp Excel theo đơn vị trực thuộc; `format=docx`: văn bản báo cáo Word theo thể thức Nghị định 30/2020/NĐ-CP. Số liệu từ bản chốt khi khoá sổ, hoặc trực tiếp với `source=live` (409 khi chưa có bản chốt mà không chọn live).")
            .Produces(StatusCodes.Status200OK, contentType: ReportTemplate.ContentType, additionalContentTypes: [ReportDocument.ContentType])
            .Problems(409);
        group.MapPost("/{period}/recompute", Recompute).RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin)).WithName("recomputeRollups")
            .WithSummary("Tính lại số liệu tổng hợp của một kỳ (quản trị)")
            .WithDescription("Dựng lại mọi ô tổng hợp của kỳ `period` từ các báo cáo đã lưu, sau khi sửa cây đơn vị hoặc số liệu ngoài luồng thường.");
        return group;
    }

    public const string PartialNote = "Có đơn vị tiền thân chỉ sáp nhập một phần: số liệu của đơn vị đó không được cộng vào, xem danh sách riêng.";

    public static async Task<Results<Ok<RollupResponse>, Ok<MappedRollupResponse>, ProblemHttpResult>> GetRollup(
        [AsParameters] RollupQuery route, ClaimsPrincipal user, [AsParameters] RollupServices services, CancellationToken ct)
    {
        var (code, period, mapTo) = route;
        var (db, window, _) = services;
        if (mapTo is not null) return await GetMappedRollupAsync(code, period, mapTo, user, db, window.Value, ct);
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

    /// <summary>
    /// The period on the unit valid at <paramref name="mapTo"/>: its predecessors one step back in the lineage (or the unit
    /// itself when it existed with the same code in the period's hierarchy and has no lineage); the whole ones' cells are
    /// added code by code and the catalogue's rules applied to the sums; the partial ones are listed with their own values.
    /// </summary>
    static async Task<Results<Ok<RollupResponse>, Ok<MappedRollupResponse>, ProblemHttpResult>> GetMappedRollupAsync(
        string code, string period, string mapTo, ClaimsPrincipal user, ReportingDbContext db, DataWindowOptions window, CancellationToken ct)
    {
        if (!TryPeriod(period, out var parsed, out var problem)) return problem;
        if (!DateOnly.TryParseExact(mapTo.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var mappedTo))
            return Problem(400, $"Ngày quy đổi \"{mapTo}\" không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2026-01-01.", "mapTo");

        var unit = await db.FindUnitAsOfAsync(code, mappedTo, ct);
        if (unit is null) return Problem(404, $"Không tìm thấy đơn vị có mã {code} vào ngày {mappedTo:dd/MM/yyyy} (ngày quy đổi).", "code");
        var ancestors = await db.AncestorsAsOfAsync(code, mappedTo, ct);
        var hierarchyDate = parsed.HierarchyDate(window);
        if (CheckRead(user, new PeriodUnit(parsed, hierarchyDate, unit, ancestors)) is { } forbidden) return forbidden;

        var links = await db.Lineage.AsNoTracking()
            .Where(l => l.SuccessorCode == unit.Code && l.SuccessorValidFrom == unit.ValidFrom)
            .OrderBy(l => l.PredecessorCode)
            .ToListAsync(ct);
        var predecessors = new List<(UnitTreeVersion Unit, bool Partial)>();
        foreach (var link in links)
        {
            var old = await db.FindUnitAsOfAsync(link.PredecessorCode, hierarchyDate, ct);
            if (old is not null) predecessors.Add((old, link.Partial));
        }

        // No lineage, or a period after the unit's own reform (its predecessors were closed by then): the unit itself.
        if (predecessors.Count == 0 && await db.FindUnitAsOfAsync(code, hierarchyDate, ct) is { } same) predecessors.Add((same, false));

        var catalogue = await db.InForceAsync(ct);
        var whole = predecessors.Where(p => !p.Partial).Select(p => p.Unit).ToList();
        var wholeCodes = whole.Select(w => w.Code).ToHashSet(StringComparer.Ordinal);
        var children = new List<UnitTreeVersion>();
        foreach (var w in whole) children.AddRange(await db.ChildrenAsOfAsync(w.Code, hierarchyDate, ct));
        // A unit and one of its descendants both named whole would count the descendant twice.
        children = [.. children.Where(c => !wholeCodes.Contains(c.Code)).DistinctBy(c => c.Code)];

        var cells = await db.CellsAsync(parsed.Code, [.. whole.Select(w => w.Code), .. children.Select(c => c.Code)], ct);
        var summed = new Dictionary<string, SubtreeCell>(StringComparer.Ordinal);
        foreach (var w in whole)
        {
            foreach (var (indicator, cell) in cells[w.Code])
            {
                summed[indicator] = summed.TryGetValue(indicator, out var total)
                    ? new SubtreeCell(total.Sum + cell.Sum, total.Reports + cell.Reports)
                    : cell;
            }
        }

        var maxima = new Dictionary<string, AggregateValue>(StringComparer.Ordinal);
        foreach (var of in catalogue.AskedIn(parsed.Kind).Where(i => i.Aggregation == Aggregation.Max).Select(i => i.Of!).Distinct())
        {
            var value = AggregateValue.None;
            foreach (var w in whole)
            {
                var own = await db.MaxOfOwnValuesAsync(parsed.Code, w.Code, of, ct);
                if (own.Reports == 0) continue;
                value = value.Reports == 0 || own.Value > value.Value ? new AggregateValue(own.Value, value.Reports + own.Reports) : value with { Reports = value.Reports + own.Reports };
            }

            maxima[of] = value;
        }

        var aggregate = RollupCalculator.Aggregate(catalogue, parsed.Kind, summed,
            children.Count > 0 ? [.. children.Select(c => (IReadOnlyDictionary<string, SubtreeCell>)cells[c.Code])] : null,
            of => maxima.TryGetValue(of, out var value) ? value : AggregateValue.None);

        var reports = await ChildReportsAsync(db, parsed.Code, children, ct);
        var counted = reports.Values.Where(r => r.Status is ReportStatus.Submitted or ReportStatus.Accepted).ToList();
        var completeness = new Completeness(children.Count, counted.Count, counted.Count(r => r.Status == ReportStatus.Accepted),
            counted.Count(r => r.OnTime != false), counted.Count(r => r.OnTime == false), children.Count - counted.Count);

        var partials = new List<PartialContribution>();
        foreach (var (old, _) in predecessors.Where(p => p.Partial))
        {
            var oldChildren = await db.ChildrenAsOfAsync(old.Code, hierarchyDate, ct);
            var values = await db.AggregateAsync(catalogue, parsed, old.Code, oldChildren, ct);
            partials.Add(new PartialContribution(old.Code, old.Name, values.ToDictionary(v => v.Key, v => new RollupValue(v.Value.Value, v.Value.Reports))));
        }

        var approximate = partials.Count > 0;
        return TypedResults.Ok(new MappedRollupResponse(new OrgUnitRef(unit.Code, unit.Name), parsed.Code, hierarchyDate, catalogue.Version,
            aggregate.ToDictionary(a => a.Key, a => new RollupValue(a.Value.Value, a.Value.Reports)), completeness, mappedTo,
            [.. predecessors.Select(p => new MappedPredecessor(p.Unit.Code, p.Unit.Name, p.Partial))], partials,
            approximate, approximate ? PartialNote : null));
    }

    public static async Task<Results<Ok<ChildrenRollupResponse>, ProblemHttpResult>> GetChildren(
        [AsParameters] UnitPeriod route, ClaimsPrincipal user, [AsParameters] RollupServices services, CancellationToken ct)
    {
        var (code, period) = route;
        var (db, window, _) = services;
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
            return new ChildRow(child.Code, child.Name, report is null ? ReportStatusNames.None : ReportsApi.StatusName(report.Status),
                report?.SubmittedAt, counted ? report!.OnTime ?? true : null, counted ? report!.DueAt : due);
        }).ToList();
        return TypedResults.Ok(new ChildrenRollupResponse(new OrgUnitRef(target.Unit.Code, target.Unit.Name), periodCode, target.HierarchyDate, rows));
    }

    /// <summary>One indicator at every child, each computed as the child's own roll-up (set-based, as the consolidated export reads them).</summary>
    public static async Task<Results<Ok<ChildrenIndicatorResponse>, ProblemHttpResult>> GetChildrenIndicator(
        [AsParameters] RollupIndicator route, ClaimsPrincipal user, [AsParameters] RollupServices services, CancellationToken ct)
    {
        var (code, period, indicator) = route;
        var (db, window, _) = services;
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var catalogue = await db.InForceAsync(ct);
        if (!catalogue.ByCode.TryGetValue(indicator, out var asked) || !asked.IsAskedIn(target!.Period.Kind))
            return Problem(404, $"Chỉ tiêu {indicator} không có trong danh mục chỉ tiêu của kỳ {target!.Period.Title.ToLowerInvariant()} (phiên bản {catalogue.Version}).", "indicator");
        var children = await db.ChildrenAsOfAsync(code, target.HierarchyDate, ct);
        var values = await db.ChildAggregatesAsync(catalogue, target.Period, code, children, target.HierarchyDate, ct);
        var rows = children.Select(child =>
        {
            var value = values.TryGetValue(child.Code, out var all) && all.TryGetValue(indicator, out var v) ? v : AggregateValue.None;
            return new ChildIndicatorValue(child.Code, child.Name, value.Value, value.Reports);
        }).ToList();
        return TypedResults.Ok(new ChildrenIndicatorResponse(new OrgUnitRef(target.Unit.Code, target.Unit.Name), target.Period.Code, target.HierarchyDate,
            catalogue.Version, asked.Code, asked.Name, asked.Unit, rows));
    }

    /// <summary>
    /// The snapshot frozen when the period closed at the unit (khóa sổ): its roll-up, and each child's status then,
    /// with the missing units and the children's narratives gathered for the unit's own report.
    /// </summary>
    public static async Task<Results<Ok<SnapshotResponse>, ProblemHttpResult>> GetSnapshot(
        [AsParameters] UnitPeriod route, ClaimsPrincipal user, [AsParameters] RollupServices services, CancellationToken ct)
    {
        var (code, period) = route;
        var (db, window, _) = services;
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var closing = await db.Closings.AsNoTracking().Include(c => c.Children)
            .FirstOrDefaultAsync(c => c.OrgUnitCode == code && c.Period == target!.Period.Code, ct);
        if (closing is null)
            return Problem(404, $"Kỳ {target!.Period.Title.ToLowerInvariant()} chưa khóa sổ tại {target.Unit.Name} ({code}): hạn nộp của các đơn vị trực thuộc chưa qua hoặc chưa được đặt.");

        var children = closing.Children.OrderBy(c => c.ChildCode, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new SnapshotResponse(
            closing.Id, new OrgUnitRef(target!.Unit.Code, target.Unit.Name), closing.Period, closing.HierarchyDate, closing.CatalogueVersion,
            closing.DueAt, closing.ClosedAt,
            PeriodCloser.DeserializeValues(closing.ValuesJson).ToDictionary(v => v.Key, v => new RollupValue(v.Value.Value, v.Value.Reports)),
            new SnapshotCompleteness(closing.Expected, closing.OnTime + closing.Late, closing.OnTime, closing.Late, closing.Missing),
            closing.MissingCodes,
            [.. children.Select(c => new SnapshotChild(c.ChildCode, c.ChildName, c.Standing, c.ReportStatus ?? ReportStatusNames.None, c.SubmittedAt, c.DueAt,
                c.Frozen, c.ReopenedAt, c.ReopenedBy, c.ReopenReason))],
            [.. children.Where(c => c.NarrativeJson is not null).Select(c => new ChildNarrative(c.ChildCode, c.ChildName,
                System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(c.NarrativeJson!) ?? []))]));
    }

    /// <summary>The consolidated report of the unit: <c>format=xlsx</c> the table of its children and total; <c>format=docx</c> the official document.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(
        [AsParameters] RollupExport route, HttpContext http, [AsParameters] RollupServices services)
    {
        var (code, period, format, source) = route;
        var (db, window, clock) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var kind = (format ?? "xlsx").Trim().ToLowerInvariant();
        if (kind is not ("xlsx" or "docx")) return Problem(400, "Định dạng xuất phải là xlsx (bảng tổng hợp Excel) hoặc docx (văn bản báo cáo Word).", "format");
        var from = (source ?? "").Trim().ToLowerInvariant();
        if (from is not ("" or "snapshot" or "live")) return Problem(400, "Nguồn số liệu phải là snapshot (số liệu chốt khi khóa sổ) hoặc live (số liệu trực tiếp).", "source");
        var data = await Consolidation.LoadAsync(db, target!, clock.GetUtcNow(), live: from == "live", ct);
        if (from == "snapshot" && data.Source != FigureSource.Snapshot)
            return Problem(409, $"Kỳ {target!.Period.Title.ToLowerInvariant()} chưa khóa sổ tại {target.Unit.Name}: chưa có số liệu chốt, chỉ có số liệu trực tiếp (source=live).", "source");
        // Scripts read which figures they got without opening the file.
        http.Response.Headers["X-Antq-Figures"] = data.Source == FigureSource.Snapshot ? "snapshot" : "live";
        var name = $"{(kind == "xlsx" ? "tong-hop" : "bao-cao")}-{code}-{target!.Period.Code}.{kind}";
        return kind == "xlsx"
            ? TypedResults.File(ConsolidatedWorkbook.Write(data), ReportTemplate.ContentType, name)
            : TypedResults.File(ReportDocument.Write(data), ReportDocument.ContentType, name);
    }

    /// <summary>Rebuilds every cell of a period from the stored reports (after a repair of the tree or the cells; benchmarks).</summary>
    public static async Task<Results<Ok<RecomputeResponse>, ProblemHttpResult>> Recompute(
        string period, HttpContext http, [AsParameters] RollupServices services, CancellationToken ct)
    {
        var (db, window, clock) = services;
        if (!TryPeriod(period, out var parsed, out var problem)) return problem;
        var started = Stopwatch.GetTimestamp();
        var date = parsed.HierarchyDate(window.Value);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (reports, cells, units) = await db.RecomputeAsync(parsed.Code, date, ct);
        db.AddOutboxMessage(new RollupChanged { Period = parsed.Code, OrgUnitCodes = units, OccurredAt = clock.GetUtcNow() });
        db.AddAdministrativeAct(http, "rollups.recomputed", $"rollups/{parsed.Code}",
            $"Tính lại tổng hợp kỳ {parsed.Code} theo cây đơn vị ngày {date:dd/MM/yyyy}: {reports} báo cáo, {cells} ô số liệu.", clock);
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
