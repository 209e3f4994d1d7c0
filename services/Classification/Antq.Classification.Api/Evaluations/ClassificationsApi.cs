using System.Security.Claims;
using Antq.Calendar;
using Antq.Classification.Api.Data;
using Antq.Contracts.Classification;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using static Antq.ServiceDefaults.Problems;
using static Antq.Classification.Api.Units.ApiSupport;

namespace Antq.Classification.Api.Evaluations;

/// <summary>What the classification endpoints take from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record ClassificationServices(ClassificationDbContext Db, IOptions<DataWindowOptions> Window, IOptions<ClassificationOptions> Options, TimeProvider Clock);

/// <summary>A unit and a year, as the route names them.</summary>
public sealed record UnitYear([FromRoute(Name = "code")] string Code, [FromRoute(Name = "year")] int Year);

/// <summary>
/// Scores by criterion code; a JSON null clears one. <c>selfScores</c>: the unit's own (điểm tự chấm);
/// <c>approvedScores</c> and <c>disqualifiers</c>: the approving level's.
/// </summary>
public sealed record EvaluationRequest(Dictionary<string, decimal?>? SelfScores, Dictionary<string, decimal?>? ApprovedScores, Dictionary<string, bool?>? Disqualifiers);

public sealed record SheetRef(Guid? Id, int Version, bool IsDefault, string? Note, CutoffsDto Cutoffs, string? ReviewDeadline);

public sealed record CriterionResult(string Code, string Name, decimal Max, bool Computed, string? Rule, decimal? Self, decimal? Approved, decimal? ComputedScore);

public sealed record DisqualifierResult(string Code, string Name, string CapClass, string CapClassName, bool FromReport, bool? Applies);

public sealed record ReportRef(Guid ReportId, string AcceptedBy, DateTimeOffset AcceptedAt);

public sealed record ClassificationResponse(
    OrgUnitRef OrgUnit, int Year, string SubjectKind, string SubjectKindName, bool Stored, SheetRef Sheet,
    IReadOnlyList<CriterionResult> Criteria, IReadOnlyList<DisqualifierResult> Disqualifiers,
    decimal SelfTotal, bool SelfComplete, decimal ApprovedTotal, bool ApprovedComplete,
    string? Class, string? ClassName, string? ClassByScore, IReadOnlyList<string> Missing,
    string? SelfScoredBy, DateTimeOffset? SelfScoredAt, string? ApprovedBy, DateTimeOffset? ApprovedAt,
    string? DecidedBy, DateTimeOffset? DecidedAt, ReportRef? Report);

public sealed record ClassCount(string Class, string ClassName, int Count);

public sealed record SafeCounts(int Registered, int Recognised, int NotRecognised, decimal? PctSafe);

public sealed record SummaryChildResponse(string Code, string Name, string? SubjectKind, string? Class, string? ClassName, bool Registered, bool? Recognised);

public sealed record TargetResponse(Guid PlanId, string PlanNumber, string IssuerCode, int Index, string Scope, string Indicator, string Comparator,
    decimal Target, bool Judged, decimal? Achieved, bool? Attained, decimal? Gap, string Verdict);

public sealed record SummaryResponse(
    OrgUnitRef OrgUnit, int Year, string HierarchyDate, int Units, IReadOnlyList<ClassCount> Classes, int Classified, int Unclassified,
    decimal? PctKhaTroLen, SafeCounts Safe, IReadOnlyDictionary<string, decimal> Indicators, IReadOnlyList<TargetResponse> Targets,
    IReadOnlyList<SummaryChildResponse> Children);

public sealed record RecognitionRequest(Dictionary<string, bool?>? Criteria);

public sealed record SafeCriterionResult(string Code, string Name, bool FromReport, bool? Holds);

public sealed record SafeResultResponse(
    OrgUnitRef OrgUnit, int Year, string SubjectKind, Guid StandardId, int StandardVersion, bool StandardIsDefault, string? StandardNote,
    string RegisteredBy, DateTimeOffset RegisteredAt, string RegistrationDeadline,
    IReadOnlyList<SafeCriterionResult> Criteria, bool? Recognised, string Status, IReadOnlyList<string> Unmet, string? DecidedBy, DateTimeOffset? DecidedAt);

/// <summary>Classification of the movement (phân loại phong trào) and the safe standard, per unit and year.</summary>
public static class ClassificationsApi
{
    public static void MapClassificationsApi(this IEndpointRouteBuilder app)
    {
        // Every route names a unit: one outside the account's subtree is a 403, one unknown in the year a 404, one that is
        // not classified (not a commune or a unit below it) a 400.
        var group = app.MapGroup("/api/classifications").WithTags("Phân loại phong trào").RequireAuthorization().Problems(400, 401, 403, 404);
        group.MapGet("/{code}/{year:int}", GetClassification).WithName("getClassification")
            .WithSummary("Kết quả phân loại phong trào của một đơn vị")
            .WithDescription("Điểm tự chấm, điểm cấp trên chấm, điều kiện hạ loại và loại phong trào (Xuất sắc, Khá, Trung bình, Yếu) của đơn vị `code` năm `year`, theo bảng chấm điểm của năm; kèm mức đạt chỉ tiêu của kế hoạch.");
        group.MapPut("/{code}/{year:int}/evaluation", PutEvaluation).WithName("putEvaluation")
            .WithSummary("Chấm điểm phong trào")
            .WithDescription("Đơn vị nhập điểm tự chấm (`selfScores`); cấp trên trực tiếp nhập điểm duyệt (`approvedScores`) và điều kiện hạ loại (`disqualifiers`). Điểm mỗi mục không vượt điểm tối đa của bảng chấm điểm. 409 khi chưa có bảng chấm điểm của năm hoặc điểm vừa bị người khác thay đổi.")
            .Problems(409);
        group.MapGet("/{code}/{year:int}/summary", GetSummary).WithName("getClassificationSummary")
            .WithSummary("Tổng hợp phân loại các đơn vị trực thuộc")
            .WithDescription("Số đơn vị trực thuộc `code` theo từng loại phong trào năm `year`, và danh sách từng đơn vị với loại của nó.");
        group.MapGet("/{code}/{year:int}/safe", GetSafe).WithName("getSafeResult")
            .WithSummary("Kết quả xét tiêu chuẩn \"An toàn về an ninh, trật tự\"")
            .WithDescription("Đăng ký, các tiêu chí đạt và chưa đạt, và quyết định công nhận của đơn vị `code` năm `year`; 404 khi đơn vị chưa đăng ký.");
        group.MapPost("/{code}/{year:int}/safe/registration", RegisterSafe).WithName("registerSafe")
            .WithSummary("Đăng ký xây dựng đạt tiêu chuẩn \"An toàn về an ninh, trật tự\"")
            .WithDescription("Đơn vị (hoặc cấp trên trực tiếp) đăng ký xây dựng đạt tiêu chuẩn trong năm `year`; hạn đăng ký là hết quý I (409 sau hạn, hoặc khi chưa có bộ tiêu chí của năm).")
            .Problems(409);
        group.MapPost("/{code}/{year:int}/safe/recognition", DecideSafe).WithName("decideSafe")
            .WithSummary("Xét công nhận đạt tiêu chuẩn \"An toàn về an ninh, trật tự\"")
            .WithDescription("Cấp trên trực tiếp xét công nhận đơn vị đã đăng ký, theo các tiêu chí của năm và báo cáo tổng kết năm của đơn vị (409 khi chưa đăng ký hoặc chưa có báo cáo tổng kết được tiếp nhận).")
            .Problems(409);
    }

    static async Task<(YearUnit? Unit, ProblemHttpResult? Problem)> ResolveAsync(ClassificationDbContext db, string code, int year, DataWindowOptions window, CancellationToken ct)
    {
        if (CheckYear(year) is { } bad) return (null, bad);
        var unit = await db.ResolveAsync(code, year, window, ct);
        return unit is null ? (null, UnknownUnit(code, year, ClassificationWork.HierarchyDate(year, window))) : (unit, null);
    }

    static ProblemHttpResult NotClassified(YearUnit unit) =>
        Problem(400, $"{unit.Unit.Name} ({unit.Unit.Code}) không thuộc đối tượng phân loại phong trào và xét tiêu chuẩn \"An toàn về an ninh, trật tự\".");

    public static async Task<Results<Ok<ClassificationResponse>, ProblemHttpResult>> GetClassification(
        [AsParameters] UnitYear route, ClaimsPrincipal user, [AsParameters] ClassificationServices services, CancellationToken ct)
    {
        var (db, window) = (services.Db, services.Window);
        var (code, year) = route;
        var (unit, problem) = await ResolveAsync(db, code, year, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, unit!) is { } forbidden) return forbidden;
        if (unit!.SubjectKind is not { } kind) return NotClassified(unit);

        var evaluation = await db.Evaluations.AsNoTracking().FirstOrDefaultAsync(e => e.OrgUnitCode == code && e.Year == year, ct);
        var sheet = evaluation is null ? await db.SheetInForceAsync(year, kind, ct) : await PinnedSheetAsync(db, evaluation, ct);
        if (sheet is null) return NoSheet(year, kind);
        var report = await db.AnnualReports.AsNoTracking().FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Year == year, ct);
        return TypedResults.Ok(ToResponse(unit, sheet, evaluation, report));
    }

    static async Task<SheetInForce> PinnedSheetAsync(ClassificationDbContext db, Evaluation evaluation, CancellationToken ct)
    {
        var stored = await db.ScoreSheets.AsNoTracking().FirstAsync(s => s.Id == evaluation.ScoreSheetId, ct);
        return new SheetInForce(stored, stored.Sheet);
    }

    static ProblemHttpResult NoSheet(int year, string kind) =>
        Problem(409, $"Chưa có bảng chấm điểm năm {year} cho {SubjectKinds.Label(kind)}; quản trị viên cần ban hành bảng chấm điểm trước khi chấm.");

    public static async Task<Results<Ok<ClassificationResponse>, ProblemHttpResult>> PutEvaluation(
        [AsParameters] UnitYear route, EvaluationRequest request, HttpContext http, [AsParameters] ClassificationServices services)
    {
        var (db, window, clock) = (services.Db, services.Window, services.Clock);
        var (user, ct) = (http.User, http.RequestAborted);
        var (code, year) = route;
        var (unit, problem) = await ResolveAsync(db, code, year, window.Value, ct);
        if (problem is not null) return problem;
        // A unit outside the account's subtree is refused before anything else is said about it.
        if (CheckRead(user, unit!) is { } outside) return outside;
        if (unit!.SubjectKind is not { } kind) return NotClassified(unit);

        var self = request.SelfScores ?? [];
        var approved = request.ApprovedScores ?? [];
        var marks = request.Disqualifiers ?? [];
        if (self.Count + approved.Count + marks.Count == 0)
            return Problem(400, "Cần gửi điểm tự chấm (selfScores), điểm của cấp trên (approvedScores) hoặc điều kiện hạ loại (disqualifiers).");
        if (self.Count > 0 && !MayActFor(user, unit))
            return Problem(403, $"Chỉ cán bộ của {unit.Unit.Name} ({unit.Unit.Code}) mới được nhập điểm tự chấm của đơn vị.");
        if (approved.Count + marks.Count > 0 && !MayApprove(user, unit))
            return Problem(403, user.OrgUnitCode() == unit.Unit.Code
                ? $"Đơn vị không được tự duyệt điểm của mình: điểm duyệt của {unit.Unit.Name} ({unit.Unit.Code}) do cấp trên trực tiếp chấm."
                : $"Chỉ cấp trên trực tiếp của {unit.Unit.Name} ({unit.Unit.Code}) mới được chấm điểm duyệt.");

        var evaluation = await db.Evaluations.FirstOrDefaultAsync(e => e.OrgUnitCode == code && e.Year == year, ct);
        var inForce = evaluation is null ? await db.SheetInForceAsync(year, kind, ct) : await PinnedSheetAsync(db, evaluation, ct);
        if (inForce is null) return NoSheet(year, kind);
        var sheet = inForce.Sheet;

        var errors = new Dictionary<string, List<string>>();
        Scoring.CheckScores(sheet, self, "Điểm tự chấm", errors);
        Scoring.CheckScores(sheet, approved, "Điểm của cấp trên", errors);
        foreach (var (dq, _) in marks)
        {
            var d = sheet.Disqualifiers.FirstOrDefault(x => x.Code == dq);
            if (d is null) errors[dq] = [$"Bảng chấm điểm năm {year} không có điều kiện hạ loại {dq}."];
            else if (d.When is not null) errors[dq] = [$"Điều kiện {dq} \"{d.Name}\" được xét tự động từ báo cáo tổng kết năm."];
        }

        if (errors.Count > 0) return Invalid("Điểm chưa được lưu vì có điểm không hợp lệ; không có thay đổi nào được ghi.", errors);

        var now = clock.GetUtcNow();
        var by = user.Who();
        if (evaluation is null)
        {
            inForce = await db.EnsureStoredAsync(inForce, now, ct);
            var stored = inForce.Stored!;
            evaluation = new Evaluation
            {
                Id = Guid.CreateVersion7(), OrgUnitCode = code, Year = year, SubjectKind = kind, ParentCode = unit.Unit.ParentCode,
                ScoreSheetId = stored.Id, ScoreSheetVersion = stored.Version,
            };
            db.Evaluations.Add(evaluation);
        }

        if (self.Count > 0)
        {
            evaluation.SelfScores = Apply(evaluation.SelfScores, self);
            evaluation.SelfScoredBy = by;
            evaluation.SelfScoredAt = now;
        }

        if (approved.Count + marks.Count > 0)
        {
            evaluation.ApprovedScores = Apply(evaluation.ApprovedScores, approved);
            var newMarks = new Dictionary<string, bool>(evaluation.DisqualifierMarks);
            foreach (var (dq, mark) in marks)
                if (mark is { } m) newMarks[dq] = m; else newMarks.Remove(dq);
            evaluation.DisqualifierMarks = newMarks;
            evaluation.ApprovedBy = by;
            evaluation.ApprovedAt = now;
        }

        var values = await db.ReportValuesAsync(code, year, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = db.Rescore(evaluation, sheet, inForce.Stored!.IsDefault, values, by, now);
        try
        {
            await db.SaveChangesAsync(ct);
            if (changed && unit.Unit.ParentCode is { } parent) await db.RefreshAsync(parent, year, unit.HierarchyDate, now, ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problem(409, "Điểm của đơn vị vừa được người khác thay đổi; hãy tải lại rồi chấm lại.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problem(409, "Điểm của đơn vị vừa được người khác tạo; hãy tải lại rồi chấm lại.");
        }

        var report = await db.AnnualReports.AsNoTracking().FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Year == year, ct);
        return TypedResults.Ok(ToResponse(unit, inForce, evaluation, report));
    }

    static Dictionary<string, decimal> Apply(Dictionary<string, decimal> current, Dictionary<string, decimal?> changes)
    {
        var result = new Dictionary<string, decimal>(current);
        foreach (var (code, value) in changes)
            if (value is { } v) result[code] = v; else result.Remove(code);
        return result;
    }

    static ClassificationResponse ToResponse(YearUnit unit, SheetInForce inForce, Evaluation? evaluation, AnnualReportValues? report)
    {
        var sheet = inForce.Sheet;
        var scored = Scoring.Score(sheet, evaluation?.SelfScores ?? [], evaluation?.ApprovedScores ?? [], evaluation?.DisqualifierMarks ?? [], report?.Values ?? []);
        return new ClassificationResponse(
            new OrgUnitRef(unit.Unit.Code, unit.Unit.Name), unit.Year, sheet.SubjectKind, SubjectKinds.Label(sheet.SubjectKind), evaluation is not null,
            new SheetRef(inForce.Stored?.Id, inForce.Version, sheet.IsDefault, sheet.Note,
                new CutoffsDto(sheet.Cutoffs.XuatSac, sheet.Cutoffs.Kha, sheet.Cutoffs.TrungBinh),
                sheet.ReviewDeadlineText()),
            [.. scored.Criteria.Select(c => new CriterionResult(c.Criterion.Code, c.Criterion.Name, c.Criterion.Max, c.Criterion.IsComputed,
                c.Criterion.Rule?.Describe(), c.Self, c.Approved, c.Computed))],
            [.. scored.Disqualifiers.Select(d => new DisqualifierResult(d.Disqualifier.Code, d.Disqualifier.Name, d.Disqualifier.CapClass,
                MovementClass.Label(d.Disqualifier.CapClass), d.Disqualifier.When is not null, d.Applies))],
            scored.SelfTotal, scored.SelfComplete, scored.ApprovedTotal, scored.ApprovedComplete,
            scored.Class, scored.Class is null ? null : MovementClass.Label(scored.Class), scored.ClassByScore, scored.Missing,
            evaluation?.SelfScoredBy, evaluation?.SelfScoredAt, evaluation?.ApprovedBy, evaluation?.ApprovedAt,
            evaluation?.ClassDecidedBy, evaluation?.ClassDecidedAt,
            report is null ? null : new ReportRef(report.ReportId, report.AcceptedBy, report.AcceptedAt));
    }

    public static async Task<Results<Ok<SummaryResponse>, ProblemHttpResult>> GetSummary(
        [AsParameters] UnitYear route, ClaimsPrincipal user, [AsParameters] ClassificationServices services, CancellationToken ct)
    {
        var (db, window) = (services.Db, services.Window);
        var (code, year) = route;
        var (unit, problem) = await ResolveAsync(db, code, year, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, unit!) is { } forbidden) return forbidden;

        var (summary, children) = await db.SummarizeAsync(code, year, unit!.HierarchyDate, ct);
        var targets = await db.TargetsForAsync(code, unit.Unit.ParentCode, year, ct);
        return TypedResults.Ok(new SummaryResponse(
            new OrgUnitRef(unit.Unit.Code, unit.Unit.Name), year, VietnamTime.Date(unit.HierarchyDate),
            summary.Units, [.. MovementClass.Ordered.Select(c => new ClassCount(c, MovementClass.Label(c), summary.Classes[c]))],
            summary.Classified, summary.Unclassified, Round(summary.PctKhaTroLen),
            new SafeCounts(summary.Registered, summary.Recognised, summary.NotRecognised, Round(summary.PctSafe)),
            summary.Indicators.ToDictionary(i => i.Key, i => Round(i.Value)!.Value),
            [.. targets.Select(t => ToTarget(t, summary))],
            [.. children.Select(c => new SummaryChildResponse(c.Code, c.Name, c.SubjectKind, c.Class, c.Class is null ? null : MovementClass.Label(c.Class), c.Registered, c.Recognised))]));
    }

    static decimal? Round(decimal? value) => value is { } v ? Math.Round(v, 4, MidpointRounding.AwayFromZero) : null;

    static TargetResponse ToTarget(PlanTarget t, Summary summary)
    {
        var judged = TargetVerdict.Judges(t.Indicator);
        var verdict = judged ? TargetVerdict.Judge(t.Comparator, t.Value, summary.Indicators.TryGetValue(t.Indicator, out var a) ? a : null) : new TargetVerdict(null, null, null);
        var text = !judged ? "Chỉ tiêu này được theo dõi qua báo cáo tổng hợp, không thuộc phân loại phong trào."
            : verdict.Attained is null ? "Chưa có số liệu để đánh giá."
            : verdict.Attained.Value ? "Đạt chỉ tiêu."
            : $"Chưa đạt chỉ tiêu (chênh lệch {Scoring.Format(verdict.Gap!.Value)}).";
        return new TargetResponse(t.PlanId, t.PlanNumber, t.IssuerCode, t.Index, t.Scope, t.Indicator, t.Comparator, t.Value, judged,
            verdict.Achieved, verdict.Attained, verdict.Gap, text);
    }

    public static async Task<Results<Ok<SafeResultResponse>, ProblemHttpResult>> GetSafe(
        [AsParameters] UnitYear route, ClaimsPrincipal user, [AsParameters] ClassificationServices services, CancellationToken ct)
    {
        var (db, window, options, _) = services;
        var (code, year) = route;
        var (unit, problem) = await ResolveAsync(db, code, year, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, unit!) is { } forbidden) return forbidden;
        var result = await db.SafeResults.AsNoTracking().FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Year == year, ct);
        if (result is null)
            return Problem(404, $"{unit!.Unit.Name} ({code}) chưa đăng ký xây dựng đạt tiêu chuẩn \"An toàn về an ninh, trật tự\" năm {year}.");
        var standard = await db.SafeStandards.AsNoTracking().FirstAsync(s => s.Id == result.SafeStandardId, ct);
        var values = await db.ReportValuesAsync(code, year, ct);
        return TypedResults.Ok(ToResponse(unit!, standard, result, values, options.Value));
    }

    public static async Task<Results<Ok<SafeResultResponse>, Created<SafeResultResponse>, ProblemHttpResult>> RegisterSafe(
        [AsParameters] UnitYear route, ClaimsPrincipal user, [AsParameters] ClassificationServices services, CancellationToken ct)
    {
        var (db, window, options, clock) = services;
        var (code, year) = route;
        var (unit, problem) = await ResolveAsync(db, code, year, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, unit!) is { } outside) return outside;
        if (unit!.SubjectKind is not { } kind) return NotClassified(unit);
        if (!MayActFor(user, unit) && !MayApprove(user, unit))
            return Problem(403, $"Chỉ cán bộ của {unit.Unit.Name} ({code}) hoặc cấp trên trực tiếp mới được đăng ký cho đơn vị.");

        var existing = await db.SafeResults.AsNoTracking().FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Year == year, ct);
        if (existing is not null)
        {
            var standardOfExisting = await db.SafeStandards.AsNoTracking().FirstAsync(s => s.Id == existing.SafeStandardId, ct);
            return TypedResults.Ok(ToResponse(unit, standardOfExisting, existing, await db.ReportValuesAsync(code, year, ct), options.Value));
        }

        var now = clock.GetUtcNow();
        var lastDay = options.Value.RegistrationLastDay(year);
        if (!SafeRegistration.IsOpen(now, lastDay))
            return Problem(409, $"Đã hết hạn đăng ký xây dựng đạt tiêu chuẩn \"An toàn về an ninh, trật tự\" năm {year}: hạn đăng ký là hết ngày {VietnamTime.Date(lastDay)} (quý I). Đơn vị không đăng ký được cho năm này.");

        var inForce = await db.SafeInForceAsync(year, kind, ct);
        if (inForce is null)
            return Problem(409, $"Chưa có bộ tiêu chí \"An toàn về an ninh, trật tự\" năm {year} cho {SubjectKinds.Label(kind)}; quản trị viên cần ban hành trước khi đăng ký.");
        var stored = (await db.EnsureStoredAsync(inForce, now, ct)).Stored!;
        var result = new SafeStandardResult
        {
            Id = Guid.CreateVersion7(), OrgUnitCode = code, Year = year, SubjectKind = kind, ParentCode = unit.Unit.ParentCode,
            SafeStandardId = stored.Id, SafeStandardVersion = stored.Version, RegisteredBy = user.Who(), RegisteredAt = now,
        };
        db.SafeResults.Add(result);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problem(409, "Đơn vị vừa được đăng ký bởi người khác; hãy tải lại.");
        }

        return TypedResults.Created($"/api/classifications/{Uri.EscapeDataString(code)}/{year}/safe",
            ToResponse(unit, stored, result, await db.ReportValuesAsync(code, year, ct), options.Value));
    }

    public static async Task<Results<Ok<SafeResultResponse>, ProblemHttpResult>> DecideSafe(
        [AsParameters] UnitYear route, RecognitionRequest request, HttpContext http, [AsParameters] ClassificationServices services)
    {
        var (db, window, options, clock) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (code, year) = route;
        var (unit, problem) = await ResolveAsync(db, code, year, window.Value, ct);
        if (problem is not null) return problem;
        if (CheckRead(user, unit!) is { } outside) return outside;
        if (unit!.SubjectKind is null) return NotClassified(unit);
        if (!MayApprove(user, unit))
            return Problem(403, user.OrgUnitCode() == code
                ? $"Đơn vị không được tự công nhận mình: việc công nhận {unit.Unit.Name} ({code}) do cấp trên trực tiếp quyết định."
                : $"Chỉ cấp trên trực tiếp của {unit.Unit.Name} ({code}) mới được công nhận đạt tiêu chuẩn \"An toàn về an ninh, trật tự\".");

        var result = await db.SafeResults.FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Year == year, ct);
        if (result is null)
            return Problem(409, $"{unit.Unit.Name} ({code}) chưa đăng ký xây dựng đạt tiêu chuẩn \"An toàn về an ninh, trật tự\" năm {year} nên không xét công nhận.");
        var stored = await db.SafeStandards.AsNoTracking().FirstAsync(s => s.Id == result.SafeStandardId, ct);
        var standard = stored.Standard;

        var marks = new Dictionary<string, bool>();
        var errors = new Dictionary<string, List<string>>();
        foreach (var (criterion, mark) in request.Criteria ?? [])
        {
            var c = standard.Criteria.FirstOrDefault(x => x.Code == criterion);
            if (c is null) errors[criterion] = [$"Bộ tiêu chí năm {year} không có tiêu chí {criterion}."];
            else if (c.When is not null) errors[criterion] = [$"Tiêu chí {criterion} \"{c.Name}\" được xét tự động từ báo cáo tổng kết năm."];
            else if (mark is null) errors[criterion] = [$"Cần đánh giá tiêu chí {criterion} \"{c.Name}\" là đạt (true) hoặc không đạt (false)."];
            else marks[criterion] = mark.Value;
        }

        foreach (var c in standard.Criteria.Where(c => c.When is null && !marks.ContainsKey(c.Code) && !errors.ContainsKey(c.Code)))
            errors[c.Code] = [$"Cần đánh giá tiêu chí {c.Code} \"{c.Name}\" là đạt (true) hoặc không đạt (false)."];
        if (errors.Count > 0) return Invalid("Chưa ghi quyết định công nhận vì còn tiêu chí chưa được đánh giá đúng; không có thay đổi nào được ghi.", errors);

        var values = await db.ReportValuesAsync(code, year, ct);
        var assessment = SafeAssessment.Assess(standard, marks, values);
        var unknown = assessment.Criteria.Where(c => c.Holds is null).ToList();
        if (unknown.Count > 0)
            return Problem(409, $"Chưa xét được: {string.Join(" ", assessment.Unmet.Where(u => u.StartsWith("Chưa có", StringComparison.Ordinal)))} Cần báo cáo tổng kết năm {year} của đơn vị đã được tiếp nhận.");

        var now = clock.GetUtcNow();
        result.Marks = marks;
        result.Recognised = assessment.Recognised;
        result.DecidedBy = user.Who();
        result.DecidedAt = now;
        db.AddOutboxMessage(new UnitRecognised
        {
            OrgUnitCode = code, ParentCode = unit.Unit.ParentCode, Year = year, SubjectKind = result.SubjectKind,
            Recognised = assessment.Recognised, Unmet = assessment.Unmet, DecidedBy = result.DecidedBy, OccurredAt = now,
        });
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
            if (unit.Unit.ParentCode is { } parent) await db.RefreshAsync(parent, year, unit.HierarchyDate, now, ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problem(409, "Kết quả của đơn vị vừa được người khác thay đổi; hãy tải lại rồi thử lại.");
        }

        return TypedResults.Ok(ToResponse(unit, stored, result, values, options.Value));
    }

    static SafeResultResponse ToResponse(YearUnit unit, SafeStandardVersion stored, SafeStandardResult result, IReadOnlyDictionary<string, decimal> values, ClassificationOptions options)
    {
        var assessment = SafeAssessment.Assess(stored.Standard, result.Marks, values);
        var status = result.Recognised switch
        {
            true => "Được công nhận đạt tiêu chuẩn \"An toàn về an ninh, trật tự\"",
            false => "Không đạt tiêu chuẩn \"An toàn về an ninh, trật tự\"",
            null => "Đã đăng ký, chưa xét công nhận",
        };
        return new SafeResultResponse(new OrgUnitRef(unit.Unit.Code, unit.Unit.Name), result.Year, result.SubjectKind, stored.Id, stored.Version,
            stored.IsDefault, stored.Standard.Note, result.RegisteredBy, result.RegisteredAt,
            $"hết ngày {VietnamTime.Date(options.RegistrationLastDay(result.Year))}",
            [.. assessment.Criteria.Select(c => new SafeCriterionResult(c.Criterion.Code, c.Criterion.Name, c.Criterion.When is not null,
                c.Criterion.When is null && result.Recognised is null ? null : c.Holds))],
            result.Recognised, status, result.Recognised is null ? [] : assessment.Unmet, result.DecidedBy, result.DecidedAt);
    }
}
