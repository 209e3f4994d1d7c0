using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Antq.Contracts.Reporting;
using Antq.Messaging;
using Antq.UnitTree;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using static Antq.Reporting.Api.Units.ApiSupport;

namespace Antq.Reporting.Api.Reports;

/// <summary>A draft save: values by indicator code (a JSON null clears one), narrative text by section code.</summary>
public sealed record SaveReportRequest(Dictionary<string, JsonElement>? Values, Dictionary<string, string?>? Narrative);

public sealed record ReturnReportRequest(string? Reason);

public sealed record ReopenResponse(string Code, string Period, string ClosedAtLevel, DateTimeOffset ReopenedAt, string ReopenedBy, string Reason, string Status);

public sealed record ReportHistoryEntry(string Action, string? Field, string? OldValue, string? NewValue, string By, DateTimeOffset At);

public sealed record ReportResponse(
    Guid Id,
    OrgUnitRef OrgUnit,
    string Period,
    string Status,
    int Version,
    string CatalogueVersion,
    Dictionary<string, object?> Values,
    Dictionary<string, string> Narrative,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt,
    string? SubmittedBy,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? DueAt,
    bool? OnTime,
    string? ReportsToCode,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? ReturnReason,
    IReadOnlyList<ReportHistoryEntry>? History);

/// <summary>Reports (báo cáo): draft saves, submission, review and the full history.</summary>
public static class ReportsApi
{
    public const int MaxReasonLength = 2000;
    public const int MaxNarrativeLength = 100_000;

    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reports").WithTags("Báo cáo").RequireAuthorization();
        group.MapGet("/{code}/{period}", GetReport);
        group.MapPut("/{code}/{period}", SaveReport);
        // The same route with the Excel form as the body: the endpoint is chosen by the request's content type.
        group.MapPut("/{code}/{period}", UploadReport).Accepts<Stream>(ReportTemplate.ContentType).DisableAntiforgery();
        group.MapGet("/{code}/{period}/template.xlsx", GetTemplate);
        group.MapPost("/{code}/{period}/reopen", ReopenReport);
        group.MapPost("/{code}/{period}/submit", SubmitReport);
        group.MapPost("/{code}/{period}/return", ReturnReport);
        group.MapPost("/{code}/{period}/accept", AcceptReport);
        return group;
    }

    public static async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> GetReport(
        string code, string period, HttpContext http, ClaimsPrincipal user, ReportingDbContext db, IOptions<DataWindowOptions> window, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var report = await db.Reports.AsNoTracking().AsSplitQuery().Include(r => r.Values).Include(r => r.Events.OrderBy(e => e.Id))
            .FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Period == target!.Period.Code, ct);
        if (report is null) return NoReport(target!);
        var catalogue = await db.VersionAsync(report.CatalogueVersion, ct);
        SetETag(http, report);
        return TypedResults.Ok(ToResponse(report, target!, catalogue, withHistory: true));
    }

    public static async Task<Results<Ok<ReportResponse>, Created<ReportResponse>, ProblemHttpResult>> SaveReport(
        string code, string period, SaveReportRequest request, HttpContext http, ClaimsPrincipal user, ReportingDbContext db,
        IOptions<DataWindowOptions> window, TimeProvider clock, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckEnter(user, target!) is { } forbidden) return forbidden;

        var catalogue = await db.InForceAsync(ct);
        var (values, errors) = ReadForm(catalogue, target!, request);
        if (errors.Count > 0) return Invalid("Báo cáo chưa được lưu vì có số liệu không hợp lệ; không có thay đổi nào được ghi.", errors);
        return await SaveValuesAsync(target!, catalogue, values, request.Narrative ?? [], IfMatch(http), http, user, db, clock, ct);
    }

    /// <summary>The values of a form as the catalogue reads them, and every error of its values and narrative (keyed by code).</summary>
    static (Dictionary<string, decimal?> Values, Dictionary<string, List<string>> Errors) ReadForm(Catalogue catalogue, PeriodUnit target, SaveReportRequest request)
    {
        var (values, errors) = ReportValidator.ReadValues(catalogue, target.Period.Kind, request.Values ?? []);
        var sections = catalogue.NarrativeSections.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var (section, text) in request.Narrative ?? [])
        {
            if (!sections.Contains(section))
                errors[section] = [$"Mục \"{section}\" không có trong danh mục các phần của báo cáo ({string.Join(", ", sections)})."];
            else if (text is { Length: > MaxNarrativeLength })
                errors[section] = [$"Nội dung mục này quá dài (tối đa {MaxNarrativeLength.ToString("N0", CultureInfo.GetCultureInfo("vi-VN"))} ký tự)."];
        }

        return (values, errors);
    }

    /// <summary>
    /// The report form filled in Excel (from <c>template.xlsx</c>): the same checks and messages as the JSON save, each
    /// naming its cell; nothing is saved when any cell is wrong. The version written in the form stands for If-Match.
    /// </summary>
    public static async Task<Results<Ok<ReportResponse>, Created<ReportResponse>, ProblemHttpResult>> UploadReport(
        string code, string period, HttpContext http, ClaimsPrincipal user, ReportingDbContext db,
        IOptions<DataWindowOptions> window, TimeProvider clock, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckEnter(user, target!) is { } forbidden) return forbidden;
        if (http.Request.ContentLength is > ReportTemplate.MaxBytes)
            return Problem(413, $"Tệp Excel quá lớn (tối đa {ReportTemplate.MaxBytes / 1024 / 1024} MB).");

        var catalogue = await db.InForceAsync(ct);
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > ReportTemplate.MaxBytes) return Problem(413, $"Tệp Excel quá lớn (tối đa {ReportTemplate.MaxBytes / 1024 / 1024} MB).");
        var form = ReportTemplate.Read(buffer, catalogue, target!);
        if (form.Errors.Count > 0)
            return Invalid($"Báo cáo chưa được lưu vì tệp Excel có ô không hợp lệ: {string.Join(" ", form.Errors.SelectMany(e => e.Value))} Không có thay đổi nào được ghi.", form.Errors);
        var ifMatch = IfMatch(http) ?? (form.Version is { } version ? $"\"{version}\"" : null);
        return await SaveValuesAsync(target!, catalogue, form.Values, form.Narrative, ifMatch, http, user, db, clock, ct);
    }

    /// <summary>The unit's report form as an Excel workbook: every indicator the period asks with its current value, and the narrative sections.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTemplate(
        string code, string period, ClaimsPrincipal user, ReportingDbContext db, IOptions<DataWindowOptions> window, TimeProvider clock, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var report = await db.Reports.AsNoTracking().Include(r => r.Values).FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Period == target!.Period.Code, ct);
        var catalogue = await db.InForceAsync(ct);
        var bytes = ReportTemplate.Write(catalogue, target!, report, clock.GetUtcNow());
        return TypedResults.File(bytes, ReportTemplate.ContentType, $"bao-cao-{code}-{target!.Period.Code}.xlsx");
    }

    static async Task<Results<Ok<ReportResponse>, Created<ReportResponse>, ProblemHttpResult>> SaveValuesAsync(
        PeriodUnit target, Catalogue catalogue, IReadOnlyDictionary<string, decimal?> values, IReadOnlyDictionary<string, string?> narrative,
        string? ifMatch, HttpContext http, ClaimsPrincipal user, ReportingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var code = target.Unit.Code;
        var now = clock.GetUtcNow();
        var by = user.Who();
        var (report, created, refused) = await DraftForSaveAsync(db, target, catalogue, ifMatch, by, now, ct);
        if (refused is not null) return refused;

        report!.SaveDraft(values, narrative, catalogue.Version, by, now);
        try
        {
            await db.SaveReportChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict412();
        }
        catch (DbUpdateException ex) when (IsCreatedMeanwhile(ex))
        {
            return CreatedMeanwhile();
        }

        SetETag(http, report);
        var response = ToResponse(report, target, catalogue, withHistory: false);
        return created
            ? TypedResults.Created($"/api/reports/{Uri.EscapeDataString(code)}/{target.Period.Code}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>
    /// The report a save writes into: a new one (no If-Match, or "*") or the existing one, which needs the caller's
    /// current version (If-Match), must be editable and not locked by a closing.
    /// </summary>
    static async Task<(Report? Report, bool Created, ProblemHttpResult? Refused)> DraftForSaveAsync(ReportingDbContext db, PeriodUnit target,
        Catalogue catalogue, string? ifMatch, string by, DateTimeOffset now, CancellationToken ct)
    {
        var code = target.Unit.Code;
        var report = await db.Reports.Include(r => r.Values).FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Period == target.Period.Code, ct);
        if (report is null)
        {
            if (ifMatch is not null && ifMatch != "*")
                return (null, false, Problem(412, "Báo cáo này chưa tồn tại nhưng yêu cầu gửi kèm phiên bản (If-Match); hãy tải lại báo cáo."));
            report = new Report
            {
                OrgUnitCode = code, Period = target.Period.Code, CatalogueVersion = catalogue.Version,
                CreatedAt = now, CreatedBy = by, UpdatedAt = now, UpdatedBy = by,
            };
            db.Reports.Add(report);
            return (report, true, null);
        }

        if (ifMatch is null)
            return (null, false, Problem(428, "Báo cáo đã tồn tại: hãy gửi kèm phiên bản đang sửa (tiêu đề If-Match với ETag nhận được khi tải báo cáo)."));
        if (VersionMismatch(ifMatch, report) is { } conflict) return (null, false, conflict);
        if (await LockedAsync(db, target, ct) is { } locked) return (null, false, locked);
        if (!report.IsEditable) return (null, false, Problem(409, report.Status == ReportStatus.Accepted
            ? "Báo cáo đã được tiếp nhận, không thể sửa."
            : "Báo cáo đã nộp, không thể sửa. Nếu cần sửa, đề nghị cấp trên trả lại báo cáo."));
        return (report, false, null);
    }

    static bool IsCreatedMeanwhile(DbUpdateException ex) => ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    static ProblemHttpResult CreatedMeanwhile() =>
        Problem(412, "Báo cáo vừa được người khác tạo; hãy tải lại báo cáo rồi lưu lại thay đổi của bạn.");

    /// <summary>
    /// Submits the report. With a body (the same form as <c>PUT</c>), its values and narrative are saved and the report
    /// submitted in one step and one transaction — both or neither; the existing report needs If-Match, as for a save.
    /// Without one, the report as last saved is submitted.
    /// </summary>
    public static async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> SubmitReport(
        string code, string period, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] SaveReportRequest? request, HttpContext http,
        ClaimsPrincipal user, ReportingDbContext db, IOptions<DataWindowOptions> window, TimeProvider clock, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckEnter(user, target!) is { } forbidden) return forbidden;
        Report report;
        if (request is { Values.Count: > 0 } or { Narrative.Count: > 0 })
        {
            var form = await db.InForceAsync(ct);
            var (formValues, formErrors) = ReadForm(form, target!, request);
            if (formErrors.Count > 0) return Invalid("Báo cáo chưa được nộp vì có số liệu không hợp lệ; không có thay đổi nào được ghi.", formErrors);
            var (draft, _, notSaved) = await DraftForSaveAsync(db, target!, form, IfMatch(http), user.Who(), clock.GetUtcNow(), ct);
            if (notSaved is not null) return notSaved;
            report = draft!;
            report.SaveDraft(formValues, request.Narrative ?? [], form.Version, user.Who(), clock.GetUtcNow());
        }
        else
        {
            (report, var refused) = await ReportForStepAsync(db, target!, http, ct);
            if (refused is not null) return refused;
        }

        if (await LockedAsync(db, target!, ct) is { } locked) return locked;
        if (!report.IsEditable) return Problem(409, report.Status == ReportStatus.Accepted
            ? "Báo cáo đã được tiếp nhận."
            : "Báo cáo đã được nộp và đang chờ cấp trên tiếp nhận.");

        var catalogue = await db.VersionAsync(report.CatalogueVersion, ct);
        var values = report.CurrentValues();
        var errors = ReportValidator.CheckRules(catalogue, values);
        if (errors.Count > 0)
            return Invalid($"Báo cáo chưa nộp được: {string.Join("; ", errors.SelectMany(e => e.Value).Distinct())}.", errors);

        var deadline = await db.Deadlines.AsNoTracking().FirstOrDefaultAsync(d => d.OrgUnitCode == code && d.Period == target!.Period.Code, ct);
        var now = clock.GetUtcNow();
        // A consolidated report states the totals of the reports below, which are already in the cells: it adds nothing.
        List<string> path = report.Consolidated ? [] : target!.Path;

        await using var transaction = await db.BeginRollupChangeAsync(target!.Period.Code, ct);
        report.Submit(user.Who(), now, deadline?.DueAt);
        report.RollupPath = path;
        report.ReportsToCode = target!.Unit.ParentCode;
        db.AddOutboxMessage(new ReportSubmitted
        {
            ReportId = report.Id, OrgUnitCode = code, ReportsToCode = report.ReportsToCode, Period = report.Period,
            SubmittedAt = now, DueAt = report.DueAt, OnTime = report.OnTime ?? true, SubmittedBy = report.SubmittedBy!, OccurredAt = now,
        });
        if (path.Count > 0) db.AddOutboxMessage(new RollupChanged { Period = report.Period, OrgUnitCodes = path, OccurredAt = now });
        try
        {
            await db.SaveReportChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict412();
        }
        catch (DbUpdateException ex) when (IsCreatedMeanwhile(ex))
        {
            return CreatedMeanwhile();
        }

        // Same transaction as the status change: the report counts exactly when its values are in the cells.
        await db.ApplyAsync(report.Period, path, values, +1, ct);
        await transaction.CommitAsync(ct);
        SetETag(http, report);
        return TypedResults.Ok(ToResponse(report, target, catalogue, withHistory: false));
    }

    public static async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> ReturnReport(
        string code, string period, ReturnReportRequest request, HttpContext http, ClaimsPrincipal user, ReportingDbContext db,
        IOptions<DataWindowOptions> window, TimeProvider clock, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckReview(user, target!) is { } forbidden) return forbidden;
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return Problem(400, "Hãy nêu lý do trả lại báo cáo.", "reason");
        if (reason.Length > MaxReasonLength) return Problem(400, $"Lý do trả lại quá dài (tối đa {MaxReasonLength} ký tự).", "reason");

        var (report, refused) = await ReportForStepAsync(db, target!, http, ct);
        if (refused is not null) return refused;
        if (!report.CountsInRollup) return Problem(409, "Chỉ trả lại được báo cáo đã nộp.");
        if (await LockedAsync(db, target!, ct) is { } locked) return locked;

        var now = clock.GetUtcNow();
        var values = report.CurrentValues();
        var path = PathOf(report, target!);
        await using var transaction = await db.BeginRollupChangeAsync(report.Period, ct);
        report.Return(reason, user.Who(), now);
        db.AddOutboxMessage(new ReportReturned
        {
            ReportId = report.Id, OrgUnitCode = code, ReportsToCode = report.ReportsToCode, Period = report.Period,
            Reason = reason, ReturnedBy = report.DecidedBy!, OccurredAt = now,
        });
        if (path.Count > 0) db.AddOutboxMessage(new RollupChanged { Period = report.Period, OrgUnitCodes = [.. path], OccurredAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict412();
        }

        // Subtracts along the path the submission added to, in the same transaction as the status change.
        await db.ApplyAsync(report.Period, path, values, -1, ct);
        await transaction.CommitAsync(ct);
        SetETag(http, report);
        return TypedResults.Ok(ToResponse(report, target!, await db.VersionAsync(report.CatalogueVersion, ct), withHistory: false));
    }

    public static async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> AcceptReport(
        string code, string period, HttpContext http, ClaimsPrincipal user, ReportingDbContext db,
        IOptions<DataWindowOptions> window, TimeProvider clock, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckReview(user, target!) is { } forbidden) return forbidden;
        var (report, refused) = await ReportForStepAsync(db, target!, http, ct);
        if (refused is not null) return refused;
        if (report.Status != ReportStatus.Submitted)
            return Problem(409, report.Status == ReportStatus.Accepted ? "Báo cáo đã được tiếp nhận." : "Chỉ tiếp nhận được báo cáo đã nộp.");

        var now = clock.GetUtcNow();
        report.Accept(user.Who(), now);
        // Accepting changes no number: the report already counts. The message carries the unit's values as its roll-up
        // shows them now (computed ratios included), which is what the Classification service scores the year on.
        var catalogue = await db.InForceAsync(ct);
        var children = await db.ChildrenAsOfAsync(code, target!.HierarchyDate, ct);
        var aggregate = await db.AggregateAsync(catalogue, target.Period, code, children, ct);
        db.AddOutboxMessage(new ReportAccepted
        {
            ReportId = report.Id, OrgUnitCode = code, ReportsToCode = report.ReportsToCode, Period = report.Period,
            AcceptedBy = report.DecidedBy!, OccurredAt = now,
            Values = aggregate.ToDictionary(a => a.Key, a => a.Value.Value, StringComparer.Ordinal),
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict412();
        }

        SetETag(http, report);
        return TypedResults.Ok(ToResponse(report, target!, await db.VersionAsync(report.CatalogueVersion, ct), withHistory: false));
    }

    /// <summary>
    /// Reopening (mở lại) by the level above after the period closed at it: the unit's report, frozen by the closing as
    /// submitted or accepted, goes back to the unit to be corrected and resubmitted. Audited with its reason, on the
    /// report's history and on the closing.
    /// </summary>
    public static async Task<Results<Ok<ReopenResponse>, ProblemHttpResult>> ReopenReport(
        string code, string period, ReturnReportRequest request, HttpContext http, ClaimsPrincipal user, ReportingDbContext db,
        IOptions<DataWindowOptions> window, TimeProvider clock, CancellationToken ct)
    {
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckReview(user, target!) is { } forbidden) return forbidden;
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return Problem(400, "Hãy nêu lý do mở lại kỳ báo cáo cho đơn vị.", "reason");
        if (reason.Length > MaxReasonLength) return Problem(400, $"Lý do mở lại quá dài (tối đa {MaxReasonLength} ký tự).", "reason");
        var parent = target!.Unit.ParentCode;
        var closing = await db.Closings.AsNoTracking().FirstOrDefaultAsync(c => c.OrgUnitCode == parent && c.Period == target.Period.Code, ct);
        if (closing is null)
            return Problem(409, $"Kỳ {target.Period.VietnameseName.ToLowerInvariant()} chưa khóa sổ tại cấp trên của {target.Unit.Name}; không cần mở lại.");
        var child = await db.ClosingChildren.FirstOrDefaultAsync(c => c.ClosingId == closing.Id && c.ChildCode == code, ct);
        if (child is null) return Problem(409, $"{target.Unit.Name} ({code}) không có trong danh sách đơn vị khi khóa sổ.");
        if (child.ReopenedAt is { } at)
            return Problem(409, $"Kỳ báo cáo đã được mở lại cho {target.Unit.Name} lúc {VietnamTime(at)} bởi {child.ReopenedBy}.");

        var now = clock.GetUtcNow();
        var by = user.Who();
        child.ReopenedAt = now;
        child.ReopenedBy = by;
        child.ReopenReason = reason;
        var report = await db.Reports.Include(r => r.Values).FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Period == target.Period.Code, ct);
        await using var transaction = await db.BeginRollupChangeAsync(target.Period.Code, ct);
        var counted = report?.CountsInRollup == true;
        var values = report?.CurrentValues() ?? new Dictionary<string, decimal>();
        var path = report is null ? [] : PathOf(report, target);
        if (report is not null)
        {
            report.Reopen(reason, by, now);
            if (counted)
            {
                db.AddOutboxMessage(new ReportReturned
                {
                    ReportId = report.Id, OrgUnitCode = code, ReportsToCode = report.ReportsToCode, Period = report.Period,
                    Reason = reason, ReturnedBy = by, OccurredAt = now,
                });
                if (path.Count > 0) db.AddOutboxMessage(new RollupChanged { Period = report.Period, OrgUnitCodes = [.. path], OccurredAt = now });
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Conflict412();
        }

        if (counted) await db.ApplyAsync(target.Period.Code, path, values, -1, ct);
        await transaction.CommitAsync(ct);
        if (report is not null) SetETag(http, report);
        return TypedResults.Ok(new ReopenResponse(code, target.Period.Code, closing.OrgUnitCode, now, by, reason,
            report is null ? "missing" : StatusName(report.Status)));
    }

    /// <summary>The cells a counted report is in: none for a consolidated report; otherwise the path its submission added to.</summary>
    static List<string> PathOf(Report report, PeriodUnit target) =>
        report.Consolidated ? [] : report.RollupPath.Count > 0 ? report.RollupPath : target.Path;

    /// <summary>
    /// The rule after closing: a report the closing froze as submitted or accepted can no longer be changed, submitted
    /// again or returned, until the level above reopens it. Reports that were missing, drafts or returned at closing
    /// stay open: they may still be saved and submitted, late.
    /// </summary>
    static async Task<ProblemHttpResult?> LockedAsync(ReportingDbContext db, PeriodUnit target, CancellationToken ct)
    {
        if (await db.LockOfAsync(target.Unit.Code, target.Period.Code, ct) is not { } lockOf) return null;
        var level = target.Ancestors.LastOrDefault(a => a.Code == lockOf.Closing.OrgUnitCode)?.Name ?? lockOf.Closing.OrgUnitCode;
        return Problem(409, $"Kỳ {target.Period.VietnameseName.ToLowerInvariant()} đã khóa sổ tại {level} lúc {VietnamTime(lockOf.Closing.ClosedAt)}: "
            + "báo cáo này đã được tổng hợp nên không thể sửa, nộp lại hoặc trả lại. Nếu cần điều chỉnh, cấp trên hãy mở lại kỳ báo cáo cho đơn vị (kèm lý do).");
    }

    /// <summary>The report a lifecycle step acts on: refused when there is none, or when the caller's If-Match is stale.</summary>
    static async Task<(Report Report, ProblemHttpResult? Refused)> ReportForStepAsync(ReportingDbContext db, PeriodUnit target,
        HttpContext http, CancellationToken ct)
    {
        var report = await db.Reports.Include(r => r.Values)
            .FirstOrDefaultAsync(r => r.OrgUnitCode == target.Unit.Code && r.Period == target.Period.Code, ct);
        if (report is null) return (null!, NoReport(target));
        if (IfMatch(http) is { } ifMatch && VersionMismatch(ifMatch, report) is { } conflict) return (report, conflict);
        return (report, null);
    }

    static ProblemHttpResult NoReport(PeriodUnit target) =>
        Problem(404, $"{target.Unit.Name} ({target.Unit.Code}) chưa có báo cáo {target.Period.VietnameseName.ToLowerInvariant()}.");

    static ProblemHttpResult Conflict412() =>
        Problem(412, "Báo cáo vừa được người khác thay đổi; hãy tải lại báo cáo rồi thực hiện lại.");

    static string? IfMatch(HttpContext http) => http.Request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value.Trim() : null;

    static ProblemHttpResult? VersionMismatch(string ifMatch, Report report)
    {
        if (ifMatch == "*") return null;
        var tag = ifMatch.StartsWith("W/", StringComparison.Ordinal) ? ifMatch[2..] : ifMatch;
        tag = tag.Trim('"');
        return int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version == report.Version
            ? null
            : Problem(412, $"Báo cáo đã được thay đổi (phiên bản hiện tại {report.Version}, lúc {VietnamTime(report.UpdatedAt)} bởi {report.UpdatedBy}); hãy tải lại trước khi lưu.");
    }

    static void SetETag(HttpContext http, Report report) => http.Response.Headers.ETag = $"\"{report.Version}\"";

    static ReportResponse ToResponse(Report report, PeriodUnit target, Catalogue catalogue, bool withHistory) => new(
        report.Id,
        new OrgUnitRef(target.Unit.Code, target.Unit.Name),
        report.Period,
        StatusName(report.Status),
        report.Version,
        report.CatalogueVersion,
        report.Values.Where(v => v.Value is not null).OrderBy(v => v.Indicator, StringComparer.Ordinal).ToDictionary(
            v => v.Indicator,
            v => catalogue.ByCode.TryGetValue(v.Indicator, out var i) && i.ValueType == Indicators.ValueType.Boolean
                ? (object?)(v.Value != 0) : v.Value),
        new Dictionary<string, string>(report.Narrative),
        report.CreatedBy, report.CreatedAt, report.UpdatedBy, report.UpdatedAt,
        report.SubmittedBy, report.SubmittedAt, report.DueAt, report.OnTime, report.ReportsToCode ?? target.Unit.ParentCode,
        report.DecidedBy, report.DecidedAt, report.ReturnReason,
        withHistory ? [.. report.Events.OrderBy(e => e.Id).Select(e => new ReportHistoryEntry(e.Action, e.Field, e.OldValue, e.NewValue, e.By, e.At))] : null);

    public static string StatusName(ReportStatus status) => status switch
    {
        ReportStatus.Draft => "draft",
        ReportStatus.Submitted => "submitted",
        ReportStatus.Returned => "returned",
        ReportStatus.Accepted => "accepted",
        _ => status.ToString().ToLowerInvariant(),
    };
}
