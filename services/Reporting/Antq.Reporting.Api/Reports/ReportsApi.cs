using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Antq.Contracts.Reporting;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Antq.UnitTree;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using static Antq.ServiceDefaults.Problems;
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

/// <summary>
/// What the report endpoints take from the container, grouped [AsParameters] as eShop's CatalogServices: the handlers
/// keep to the route, the body, the request's context and this.
/// </summary>
public sealed record ReportServices(ReportingDbContext Db, ReportLifecycle Lifecycle, IOptions<DataWindowOptions> Window, TimeProvider Clock);

/// <summary>Reports (báo cáo): draft saves, submission, review and the full history.</summary>
public static class ReportsApi
{
    public const int MaxReasonLength = 2000;
    public const int MaxNarrativeLength = 100_000;

    const string IfMatchWhenExists = "Phiên bản của báo cáo (ETag của lần đọc gần nhất, ví dụ \"3\"): cần khi báo cáo đã có (428 nếu thiếu, 412 nếu đã bị người khác thay đổi); không gửi, hoặc \"*\", khi báo cáo chưa có.";
    const string IfMatchRequired = "Phiên bản của báo cáo (ETag của lần đọc gần nhất, ví dụ \"3\"): 428 nếu thiếu, 412 nếu đã bị người khác thay đổi.";

    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        // Every route names a unit and a period (2026-H1, 2026-Y …): a period it cannot be read as is a 400, a unit outside
        // the account's subtree a 403, a unit not valid in the period a 404.
        var group = app.MapGroup("/api/reports").WithTags("Báo cáo").RequireAuthorization().Problems(400, 401, 403, 404);
        group.MapGet("/{code}/{period}", GetReport).WithName("getReport")
            .WithSummary("Báo cáo của một đơn vị trong một kỳ")
            .WithDescription("Báo cáo kỳ `period` của đơn vị `code`: trạng thái, số liệu, phần lời, hạn nộp và lịch sử thay đổi. Tiêu đề ETag là phiên bản, gửi lại trong If-Match khi lưu, nộp, trả lại hay duyệt.");
        group.MapPut("/{code}/{period}", SaveReport).WithName("saveReport")
            .WithSummary("Lưu báo cáo (dự thảo)")
            .WithDescription("Lưu số liệu (`values`, theo mã chỉ tiêu của danh mục) và phần lời (`narrative`) của báo cáo đang soạn; tạo báo cáo nếu chưa có (201). Báo cáo đã có cần If-Match (428 nếu thiếu, 412 nếu đã bị người khác thay đổi). Cùng địa chỉ nhận biểu mẫu Excel đã điền (Content-Type xlsx). Số liệu sai được nêu theo từng chỉ tiêu trong `errors`.")
            .Problems(409, 412, 428).WithIfMatch(false, IfMatchWhenExists)
            .WithRequestExample(new SaveReportRequest(
                new Dictionary<string, JsonElement> { ["PROP_SESSIONS"] = JsonSerializer.SerializeToElement(12), ["TIPS_TOTAL"] = JsonSerializer.SerializeToElement(45), ["TIPS_VALUABLE"] = JsonSerializer.SerializeToElement(9) },
                new Dictionary<string, string?> { ["KET_QUA"] = "Tổ chức 12 buổi tuyên truyền; tiếp nhận 45 tin báo, 9 tin có giá trị." }));
        // The same route with the Excel form as the body: the endpoint is chosen by the request's content type.
        group.MapPut("/{code}/{period}", UploadReport).Accepts<Stream>(ReportTemplate.ContentType).DisableAntiforgery().WithName("uploadReportForm")
            .WithSummary("Lưu báo cáo từ biểu mẫu Excel")
            .WithDescription("Lưu báo cáo từ biểu mẫu Excel (tải tại template.xlsx) đã điền; ô sai được nêu tên, và khi có ô sai thì không lưu gì. Phiên bản ghi trong biểu mẫu thay cho If-Match.")
            .Problems(409, 412, 413, 428).WithIfMatch(false, "Phiên bản của báo cáo (ETag của lần đọc gần nhất); không gửi thì dùng phiên bản ghi trong biểu mẫu.");
        group.MapGet("/{code}/{period}/template.xlsx", GetTemplate).WithName("getReportTemplate")
            .WithSummary("Tải biểu mẫu Excel của báo cáo")
            .WithDescription("Biểu mẫu Excel của báo cáo kỳ `period` cho đơn vị `code`, theo danh mục chỉ tiêu của kỳ, điền sẵn số liệu đã lưu.")
            .Produces(StatusCodes.Status200OK, contentType: ReportTemplate.ContentType);
        group.MapPost("/{code}/{period}/reopen", ReopenReport).WithName("reopenReport")
            .WithSummary("Mở lại báo cáo đã khoá sổ")
            .WithDescription("Cấp trên mở lại báo cáo của một kỳ đã khoá sổ để đơn vị sửa, với lý do (`reason`); ghi vào lịch sử.")
            .Problems(409).WithRequestExample(new ReturnReportRequest("Số liệu tổ an ninh chưa khớp với báo cáo của phường."));
        group.MapPost("/{code}/{period}/submit", SubmitReport).WithName("submitReport")
            .WithSummary("Nộp báo cáo")
            .WithDescription("Nộp báo cáo lên cấp trên; có thể gửi kèm số liệu lần cuối (lưu và nộp trong cùng một giao dịch). Báo cáo đã có cần If-Match. Báo cáo thiếu số liệu bắt buộc hoặc sai quy tắc của danh mục bị từ chối, nêu từng chỉ tiêu.")
            .Problems(409, 412, 428).WithIfMatch(false, IfMatchWhenExists);
        group.MapPost("/{code}/{period}/return", ReturnReport).WithName("returnReport")
            .WithSummary("Trả lại báo cáo")
            .WithDescription("Cấp trên trả lại báo cáo đã nộp để đơn vị sửa, với lý do (`reason`, tối đa 2000 ký tự). Cần If-Match.")
            .Problems(409, 412, 428).WithIfMatch(true, IfMatchRequired).WithRequestExample(new ReturnReportRequest("Thiếu số liệu về mô hình tự quản ở khu dân cư."));
        group.MapPost("/{code}/{period}/accept", AcceptReport).WithName("acceptReport")
            .WithSummary("Duyệt báo cáo")
            .WithDescription("Cấp trên duyệt báo cáo đã nộp. Cần If-Match.")
            .Problems(409, 412, 428).WithIfMatch(true, IfMatchRequired);
        return group;
    }

    public static async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> GetReport(
        [AsParameters] UnitPeriod route, HttpContext http, [AsParameters] ReportServices services)
    {
        var (code, period) = route;
        var (db, _, window, _) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var report = await db.Reports.AsNoTracking().AsSplitQuery().Include(r => r.Values).Include(r => r.Changes.OrderBy(e => e.Id))
            .FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Period == target!.Period.Code, ct);
        if (report is null) return NoReport(target!);
        var catalogue = await db.VersionAsync(report.CatalogueVersion, ct);
        SetETag(http, report);
        return TypedResults.Ok(ToResponse(report, target!, catalogue, withHistory: true));
    }

    public static async Task<Results<Ok<ReportResponse>, Created<ReportResponse>, ProblemHttpResult>> SaveReport(
        [AsParameters] UnitPeriod route, SaveReportRequest request, HttpContext http, [AsParameters] ReportServices services)
    {
        var (code, period) = route;
        var (db, lifecycle, window, _) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckEnter(user, target!) is { } forbidden) return forbidden;

        return await SaveValuesAsync(target!, FormOf(target!, request), IfMatch(http), http, user, lifecycle, ct);
    }

    /// <summary>A JSON form, read against whichever catalogue is in force when the step reads the report.</summary>
    static ReportForm FormOf(PeriodUnit target, SaveReportRequest request) => new(catalogue =>
    {
        var (values, errors) = ReadForm(catalogue, target, request);
        return (values, request.Narrative ?? [], errors, null);
    });

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
        [AsParameters] UnitPeriod route, HttpContext http, [AsParameters] ReportServices services)
    {
        var (code, period) = route;
        var (db, lifecycle, window, _) = services;
        var (user, ct) = (http.User, http.RequestAborted);
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
        return await SaveValuesAsync(target!, new ReportForm(_ => (form.Values, form.Narrative, form.Errors, null)), ifMatch, http, user, lifecycle, ct);
    }

    /// <summary>The unit's report form as an Excel workbook: every indicator the period asks with its current value, and the narrative sections.</summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTemplate(
        [AsParameters] UnitPeriod route, ClaimsPrincipal user, [AsParameters] ReportServices services, CancellationToken ct)
    {
        var (code, period) = route;
        var (db, _, window, clock) = services;
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, target!) is { } forbidden) return forbidden;
        var report = await db.Reports.AsNoTracking().Include(r => r.Values).FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Period == target!.Period.Code, ct);
        var catalogue = await db.InForceAsync(ct);
        var bytes = ReportTemplate.Write(catalogue, target!, report, clock.GetUtcNow());
        return TypedResults.File(bytes, ReportTemplate.ContentType, $"bao-cao-{code}-{target!.Period.Code}.xlsx");
    }

    static async Task<Results<Ok<ReportResponse>, Created<ReportResponse>, ProblemHttpResult>> SaveValuesAsync(
        PeriodUnit target, ReportForm form, string? ifMatch, HttpContext http, ClaimsPrincipal user, ReportLifecycle lifecycle, CancellationToken ct)
    {
        var (report, created, catalogue) = await lifecycle.SaveAsync(new ReportStep(target, user.Who(), ifMatch), form, ct);
        SetETag(http, report);
        var response = ToResponse(report, target, catalogue, withHistory: false);
        return created
            ? TypedResults.Created($"/api/reports/{Uri.EscapeDataString(target.Unit.Code)}/{target.Period.Code}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>
    /// Submits the report. With a body (the same form as <c>PUT</c>), its values and narrative are saved and the report
    /// submitted in one step and one transaction — both or neither; the existing report needs If-Match, as for a save.
    /// Without one, the report as last saved is submitted.
    /// </summary>
    public static async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> SubmitReport(
        [AsParameters] UnitPeriod route, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] SaveReportRequest? request, HttpContext http, [AsParameters] ReportServices services)
    {
        var (code, period) = route;
        var (db, lifecycle, window, _) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckEnter(user, target!) is { } forbidden) return forbidden;
        var form = request is { Values.Count: > 0 } or { Narrative.Count: > 0 } ? FormOf(target!, request) : null;
        var (report, catalogue) = await lifecycle.SubmitAsync(new ReportStep(target!, user.Who(), IfMatch(http)), form, ct);
        SetETag(http, report);
        return TypedResults.Ok(ToResponse(report, target!, catalogue, withHistory: false));
    }

    public static async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> ReturnReport(
        [AsParameters] UnitPeriod route, ReturnReportRequest request, HttpContext http, [AsParameters] ReportServices services)
    {
        var (code, period) = route;
        var (db, lifecycle, window, _) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckReview(user, target!) is { } forbidden) return forbidden;
        var (reason, refused) = ReasonOf(request, "Hãy nêu lý do trả lại báo cáo.", "Lý do trả lại");
        if (refused is not null) return refused;

        var report = await lifecycle.ReturnAsync(new ReportStep(target!, user.Who(), IfMatch(http)), reason, ct);
        SetETag(http, report);
        return TypedResults.Ok(ToResponse(report, target!, await db.VersionAsync(report.CatalogueVersion, ct), withHistory: false));
    }

    public static async Task<Results<Ok<ReportResponse>, ProblemHttpResult>> AcceptReport(
        [AsParameters] UnitPeriod route, HttpContext http, [AsParameters] ReportServices services)
    {
        var (code, period) = route;
        var (db, lifecycle, window, _) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckReview(user, target!) is { } forbidden) return forbidden;
        var report = await lifecycle.AcceptAsync(new ReportStep(target!, user.Who(), IfMatch(http)), ct);
        SetETag(http, report);
        return TypedResults.Ok(ToResponse(report, target!, await db.VersionAsync(report.CatalogueVersion, ct), withHistory: false));
    }

    /// <summary>
    /// Reopening (mở lại) by the level above after the period closed at it: the unit's report, frozen by the closing as
    /// submitted or accepted, goes back to the unit to be corrected and resubmitted. Audited with its reason, on the
    /// report's history and on the closing.
    /// </summary>
    public static async Task<Results<Ok<ReopenResponse>, ProblemHttpResult>> ReopenReport(
        [AsParameters] UnitPeriod route, ReturnReportRequest request, HttpContext http, [AsParameters] ReportServices services)
    {
        var (code, period) = route;
        var (db, lifecycle, window, _) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (target, problem) = await ResolveAsync(db, code, period, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckReview(user, target!) is { } forbidden) return forbidden;
        var (reason, refused) = ReasonOf(request, "Hãy nêu lý do mở lại kỳ báo cáo cho đơn vị.", "Lý do mở lại");
        if (refused is not null) return refused;

        var (closing, report, at) = await lifecycle.ReopenAsync(new ReportStep(target!, user.Who(), null), reason, ct);
        if (report is not null) SetETag(http, report);
        return TypedResults.Ok(new ReopenResponse(code, target!.Period.Code, closing.OrgUnitCode, at, user.Who(), reason,
            report is null ? ReportStatusNames.None : StatusName(report.Status)));
    }

    static ProblemHttpResult NoReport(PeriodUnit target) =>
        Problem(404, $"{target.Unit.Name} ({target.Unit.Code}) chưa có báo cáo {target.Period.Title.ToLowerInvariant()}.");

    /// <summary>The reason of a return or a reopening: required, trimmed, at most <see cref="MaxReasonLength"/> characters.</summary>
    static (string Reason, ProblemHttpResult? Refused) ReasonOf(ReturnReportRequest request, string missing, string what)
    {
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) return ("", Problem(400, missing, "reason"));
        if (reason.Length > MaxReasonLength) return ("", Problem(400, $"{what} quá dài (tối đa {MaxReasonLength} ký tự).", "reason"));
        return (reason, null);
    }

    static string? IfMatch(HttpContext http) => http.Request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value.Trim() : null;

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
        withHistory ? [.. report.Changes.OrderBy(c => c.Id).SelectMany(c => c.Lines().Select(l => new ReportHistoryEntry(l.Action, l.Field, l.OldValue, l.NewValue, c.By, c.At)))] : null);

    public static string StatusName(ReportStatus status) => ReportStatusNames.Of(status);
}
