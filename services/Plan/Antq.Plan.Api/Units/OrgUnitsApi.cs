using System.Globalization;
using System.Security.Claims;
using Antq.Audit;
using Antq.Calendar;
using Antq.Plan.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Plan.Api.Units;

/// <summary>What the unit endpoints take from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record UnitServices(PlanDbContext Db, TimeProvider Clock, IOptions<DeadlineOptions> Deadlines, IOptions<DataWindowOptions> Window,
    IOptions<UnitFileLimits> Limits, ILoggerFactory Logs);

/// <summary>Units (đơn vị) with their effective dates: reads as of a date, imports, lineage through the 2025 reform.</summary>
public static class OrgUnitsApi
{
    public static RouteGroupBuilder MapOrgUnitsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/org-units").WithTags("Đơn vị").RequireAuthorization().Problems(401, 403);

        group.MapGet("/", SearchOrgUnits).WithName("searchOrgUnits")
            .WithSummary("Tìm đơn vị theo tên")
            .WithDescription("Tìm đơn vị theo tên, không phân biệt dấu (`search`, ít nhất 2 ký tự), có hiệu lực vào ngày `asOf` (mặc định hôm nay), trong phạm vi tài khoản được xem: đơn vị của mình, cấp dưới và cấp trên. Lọc theo loại (`kind`), tối đa `limit` kết quả (mặc định 50, tối đa 500).")
            .Problems(400);
        group.MapGet("/{code}", GetOrgUnit).WithName("getOrgUnit")
            .WithSummary("Một đơn vị và đường đi lên cấp trên")
            .WithDescription("Đơn vị mã `code` có hiệu lực vào ngày `asOf` (mặc định hôm nay), kèm các đơn vị cấp trên từ gốc xuống.")
            .Problems(400, 404);
        group.MapGet("/{code}/children", GetChildren).WithName("getOrgUnitChildren")
            .WithSummary("Các đơn vị trực thuộc")
            .WithDescription("Các đơn vị trực thuộc đơn vị `code` vào ngày `asOf` (mặc định hôm nay).")
            .Problems(400, 404);
        group.MapGet("/{code}/lineage", GetLineage).WithName("getOrgUnitLineage")
            .WithSummary("Lịch sử sáp nhập của đơn vị")
            .WithDescription("Đơn vị được hình thành từ những đơn vị nào trong đợt sắp xếp năm 2025 (toàn bộ hay một phần), và đã nhập vào đơn vị nào.")
            .Problems(400, 404);

        var admin = group.MapGroup("").RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin));
        admin.MapPost("/", CreateOrgUnit).WithName("createOrgUnit")
            .WithSummary("Thêm một đơn vị dưới cấp xã (quản trị)")
            .WithDescription("Thêm một đơn vị dưới cấp xã (khu dân cư, cơ quan, doanh nghiệp, trường học, đơn vị công an), hoặc phiên bản mới của đơn vị đó (chuyển sang đơn vị cấp trên khác), có hiệu lực từ `validFrom` (mặc định hôm nay). Hạn nộp của đơn vị và các đơn vị dưới nó được tính lại trong cùng giao dịch. 201 khi tạo mới, 200 khi đã có đúng như vậy.")
            .Problems(400).WithRequestExample(new CreateOrgUnitRequest("14758-TDP01", "Tổ dân phố 1", "ResidentialArea", "14758", "2026-01-01"));
        admin.MapPost("/import", ImportOrgUnits).DisableAntiforgery().WithName("importOrgUnits")
            .WithSummary("Nhập danh sách đơn vị (quản trị)")
            .WithDescription("Nhập danh sách đơn vị: JSON theo một trong hai định dạng dvhc (ba cấp hoặc hai cấp, nhận theo cấu trúc), hoặc CSV (`text/csv`) các đơn vị dưới cấp xã với các cột `code,name,kind,parentCode` — như Excel lưu \"CSV UTF-8\": có hoặc không có BOM, ngăn cách bằng `,` hoặc `;`, trường trong ngoặc kép được chứa dấu phẩy và xuống dòng. Hiệu lực từ `effectiveFrom` (mặc định 2020-01-01 cho danh sách ba cấp, 2025-07-01 cho danh sách hai cấp, hôm nay cho CSV). Tệp sai bị từ chối cả tệp, mỗi lỗi nêu dòng; tệp vượt giới hạn (UnitFiles:MaxBytes, MaxRows, MaxFieldLength) bị từ chối với 413.")
            .WithFileBody("Danh sách đơn vị: JSON dvhc, hoặc CSV code,name,kind,parentCode (text/csv hoặc text/plain, UTF-8).", "application/json", "text/csv")
            .Problems(400, 413);
        admin.MapPost("/merges/import", ImportMerges).DisableAntiforgery().WithName("importOrgUnitMerges")
            .WithSummary("Nhập tệp sáp nhập 2025 (quản trị)")
            .WithDescription("Đọc merges-2025.json và nối mỗi đơn vị mới (hiệu lực từ `effectiveFrom`, mặc định 2025-07-01) với các đơn vị cũ (hiệu lực ngày hôm trước) mà văn bản sáp nhập nêu tên. Nhập lại thay thế liên kết của cùng các đơn vị mới.")
            .WithFileBody("Tệp merges-2025.json.", "application/json")
            .Problems(400, 409, 413);
        return group;
    }

    /// <summary>A unit with its path up to the root: the account's unit, one below it or one of its ancestors (<see cref="PlanScope"/>).</summary>
    public static async Task<Results<Ok<OrgUnitResponse>, ProblemHttpResult>> GetOrgUnit(
        [AsParameters] UnitAsOf at, ClaimsPrincipal user, [AsParameters] UnitServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (code, asOf) = at;
        if (!TryDate(asOf, clock, "asOf", out var date, out var problem)) return problem;
        var unit = await FindAsync(db, code, date, ct);
        if (unit is null) return NotFound(code, date);
        if (!await PlanScope.MayReadUnitAsync(db, user, code, date, withAncestors: true, ct)) return PlanScope.UnitRefused(unit);
        var path = await PathAsync(db, unit, date, ct);
        return TypedResults.Ok(OrgUnitResponse.From(unit, path));
    }

    /// <summary>The units directly below a unit of the account's subtree.</summary>
    public static async Task<Results<Ok<ChildrenResponse>, ProblemHttpResult>> GetChildren(
        [AsParameters] UnitAsOf at, ClaimsPrincipal user, [AsParameters] UnitServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (code, asOf) = at;
        if (!TryDate(asOf, clock, "asOf", out var date, out var problem)) return problem;
        var unit = await FindAsync(db, code, date, ct);
        if (unit is null) return NotFound(code, date);
        if (!await PlanScope.MayReadUnitAsync(db, user, code, date, withAncestors: false, ct))
            return PlanScope.BelowRefused("các đơn vị trực thuộc", $"{unit.Name} ({unit.Code})");
        var children = await ValidAt(db.OrgUnits.AsNoTracking(), date)
            .Where(u => u.ParentCode == code)
            .OrderBy(u => u.Code)
            .ToListAsync(ct);
        return TypedResults.Ok(new ChildrenResponse(OrgUnitResponse.From(unit, null), date, [.. children.Select(c => OrgUnitResponse.From(c, null))]));
    }

    /// <summary>Units by name (without diacritics) among those the account may read at the date: its subtree and its ancestors.</summary>
    public static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> SearchOrgUnits(
        [AsParameters] UnitSearchQuery request, ClaimsPrincipal user, [AsParameters] UnitServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (search, asOf, kind, limit) = request;
        if (!TryDate(asOf, clock, "asOf", out var date, out var problem)) return problem;
        var text = VietnameseText.Normalize(search ?? "");
        if (text.Length < 2) return Problem(400, "Nhập ít nhất 2 ký tự để tìm đơn vị theo tên.", "search");
        OrgUnitKind? wanted = null;
        if (kind is { Length: > 0 })
        {
            if (!Enum.TryParse<OrgUnitKind>(kind, true, out var k)) return Problem(400, $"Loại đơn vị \"{kind}\" không hợp lệ.", "kind");
            wanted = k;
        }

        var take = Math.Clamp(limit ?? 50, 1, 500);
        var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        var query = PlanScope.Units(db, user, date, withAncestors: true).Where(u => EF.Functions.Like(u.NormalizedName, pattern));
        if (wanted is { } w) query = query.Where(u => u.Kind == w);
        var units = await query.OrderBy(u => u.Kind).ThenBy(u => u.NormalizedName.Length).ThenBy(u => u.Code).Take(take).ToListAsync(ct);
        return TypedResults.Ok(new SearchResponse(search!, date, [.. units.Select(u => OrgUnitResponse.From(u, null))]));
    }

    /// <summary>What a unit of the account's subtree was formed from in a merge, and what it went into.</summary>
    public static async Task<Results<Ok<LineageResponse>, ProblemHttpResult>> GetLineage(
        [AsParameters] UnitAsOf at, ClaimsPrincipal user, [AsParameters] UnitServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (code, asOf) = at;
        if (!TryDate(asOf, clock, "asOf", out var date, out var problem)) return problem;
        var unit = await FindAsync(db, code, date, ct);
        if (unit is null) return NotFound(code, date);
        if (!await PlanScope.MayReadUnitAsync(db, user, code, date, withAncestors: false, ct))
            return PlanScope.BelowRefused("lịch sử sáp nhập", $"{unit.Name} ({unit.Code})");

        var predecessors = await (from link in db.OrgUnitPredecessors
                                  join p in db.OrgUnits on link.PredecessorId equals p.Id
                                  where link.SuccessorId == unit.Id
                                  orderby p.Code
                                  select new { Unit = p, link.Partial }).AsNoTracking().ToListAsync(ct);
        var successors = await (from link in db.OrgUnitPredecessors
                                join s in db.OrgUnits on link.SuccessorId equals s.Id
                                where link.PredecessorId == unit.Id
                                orderby s.Code
                                select new { Unit = s, link.Partial }).AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(new LineageResponse(
            OrgUnitResponse.From(unit, null),
            [.. predecessors.Select(p => LineageEntry.From(p.Unit, p.Partial))],
            [.. successors.Select(s => LineageEntry.From(s.Unit, s.Partial))]));
    }

    /// <summary>
    /// Imports a unit list: JSON in either format of ../shared/data/dvhc (told apart by shape) or CSV (<c>text/csv</c>:
    /// code,name,kind,parentCode) for units below the commune. Without <c>effectiveFrom</c>: 2020-01-01 for the three-tier
    /// list, 2025-07-01 for the two-tier list, today for CSV.
    /// </summary>
    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportOrgUnits(
        HttpContext http, string? effectiveFrom, [AsParameters] UnitServices services, CancellationToken ct)
    {
        var (db, clock, deadlineOptions, window, limits, logs) = services;
        var request = http.Request;
        var started = TimeProvider.System.GetTimestamp();
        UnitFile file;
        try
        {
            var body = await ReadBodyAsync(request, limits.Value, ct);
            var isCsv = request.ContentType is { } type && (type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase));
            file = isCsv ? CsvUnitParser.Parse(body, limits.Value) : DvhcFileParser.Parse(StripByteOrderMark(body));
        }
        catch (UnitFileException ex)
        {
            return FileProblem(ex, "Tệp đơn vị không hợp lệ, không có đơn vị nào được nhập");
        }

        var today = VietnamTime.Today(clock);
        if (!TryDate(effectiveFrom, clock, "effectiveFrom", out var date, out var problem, UnitFile.DefaultEffectiveFrom(file.Format, today))) return problem;

        UnitImportResult result;
        try
        {
            result = await db.PerformAdministrativeActAsync(http, clock, c => OrgUnitChanges.ImportAsync(db, file, date, deadlineOptions.Value, window.Value, clock, c),
                r => ("org-units.imported", $"org-units/{date:yyyy-MM-dd}",
                    $"Nhập tệp đơn vị ({file.Format}) hiệu lực từ {VietnamTime.Date(date)}: {file.Units.Count} đơn vị trong tệp, {r.Plan.ToCreate.Count} tạo mới, {r.Plan.ToClose.Count} đóng, {r.Plan.Unchanged.Count} không đổi."),
                ct);
        }
        catch (UnitFileException ex)
        {
            return FileProblem(ex, "Tệp đơn vị không hợp lệ, không có đơn vị nào được nhập");
        }

        var (plan, deadlines) = result;
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        logs.CreateLogger("Antq.Plan.OrgUnits").LogInformation(
            "Imported {Format} unit file effective {EffectiveFrom}: {Created} created, {Closed} closed, {Unchanged} unchanged, {DeadlinesChanged} of {DeadlinesExamined} unit deadlines changed in {ElapsedMs} ms",
            file.Format, date, plan.ToCreate.Count, plan.ToClose.Count, plan.Unchanged.Count, deadlines.DeadlinesChanged, deadlines.UnitsExamined, (long)elapsed.TotalMilliseconds);
        return TypedResults.Ok(new ImportResponse(file.Format.ToString(), date, file.Units.Count, plan.ToCreate.Count, plan.ToClose.Count,
            plan.Unchanged.Count, plan.CountsByKind(), (long)elapsed.TotalMilliseconds));
    }

    /// <summary>
    /// Adds one unit below the commune (or a new version of one: under another parent, a move), valid from
    /// <c>validFrom</c> (default today); its deadlines, and those of the units below it, follow in the same transaction.
    /// </summary>
    public static async Task<Results<Created<OrgUnitResponse>, Ok<OrgUnitResponse>, ProblemHttpResult>> CreateOrgUnit(
        CreateOrgUnitRequest request, HttpContext http, [AsParameters] UnitServices services, CancellationToken ct)
    {
        var (db, clock, deadlineOptions, window, _, _) = services;
        UnitFile file;
        try
        {
            file = CsvUnitParser.Single(request.Code, request.Name, request.Kind, request.ParentCode);
        }
        catch (UnitFileException ex)
        {
            return FileProblem(ex, "Đơn vị không hợp lệ", prefix: "Dòng 1: ");
        }

        if (!TryDate(request.ValidFrom, clock, "validFrom", out var date, out var problem)) return problem;
        var entry = file.Units[0];
        UnitImportPlan plan;
        try
        {
            (plan, _) = await db.PerformAdministrativeActAsync(http, clock, c => OrgUnitChanges.ImportAsync(db, file, date, deadlineOptions.Value, window.Value, clock, c),
                r => ("org-unit.created", entry.Code, r.Plan.ToCreate.Count > 0
                    ? $"Thêm đơn vị {entry.Code} {entry.Name} ({entry.Kind}) thuộc đơn vị {entry.ParentCode}, hiệu lực từ {VietnamTime.Date(date)}."
                    : $"Đơn vị {entry.Code} đã có với cùng thông tin vào ngày {VietnamTime.Date(date)}; không có thay đổi."),
                ct);
        }
        catch (UnitFileException ex)
        {
            return FileProblem(ex, "Đơn vị không hợp lệ");
        }

        var unit = (await FindAsync(db, entry.Code, date, ct))!;
        var response = OrgUnitResponse.From(unit, await PathAsync(db, unit, date, ct));
        return plan.ToCreate.Count > 0
            ? TypedResults.Created($"/api/org-units/{Uri.EscapeDataString(unit.Code)}?asOf={date:yyyy-MM-dd}", response)
            : TypedResults.Ok(response);
    }

    /// <summary>
    /// Reads merges-2025.json and links each new unit (valid on <c>effectiveFrom</c>, default 2025-07-01) to the old units
    /// (valid the day before) that its text names. Importing again replaces the links of the same new units.
    /// </summary>
    public static async Task<Results<Ok<MergeImportResponse>, ProblemHttpResult>> ImportMerges(
        HttpContext http, string? effectiveFrom, [AsParameters] UnitServices services, CancellationToken ct)
    {
        var (db, clock, limits) = (services.Db, services.Clock, services.Limits);
        var request = http.Request;
        if (!TryDate(effectiveFrom, clock, "effectiveFrom", out var date, out var problem, UnitFile.ReformDate)) return problem;
        IReadOnlyList<MergeLine> lines;
        try
        {
            lines = MergeLine.ParseFile(StripByteOrderMark(await ReadBodyAsync(request, limits.Value, ct)));
        }
        catch (UnitFileException ex)
        {
            return FileProblem(ex, "Tệp sáp nhập không hợp lệ, không có liên kết nào được nhập");
        }

        var before = date.AddDays(-1);
        OrgUnitKind[] administrative = [OrgUnitKind.Province, OrgUnitKind.District, OrgUnitKind.Commune];
        var oldUnits = await ValidAt(db.OrgUnits.AsNoTracking(), before).Where(u => administrative.Contains(u.Kind)).ToListAsync(ct);
        var newUnits = await ValidAt(db.OrgUnits.AsNoTracking(), date).Where(u => administrative.Contains(u.Kind)).ToListAsync(ct);
        if (oldUnits.Count == 0 || newUnits.Count == 0)
        {
            return Problem(409, $"Cần nhập danh sách đơn vị trước và sau ngày {VietnamTime.Date(date)} trước khi nhập tệp sáp nhập.", "file");
        }

        var result = LineageResolver.Resolve(lines, oldUnits, newUnits);
        var newByCode = newUnits.ToDictionary(u => u.Code);
        var successors = lines.Where(l => newByCode.ContainsKey(l.Code!)).Select(l => newByCode[l.Code!].Id).Distinct().ToList();
        var unitById = oldUnits.Concat(newUnits).DistinctBy(u => u.Id).ToDictionary(u => u.Id);
        var messages = OrgUnitChanges.LineageMessages(result.Links, unitById, clock.GetUtcNow());
        await db.PerformAdministrativeActAsync(http, clock,
            async c => { await OrgUnitChanges.ReplaceLineageAsync(db, successors, result.Links, messages, clock, c); return result; },
            r => ("org-units.merges-imported", $"lineage/{date:yyyy-MM-dd}",
                $"Nhập tệp sáp nhập hiệu lực từ {VietnamTime.Date(date)}: {lines.Count} đơn vị mới, {r.Links.Count} liên kết ({r.Links.Count(l => l.Partial)} một phần), {r.Unresolved.Count} tên chưa xác định được."),
            ct);

        return TypedResults.Ok(new MergeImportResponse(
            date, lines.Count, result.Links.Count, result.Links.Count(l => l.Partial),
            result.WholeNamed, result.WholeResolved, Math.Round(result.WholeResolutionRate * 100, 2),
            result.PartialNamed, result.PartialResolved,
            [.. result.Unresolved], result.MissingSuccessors));
    }

    static IQueryable<OrgUnit> ValidAt(IQueryable<OrgUnit> units, DateOnly date) =>
        units.Where(u => u.ValidFrom <= date && (u.ValidTo == null || u.ValidTo > date));

    static Task<OrgUnit?> FindAsync(PlanDbContext db, string code, DateOnly date, CancellationToken ct) =>
        ValidAt(db.OrgUnits.AsNoTracking(), date).FirstOrDefaultAsync(u => u.Code == code, ct);

    /// <summary>From the root down to the unit's parent, as of the date.</summary>
    static async Task<IReadOnlyList<OrgUnitSummary>> PathAsync(PlanDbContext db, OrgUnit unit, DateOnly date, CancellationToken ct)
    {
        var path = new List<OrgUnitSummary>();
        var parentCode = unit.ParentCode;
        for (var depth = 0; parentCode is not null && depth < 12; depth++)
        {
            var parent = await FindAsync(db, parentCode, date, ct);
            if (parent is null) break;
            path.Insert(0, OrgUnitSummary.From(parent));
            parentCode = parent.ParentCode;
        }

        return path;
    }

    /// <summary>The body, read no further than <see cref="UnitFileLimits.MaxBytes"/>: a larger file is refused, not buffered.</summary>
    static async Task<byte[]> ReadBodyAsync(HttpRequest request, UnitFileLimits limits, CancellationToken ct)
    {
        if (request.ContentLength > limits.MaxBytes) throw UnitFileTooLargeException.Bytes(request.ContentLength.Value, limits.MaxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limits.MaxBytes) throw UnitFileTooLargeException.Bytes(buffer.Length, limits.MaxBytes);
        }

        return buffer.ToArray();
    }

    /// <summary>A UTF-8 byte order mark is not JSON.</summary>
    static byte[] StripByteOrderMark(byte[] bytes) => bytes is [0xEF, 0xBB, 0xBF, ..] ? bytes[3..] : bytes;

    static bool TryDate(string? text, TimeProvider clock, string name, out DateOnly date, out ProblemHttpResult problem, DateOnly? fallback = null)
    {
        problem = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            date = fallback ?? VietnamTime.Today(clock);
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)) return true;
        problem = Problem(400, $"Ngày \"{text}\" không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2025-07-01.", name);
        return false;
    }

    static ProblemHttpResult NotFound(string code, DateOnly date) =>
        Problem(404, $"Không có đơn vị mã {code} vào ngày {VietnamTime.Date(date)}.");

    /// <summary>A file refused: 413 when it is past a limit of <see cref="UnitFileLimits"/>, otherwise 400.</summary>
    static ProblemHttpResult FileProblem(UnitFileException ex, string headline, string prefix = "") =>
        Problem(ex is UnitFileTooLargeException ? 413 : 400,
            $"{headline}: {string.Join(" ", ex.Errors.Select(e => prefix.Length > 0 && e.StartsWith(prefix) ? e[prefix.Length..] : e))}",
            new Dictionary<string, string[]> { ["file"] = [.. ex.Errors] });
}
