using System.Security.Claims;
using Antq.Audit;
using Antq.Classification.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static Antq.ServiceDefaults.Problems;
using static Antq.Classification.Api.Units.ApiSupport;

namespace Antq.Classification.Api.ScoreSheets;

/// <summary>What publishing a score sheet or a standard takes from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record SheetServices(ClassificationDbContext Db, TimeProvider Clock);

/// <summary>A year and a kind of subject (<see cref="Units.SubjectKinds"/>), as the route names them.</summary>
public sealed record SheetKey([FromRoute(Name = "year")] int Year, [FromRoute(Name = "kind")] string Kind);

public sealed record ScoreRuleDto(string Indicator, string Method, string? Comparator, decimal Value);

public sealed record CriterionDto(string Code, string Name, decimal Max, ScoreRuleDto? Rule);

public sealed record CutoffsDto(decimal XuatSac, decimal Kha, decimal TrungBinh);

public sealed record ConditionDto(string Indicator, string Comparator, decimal Value);

public sealed record DisqualifierDto(string Code, string Name, string CapClass, ConditionDto? When);

/// <summary>An administrator publishes a year's sheet for a kind of unit.</summary>
public sealed record PublishScoreSheetRequest(List<CriterionDto>? Criteria, CutoffsDto? Cutoffs, List<DisqualifierDto>? Disqualifiers, string? ReviewDeadline, string? Note);

public sealed record ScoreSheetResponse(
    int Year, string SubjectKind, string SubjectKindName, Guid? Id, int Version, bool IsDefault, string? Note, bool Stored,
    IReadOnlyList<CriterionDto> Criteria, CutoffsDto Cutoffs, IReadOnlyList<DisqualifierDto> Disqualifiers, string? ReviewDeadline,
    string? PublishedBy, DateTimeOffset? PublishedAt);

public sealed record SafeCriterionDto(string Code, string Name, ConditionDto? When);

public sealed record PublishSafeStandardRequest(List<SafeCriterionDto>? Criteria, string? Note);

public sealed record SafeStandardResponse(
    int Year, string SubjectKind, string SubjectKindName, Guid? Id, int Version, bool IsDefault, string? Note, bool Stored,
    IReadOnlyList<SafeCriterionDto> Criteria, string? PublishedBy, DateTimeOffset? PublishedAt);

/// <summary>Score sheets (bảng chấm điểm) and safe-standard criteria: read by anyone signed in, published by an administrator.</summary>
public static class ScoreSheetsApi
{
    public static void MapScoreSheetsApi(this IEndpointRouteBuilder app)
    {
        // `kind`: the kind of unit classified (SubjectKinds); any other is a 400.
        var sheets = app.MapGroup("/api/classifications/score-sheets").WithTags("Bảng chấm điểm").RequireAuthorization().Problems(400, 401, 403);
        sheets.MapGet("/{year:int}/{kind}", GetScoreSheet).WithName("getScoreSheet")
            .WithSummary("Bảng chấm điểm phong trào của một năm")
            .WithDescription("Bảng chấm điểm năm `year` cho loại đơn vị `kind`: các mục, điểm tối đa và ngưỡng điểm của các loại. Bảng mặc định đi kèm hệ thống được ghi rõ là mặc định; 404 khi chưa có.")
            .Problems(404);
        sheets.MapPut("/{year:int}/{kind}", PublishScoreSheet).WithName("publishScoreSheet")
            .WithSummary("Ban hành bảng chấm điểm (quản trị)")
            .WithDescription("Ban hành bảng chấm điểm năm `year` cho loại đơn vị `kind`: các mục với điểm tối đa và ngưỡng điểm (`cutoffs`: xuatSac, kha, trungBinh).")
            .Problems(409);

        var safe = app.MapGroup("/api/classifications/safe-standards").WithTags("Tiêu chuẩn an toàn về ANTT").RequireAuthorization().Problems(400, 401, 403);
        safe.MapGet("/{year:int}/{kind}", GetSafeStandard).WithName("getSafeStandard")
            .WithSummary("Bộ tiêu chí \"An toàn về an ninh, trật tự\" của một năm")
            .WithDescription("Các tiêu chí xét công nhận đạt tiêu chuẩn năm `year` cho loại đơn vị `kind`; 404 khi chưa có.")
            .Problems(404);
        safe.MapPut("/{year:int}/{kind}", PublishSafeStandard).WithName("publishSafeStandard")
            .WithSummary("Ban hành bộ tiêu chí \"An toàn về an ninh, trật tự\" (quản trị)")
            .WithDescription("Ban hành bộ tiêu chí năm `year` cho loại đơn vị `kind`.")
            .Problems(409);
    }

    static ProblemHttpResult UnknownKind(string kind) =>
        Problem(400, $"Loại đơn vị \"{kind}\" không hợp lệ; dùng một trong: {string.Join(", ", SubjectKinds.All)}.", "kind");

    public static async Task<Results<Ok<ScoreSheetResponse>, ProblemHttpResult>> GetScoreSheet([AsParameters] SheetKey route, ClassificationDbContext db, CancellationToken ct)
    {
        var (year, kind) = route;
        if (CheckYear(year) is { } bad) return bad;
        if (SubjectKinds.Parse(kind) is not { } subject) return UnknownKind(kind);
        var sheet = await db.SheetInForceAsync(year, subject, ct);
        if (sheet is null)
            return Problem(404, $"Chưa có bảng chấm điểm năm {year} cho {SubjectKinds.Label(subject)}; quản trị viên cần ban hành bảng chấm điểm.");
        return TypedResults.Ok(ToResponse(sheet));
    }

    public static async Task<Results<Ok<ScoreSheetResponse>, ProblemHttpResult>> PublishScoreSheet(
        [AsParameters] SheetKey route, PublishScoreSheetRequest request, HttpContext http, [AsParameters] SheetServices services)
    {
        var (db, clock) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (year, kind) = route;
        if (CheckAdmin(user) is { } forbidden) return forbidden;
        if (CheckYear(year) is { } bad) return bad;
        if (SubjectKinds.Parse(kind) is not { } subject) return UnknownKind(kind);
        if (request.Cutoffs is null) return Problem(400, "Cần nhập ngưỡng điểm của các loại (xuatSac, kha, trungBinh).", "cutoffs");

        var sheet = new ScoreSheet
        {
            Year = year, SubjectKind = subject, IsDefault = false, Note = request.Note?.Trim(),
            ReviewDeadline = request.ReviewDeadline ?? Defaults.ReviewDeadline(subject),
            Criteria = [.. (request.Criteria ?? []).Select(c => new Criterion(c.Code?.Trim() ?? "", c.Name?.Trim() ?? "", c.Max,
                c.Rule is { } r ? new ScoreRule(r.Indicator?.Trim() ?? "", r.Method?.Trim() ?? "", r.Comparator ?? ">=", r.Value) : null))],
            Cutoffs = new ClassCutoffs(request.Cutoffs.XuatSac, request.Cutoffs.Kha, request.Cutoffs.TrungBinh),
            Disqualifiers = [.. (request.Disqualifiers ?? []).Select(d => new Disqualifier(d.Code?.Trim() ?? "", d.Name?.Trim() ?? "", d.CapClass ?? "",
                d.When is { } w ? new IndicatorCondition(w.Indicator, w.Comparator, w.Value) : null))],
        };
        var errors = ScoreSheetValidator.Validate(sheet);
        if (errors.Count > 0) return Invalid("Bảng chấm điểm chưa được ban hành vì có lỗi; không có thay đổi nào được ghi.", errors);

        var last = await db.ScoreSheets.Where(s => s.Year == year && s.SubjectKind == subject).MaxAsync(s => (int?)s.Version, ct) ?? 0;
        var version = new ScoreSheetVersion
        {
            Id = Guid.CreateVersion7(), Year = year, SubjectKind = subject, Version = last + 1, IsDefault = false, Sheet = sheet,
            PublishedBy = user.Who(), PublishedAt = clock.GetUtcNow(),
        };
        db.ScoreSheets.Add(version);
        db.AddAdministrativeAct(http, "score-sheet.published", $"score-sheet/{year}/{subject}",
            $"Ban hành bảng chấm điểm năm {year} cho {SubjectKinds.Label(subject)}, phiên bản {version.Version}: {sheet.Criteria.Count} tiêu chí.", clock);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problem(409, "Bảng chấm điểm này vừa được người khác ban hành; hãy tải lại rồi thử lại.");
        }

        return TypedResults.Ok(ToResponse(new SheetInForce(version, sheet)));
    }

    public static async Task<Results<Ok<SafeStandardResponse>, ProblemHttpResult>> GetSafeStandard([AsParameters] SheetKey route, ClassificationDbContext db, CancellationToken ct)
    {
        var (year, kind) = route;
        if (CheckYear(year) is { } bad) return bad;
        if (SubjectKinds.Parse(kind) is not { } subject) return UnknownKind(kind);
        var standard = await db.SafeInForceAsync(year, subject, ct);
        if (standard is null)
            return Problem(404, $"Chưa có bộ tiêu chí \"An toàn về an ninh, trật tự\" năm {year} cho {SubjectKinds.Label(subject)}; quản trị viên cần ban hành.");
        return TypedResults.Ok(ToResponse(standard));
    }

    public static async Task<Results<Ok<SafeStandardResponse>, ProblemHttpResult>> PublishSafeStandard(
        [AsParameters] SheetKey route, PublishSafeStandardRequest request, HttpContext http, [AsParameters] SheetServices services)
    {
        var (db, clock) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        var (year, kind) = route;
        if (CheckAdmin(user) is { } forbidden) return forbidden;
        if (CheckYear(year) is { } bad) return bad;
        if (SubjectKinds.Parse(kind) is not { } subject) return UnknownKind(kind);
        var standard = new SafeStandard
        {
            Year = year, SubjectKind = subject, IsDefault = false, Note = request.Note?.Trim(),
            Criteria = [.. (request.Criteria ?? []).Select(c => new SafeCriterion(c.Code?.Trim() ?? "", c.Name?.Trim() ?? "",
                c.When is { } w ? new IndicatorCondition(w.Indicator, w.Comparator, w.Value) : null))],
        };
        var errors = SafeAssessment.Validate(standard);
        if (errors.Count > 0) return Invalid("Bộ tiêu chí chưa được ban hành vì có lỗi; không có thay đổi nào được ghi.", errors);

        var last = await db.SafeStandards.Where(s => s.Year == year && s.SubjectKind == subject).MaxAsync(s => (int?)s.Version, ct) ?? 0;
        var version = new SafeStandardVersion
        {
            Id = Guid.CreateVersion7(), Year = year, SubjectKind = subject, Version = last + 1, IsDefault = false, Standard = standard,
            PublishedBy = user.Who(), PublishedAt = clock.GetUtcNow(),
        };
        db.SafeStandards.Add(version);
        db.AddAdministrativeAct(http, "safe-standard.published", $"safe-standard/{year}/{subject}",
            $"Ban hành bộ tiêu chí \"An toàn về an ninh, trật tự\" năm {year} cho {SubjectKinds.Label(subject)}, phiên bản {version.Version}: {standard.Criteria.Count} tiêu chí.", clock);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problem(409, "Bộ tiêu chí này vừa được người khác ban hành; hãy tải lại rồi thử lại.");
        }

        return TypedResults.Ok(ToResponse(new SafeInForce(version, standard)));
    }

    public static ScoreSheetResponse ToResponse(SheetInForce inForce)
    {
        var s = inForce.Sheet;
        return new ScoreSheetResponse(s.Year, s.SubjectKind, SubjectKinds.Label(s.SubjectKind), inForce.Stored?.Id, inForce.Version,
            s.IsDefault, s.Note, inForce.Stored is not null,
            [.. s.Criteria.Select(c => new CriterionDto(c.Code, c.Name, c.Max, c.Rule is { } r ? new ScoreRuleDto(r.Indicator, r.Method, r.Comparator, r.Value) : null))],
            new CutoffsDto(s.Cutoffs.XuatSac, s.Cutoffs.Kha, s.Cutoffs.TrungBinh),
            [.. s.Disqualifiers.Select(d => new DisqualifierDto(d.Code, d.Name, d.CapClass, d.When is { } w ? new ConditionDto(w.Indicator, w.Comparator, w.Value) : null))],
            s.ReviewDeadlineText(),
            inForce.Stored?.PublishedBy, inForce.Stored?.PublishedAt);
    }

    public static SafeStandardResponse ToResponse(SafeInForce inForce)
    {
        var s = inForce.Standard;
        return new SafeStandardResponse(s.Year, s.SubjectKind, SubjectKinds.Label(s.SubjectKind), inForce.Stored?.Id, inForce.Version,
            s.IsDefault, s.Note, inForce.Stored is not null,
            [.. s.Criteria.Select(c => new SafeCriterionDto(c.Code, c.Name, c.When is { } w ? new ConditionDto(w.Indicator, w.Comparator, w.Value) : null))],
            inForce.Stored?.PublishedBy, inForce.Stored?.PublishedAt);
    }
}
