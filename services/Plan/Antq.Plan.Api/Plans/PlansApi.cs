using System.Globalization;
using System.Security.Claims;
using Antq.Calendar;
using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Plan.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Plan.Api.Plans;

/// <summary>What the plan endpoints take from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record PlanServices(PlanDbContext Db, TimeProvider Clock, IOptions<DeadlineOptions> Deadlines, IOptions<DataWindowOptions> Window, ILoggerFactory Logs);

/// <summary>
/// Plans (Kế hoạch): drafts, issuing, new versions that supersede issued ones, and the cascade of implementing plans.
/// Issuing a plan recomputes the deadlines below its issuer and publishes them in the same transaction.
/// </summary>
public static class PlansApi
{
    public static RouteGroupBuilder MapPlansApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/plans").WithTags("Kế hoạch").RequireAuthorization().Problems(401, 403);
        group.MapPost("/", CreatePlan).WithName("createPlan")
            .WithSummary("Lập dự thảo kế hoạch")
            .WithDescription("Lập dự thảo kế hoạch năm của một đơn vị: số hiệu, trích yếu, hạn nộp báo cáo từng kỳ (ngày YYYY-MM-DD, tức trước 00:00 ngày đó giờ Việt Nam, hoặc thời điểm có múi giờ), chính sách nhắc hạn (mặc định nhắc trước 7, 3, 1 ngày và sau 1 ngày; nhắc quá hạn mỗi 2 ngày; chuyển cấp sau 3 ngày), chỉ tiêu và nhiệm vụ. Chỉ cán bộ của đơn vị ban hành hoặc quản trị viên được lập. Mỗi trường sai được nêu trong `errors`.")
            .Problems(400).WithRequestExample(PlanExamples.Create);
        group.MapGet("/", ListPlans).WithName("listPlans")
            .WithSummary("Danh sách kế hoạch")
            .WithDescription("Các kế hoạch tài khoản được xem (của đơn vị mình, cấp dưới và cấp trên mà đơn vị thực hiện), lọc theo đơn vị ban hành (`issuer`), năm (`year`) và trạng thái (`status`: Draft, Issued, Superseded).")
            .Problems(400);
        group.MapGet("/{id:guid}", GetPlan).WithName("getPlan")
            .WithSummary("Một kế hoạch")
            .WithDescription("Kế hoạch với hạn nộp, chính sách nhắc hạn, chỉ tiêu và nhiệm vụ.")
            .Problems(404);
        group.MapPost("/{id:guid}/issue", IssuePlan).WithName("issuePlan")
            .WithSummary("Ban hành kế hoạch")
            .WithDescription("Ban hành dự thảo: từ đây hạn nộp của kế hoạch áp dụng cho đơn vị ban hành và các đơn vị cấp dưới, và thông báo nhắc hạn theo chính sách của kế hoạch. Một kế hoạch chỉ ban hành một lần; mỗi đơn vị mỗi năm chỉ có một kế hoạch có hiệu lực (409 nếu đã có: hãy tạo phiên bản thay thế).")
            .Problems(404, 409);
        group.MapPost("/{id:guid}/supersede", SupersedePlan).WithName("supersedePlan")
            .WithSummary("Lập phiên bản thay thế kế hoạch")
            .WithDescription("Lập dự thảo thay thế một kế hoạch đã ban hành, cùng đơn vị và cùng năm; trường nào không gửi được giữ như phiên bản cũ. Phiên bản cũ hết hiệu lực khi phiên bản mới được ban hành.")
            .Problems(400, 404, 409);
        group.MapGet("/{id:guid}/cascade", GetCascade).WithName("getPlanCascade")
            .WithSummary("Các đơn vị cấp dưới đã có kế hoạch thực hiện chưa")
            .WithDescription("Với một kế hoạch đã ban hành: từng đơn vị cấp dưới trực tiếp đã ban hành kế hoạch thực hiện hay chưa, vào ngày `asOf` (mặc định hôm nay), và hạn ban hành kế hoạch thực hiện.")
            .Problems(400, 404);
        return group;
    }

    public static async Task<Results<Created<PlanResponse>, ProblemHttpResult>> CreatePlan(
        CreatePlanRequest request, ClaimsPrincipal user, [AsParameters] PlanServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        MovementPlan? superseded = null;
        if (request.Supersedes is { } supersedesId)
        {
            superseded = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == supersedesId, ct);
            if (superseded is null) return Problem(400, $"Không tìm thấy kế hoạch {supersedesId} cần thay thế.", "supersedes");
        }

        return await CreateDraftAsync(request, superseded, user, db, clock, ct);
    }

    /// <summary>A new version of an issued plan, as a draft; fields left out of the body are copied from it. Issuing the draft supersedes it.</summary>
    public static async Task<Results<Created<PlanResponse>, ProblemHttpResult>> SupersedePlan(
        Guid id, CreatePlanRequest? request, HttpContext http, [AsParameters] PlanServices services)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (user, ct) = (http.User, http.RequestAborted);
        var old = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (old is null) return PlanNotFound(id);
        if (request?.IssuerCode is { } issuer && issuer.Trim() != old.IssuerCode)
            return Problem(400, $"Phiên bản thay thế phải cùng đơn vị ban hành {old.IssuerCode} với kế hoạch được thay thế.", "issuerCode");
        if (request?.Year is { } year && year != old.Year)
            return Problem(400, $"Phiên bản thay thế phải cùng năm {old.Year} với kế hoạch được thay thế.", "year");
        if (request?.Supersedes is { } other && other != id)
            return Problem(400, $"Phiên bản này thay thế kế hoạch {id}, không thể đồng thời thay thế kế hoạch {other}.", "supersedes");

        var merged = new CreatePlanRequest(
            request?.Number ?? old.Number,
            request?.Title ?? old.Title,
            request?.IssuedOn ?? old.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            old.IssuerCode,
            old.Year,
            request?.ParentPlanId ?? old.ParentPlanId,
            id,
            request?.Deadlines ?? old.Deadlines.ToDictionary(d => d.Period, d => (string?)d.DueAt.ToVietnam().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)),
            new ReminderPolicyRequest(
                request?.ReminderPolicy?.Reminders ?? [.. old.ReminderOffsets.Select(o => (string?)IsoDuration.Format(o))],
                request?.ReminderPolicy?.OverdueRepeat ?? IsoDuration.Format(old.OverdueRepeat),
                request?.ReminderPolicy?.EscalateAfter ?? IsoDuration.Format(old.EscalateAfter),
                request?.ReminderPolicy?.RemindAt ?? ReminderPolicy.FormatHour(old.RemindAt)),
            request?.Targets ?? [.. old.Targets.Select(t => new TargetRequest(t.Indicator, t.Comparator, t.Value, t.Scope))],
            request?.Tasks ?? [.. old.Tasks.Select(t => new TaskRequest(t.Content, t.LeadUnitCode, [.. t.CoordinatingUnitCodes], t.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))],
            request?.ImplementingPlansDueOn ?? old.ImplementingPlansDueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return await CreateDraftAsync(merged, old, user, db, clock, ct);
    }

    static async Task<Results<Created<PlanResponse>, ProblemHttpResult>> CreateDraftAsync(
        CreatePlanRequest request, MovementPlan? superseded, ClaimsPrincipal user, PlanDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var input = PlanInput.Read(request, IndicatorCodes.Default);
        if (input.IssuerCode.Length > 0 && !MayActFor(user, input.IssuerCode)) return Forbidden(input.IssuerCode);

        if (input.IssuerCode.Length > 0 && input.IssuedOn != default
            && !await db.OrgUnits.AnyAsync(u => u.Code == input.IssuerCode && u.ValidFrom <= input.IssuedOn && (u.ValidTo == null || u.ValidTo > input.IssuedOn), ct))
        {
            input.Errors["issuerCode"] = [$"Không có đơn vị mã {input.IssuerCode} vào ngày ban hành {VietnamTime.Date(input.IssuedOn)}."];
        }

        if (request.ParentPlanId is { } parentId && !await db.Plans.AnyAsync(p => p.Id == parentId, ct))
        {
            input.Errors["parentPlanId"] = [$"Không tìm thấy kế hoạch cấp trên {parentId}."];
        }

        if (superseded is not null)
        {
            if (input.IssuerCode.Length > 0 && superseded.IssuerCode != input.IssuerCode)
                input.Errors["supersedes"] = [$"Kế hoạch được thay thế do đơn vị {superseded.IssuerCode} ban hành, không phải {input.IssuerCode}."];
            else if (input.Year != 0 && superseded.Year != input.Year)
                input.Errors["supersedes"] = [$"Kế hoạch được thay thế là kế hoạch năm {superseded.Year}, không phải năm {input.Year}."];
        }

        if (!input.IsValid) return ValidationProblem(input);
        if (superseded is not null && superseded.Status != PlanStatus.Issued) return NotReplaceable(superseded);

        var plan = new MovementPlan
        {
            Id = Guid.CreateVersion7(),
            Number = input.Number,
            Title = input.Title,
            IssuedOn = input.IssuedOn,
            IssuerCode = input.IssuerCode,
            Year = input.Year,
            ParentPlanId = request.ParentPlanId,
            SupersedesId = superseded?.Id,
            Status = PlanStatus.Draft,
            Deadlines = input.Deadlines,
            ReminderOffsets = [.. input.ReminderPolicy.Offsets],
            OverdueRepeat = input.ReminderPolicy.OverdueRepeat,
            EscalateAfter = input.ReminderPolicy.EscalateAfter,
            RemindAt = input.ReminderPolicy.RemindAt,
            Targets = input.Targets,
            Tasks = input.Tasks,
            ImplementingPlansDueOn = input.ImplementingPlansDueOn,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = user.UserName() ?? user.UserId() ?? "?",
        };
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/plans/{plan.Id}", PlanResponse.From(plan));
    }

    /// <summary>
    /// Issues a draft (the issuer's officer or an Admin): refuses a deadline for the units below later than the one
    /// binding the issuer itself; supersedes the version it replaces; recomputes and publishes the deadlines below the
    /// issuer, all in one transaction.
    /// </summary>
    public static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> IssuePlan(
        Guid id, ClaimsPrincipal user, [AsParameters] PlanServices services, CancellationToken ct)
    {
        var (db, clock, options, window, logs) = services;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await DeadlineChanges.LockAsync(db, ct);

        var plan = await db.Plans.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null) return PlanNotFound(id);
        if (!MayActFor(user, plan.IssuerCode)) return Forbidden(plan.IssuerCode);
        if (plan.Status != PlanStatus.Draft)
            return Problem(409, $"Kế hoạch số {plan.Number} đã được ban hành, không thể ban hành lại; để thay đổi, hãy tạo phiên bản thay thế (POST /api/plans/{plan.Id}/supersede).");

        MovementPlan? superseded = null;
        if (plan.SupersedesId is { } oldId)
        {
            superseded = await db.Plans.FirstOrDefaultAsync(p => p.Id == oldId, ct);
            if (superseded is null || superseded.Status != PlanStatus.Issued) return NotReplaceable(superseded, oldId);
        }
        else
        {
            var inForce = await db.Plans.AsNoTracking()
                .FirstOrDefaultAsync(p => p.IssuerCode == plan.IssuerCode && p.Year == plan.Year && p.Status == PlanStatus.Issued, ct);
            if (inForce is not null)
                return Problem(409, $"Đơn vị {plan.IssuerCode} đã ban hành kế hoạch năm {plan.Year} số {inForce.Number} ngày {VietnamTime.Date(inForce.IssuedOn)}; kế hoạch mới phải được ban hành như phiên bản thay thế kế hoạch đó.");
        }

        if (plan.ParentPlanId is { } parentId && !await db.Plans.AnyAsync(p => p.Id == parentId && p.Status != PlanStatus.Draft, ct))
            return Problem(409, "Kế hoạch cấp trên mà kế hoạch này thực hiện chưa được ban hành.", "parentPlanId");

        // The refusal rule: the units below must not be given more time than the issuer has itself.
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var deadline in plan.Deadlines.OrderBy(d => d.Period, StringComparer.Ordinal))
        {
            if (!ReportingPeriod.TryParse(deadline.Period, out var period)) continue;
            var chain = await DeadlineChanges.ChainAsync(db, period, options.Value, window.Value, ct);
            if (DeadlineChain.ChildDeadlineTooLate(period.Code, deadline.DueAt, chain.For(plan.IssuerCode)) is { } message)
                errors[$"deadlines.{period.Code}"] = [message];
        }

        if (errors.Count > 0)
        {
            return Problem(409, "Không thể ban hành kế hoạch: " + string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        }

        var now = clock.GetUtcNow();
        plan.Status = PlanStatus.Issued;
        plan.IssuedAt = now;
        plan.IssuedBy = user.UserName() ?? user.UserId() ?? "?";
        if (superseded is not null)
        {
            superseded.Status = PlanStatus.Superseded;
            superseded.SupersededById = plan.Id;
        }

        db.AddOutboxMessage(ToPlanIssued(plan, now), clock);
        await db.SaveChangesAsync(ct);

        var result = await DeadlineChanges.RecomputeAsync(db, plan.IssuerCode, plan.Year, superseded is null ? [] : [superseded.Id], options.Value, window.Value, clock, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        logs.CreateLogger("Antq.Plan.Plans").LogInformation(
            "Issued plan {PlanId} of {IssuerCode} for {Year}: {Examined} unit deadlines examined, {Changed} changed, {Messages} messages in {ElapsedMs} ms",
            plan.Id, plan.IssuerCode, plan.Year, result.UnitsExamined, result.DeadlinesChanged, result.Messages, result.ElapsedMs);
        return TypedResults.Ok(PlanResponse.From(plan));
    }

    /// <summary>A plan issued by the account's unit, one below it or one above it (<see cref="PlanScope"/>).</summary>
    public static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> GetPlan(
        Guid id, ClaimsPrincipal user, [AsParameters] PlanServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null) return PlanNotFound(id);
        if (!await PlanScope.MayReadPlanAsync(db, user, id, VietnamTime.Today(clock), withAncestors: true, ct)) return PlanScope.PlanRefused();
        return TypedResults.Ok(PlanResponse.From(plan));
    }

    /// <summary>The plans the account may read (<see cref="PlanScope"/>), filtered; another unit's plans are simply not listed.</summary>
    public static async Task<Results<Ok<PlanListResponse>, ProblemHttpResult>> ListPlans(
        [AsParameters] PlanListQuery filter, ClaimsPrincipal user, [AsParameters] PlanServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (issuer, year, status) = filter;
        var query = PlanScope.Plans(db, user, VietnamTime.Today(clock), withAncestors: true);
        if (!string.IsNullOrWhiteSpace(issuer)) query = query.Where(p => p.IssuerCode == issuer.Trim());
        if (year is { } y) query = query.Where(p => p.Year == y);
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<PlanStatus>(status, true, out var wanted))
                return Problem(400, $"Trạng thái \"{status}\" không hợp lệ; dùng Draft, Issued hoặc Superseded.", "status");
            query = query.Where(p => p.Status == wanted);
        }

        var plans = await query.OrderByDescending(p => p.Year).ThenBy(p => p.IssuerCode).ThenByDescending(p => p.CreatedAt).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(new PlanListResponse(issuer, year, [.. plans.Select(PlanResponse.From)]));
    }

    /// <summary>
    /// The units reporting to the issuer (as of <paramref name="asOf"/>, default the date implementing plans are due,
    /// else the plan's date) and whether each issued a plan implementing this one (any version of it) in time.
    /// </summary>
    public static async Task<Results<Ok<CascadeResponse>, ProblemHttpResult>> GetCascade(
        [AsParameters] PlanAsOf route, ClaimsPrincipal user, [AsParameters] PlanServices services, CancellationToken ct)
    {
        var (db, clock) = (services.Db, services.Clock);
        var (id, asOf) = route;
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null) return PlanNotFound(id);
        // Every child's status: for the issuer and the levels above it, not for the units below that implement it.
        if (!await PlanScope.MayReadPlanAsync(db, user, id, VietnamTime.Today(clock), withAncestors: false, ct)) return PlanScope.CascadeRefused();
        var date = plan.ImplementingPlansDueOn ?? plan.IssuedOn;
        if (!string.IsNullOrWhiteSpace(asOf) && !DateOnly.TryParseExact(asOf.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            return Problem(400, $"Ngày \"{asOf}\" không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2026-03-30.", "asOf");

        // Every version of this plan: implementing plans may name an earlier or later one.
        var versions = new HashSet<Guid> { plan.Id };
        var frontier = new List<Guid> { plan.Id };
        while (frontier.Count > 0)
        {
            var ids = frontier.ToArray();
            var linked = await db.Plans.AsNoTracking()
                .Where(p => ids.Contains(p.Id) || (p.SupersedesId != null && ids.Contains(p.SupersedesId.Value)))
                .Select(p => new { p.Id, p.SupersedesId }).ToListAsync(ct);
            frontier = [.. linked.SelectMany(l => l.SupersedesId is { } s ? new[] { l.Id, s } : [l.Id]).Where(versions.Add)];
        }

        var children = await db.OrgUnits.AsNoTracking()
            .Where(u => u.ParentCode == plan.IssuerCode && u.ValidFrom <= date && (u.ValidTo == null || u.ValidTo > date))
            .OrderBy(u => u.Code).Select(u => new { u.Code, u.Name, u.Kind }).ToListAsync(ct);
        var codes = children.Select(c => c.Code).ToArray();
        var versionIds = versions.ToArray();
        var implementing = await db.Plans.AsNoTracking()
            .Where(p => p.ParentPlanId != null && versionIds.Contains(p.ParentPlanId.Value) && p.Status != PlanStatus.Draft && codes.Contains(p.IssuerCode))
            .Select(p => new { p.Id, p.Number, p.IssuerCode, p.IssuedOn }).ToListAsync(ct);
        // The first issued version counts: a later correction does not make a plan issued in time late.
        var first = implementing.GroupBy(p => p.IssuerCode).ToDictionary(g => g.Key, g => g.OrderBy(p => p.IssuedOn).First());

        var due = plan.ImplementingPlansDueOn;
        var overdue = due is { } d && VietnamTime.Today(clock) >= d;
        var entries = children.Select(child =>
        {
            if (!first.TryGetValue(child.Code, out var issued))
                return new CascadeEntry(child.Code, child.Name, child.Kind.ToString(), CascadeStatus.NotIssued, overdue ? "Chưa ban hành, đã quá hạn" : "Chưa ban hành", null, null, null);
            var onTime = due is null || issued.IssuedOn < due;
            return new CascadeEntry(child.Code, child.Name, child.Kind.ToString(), onTime ? CascadeStatus.OnTime : CascadeStatus.Late,
                onTime ? "Đã ban hành đúng hạn" : "Ban hành muộn", issued.Id, issued.Number, issued.IssuedOn);
        }).ToList();

        return TypedResults.Ok(new CascadeResponse(plan.Id, plan.IssuerCode, due,
            due is { } day ? $"Hạn ban hành kế hoạch thực hiện: {DueDate.Describe(day)}" : null,
            date, entries.Count, entries.Count(e => e.Status == CascadeStatus.OnTime), entries.Count(e => e.Status == CascadeStatus.Late),
            entries.Count(e => e.Status == CascadeStatus.NotIssued), entries));
    }

    public static PlanIssued ToPlanIssued(MovementPlan plan, DateTimeOffset now) => new()
    {
        PlanId = plan.Id,
        Number = plan.Number,
        Title = plan.Title,
        IssuerCode = plan.IssuerCode,
        Year = plan.Year,
        IssuedOn = plan.IssuedOn,
        ParentPlanId = plan.ParentPlanId,
        SupersedesPlanId = plan.SupersedesId,
        Deadlines = [.. plan.Deadlines.OrderBy(d => d.Period, StringComparer.Ordinal).Select(d => new PlanPeriodDeadline { Period = d.Period, DueAt = d.DueAt.ToVietnam() })],
        ReminderPolicy = new PlanReminderPolicy
        {
            Reminders = [.. plan.ReminderOffsets.Select(IsoDuration.Format)],
            OverdueRepeat = IsoDuration.Format(plan.OverdueRepeat),
            EscalateAfter = IsoDuration.Format(plan.EscalateAfter),
            RemindAt = ReminderPolicy.FormatHour(plan.RemindAt),
        },
        Targets = [.. plan.Targets.Select(t => new PlanTargetSet { Indicator = t.Indicator, Comparator = t.Comparator, Value = t.Value, Scope = t.Scope })],
        ImplementingPlansDueOn = plan.ImplementingPlansDueOn,
        OccurredAt = now,
    };

    /// <summary>An officer acts for the unit of the account; an Admin for any unit.</summary>
    static bool MayActFor(ClaimsPrincipal user, string issuerCode) =>
        user.IsInRole(AntqRoles.Admin)
        || (user.OrgUnitCode() == issuerCode
            && (user.IsInRole(AntqRoles.ProvinceOfficer) || user.IsInRole(AntqRoles.DistrictOfficer) || user.IsInRole(AntqRoles.CommuneOfficer)));

    static ProblemHttpResult Forbidden(string issuerCode) =>
        Problem(403, $"Tài khoản này không được lập hoặc ban hành kế hoạch của đơn vị {issuerCode}; chỉ cán bộ của chính đơn vị đó hoặc quản trị viên mới được.");

    static ProblemHttpResult PlanNotFound(Guid id) => Problem(404, $"Không tìm thấy kế hoạch {id}.");

    static ProblemHttpResult NotReplaceable(MovementPlan? old, Guid? id = null) => old?.Status switch
    {
        PlanStatus.Draft => Problem(409, $"Kế hoạch số {old.Number} chưa được ban hành; hãy sửa dự thảo đó thay vì tạo phiên bản thay thế."),
        PlanStatus.Superseded => Problem(409, $"Kế hoạch số {old.Number} đã được thay thế bởi phiên bản {old.SupersededById}; hãy thay thế phiên bản mới nhất."),
        _ => Problem(409, $"Không tìm thấy kế hoạch {old?.Id ?? id} đang có hiệu lực để thay thế."),
    };

    static ProblemHttpResult ValidationProblem(PlanInput input) =>
        Invalid("Kế hoạch chưa hợp lệ: " + string.Join(" ", input.Errors.Values.SelectMany(v => v)), input.ErrorMap());

}

/// <summary>Where a subordinate stands in a plan's cascade (its implementing plan): the one definition of these words.</summary>
public static class CascadeStatus
{
    public const string OnTime = "onTime";
    public const string Late = "late";
    public const string NotIssued = "notIssued";
}
