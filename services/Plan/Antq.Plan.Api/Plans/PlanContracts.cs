using System.Globalization;
using Antq.Calendar;
using Microsoft.AspNetCore.Mvc;

namespace Antq.Plan.Api.Plans;

/// <summary>
/// A draft plan (POST /api/plans, or the new content of POST /api/plans/{id}/supersede, where every field left out is
/// copied from the version superseded). Dates are YYYY-MM-DD; a deadline is a plain date (before 00:00 of that day,
/// Vietnam time) or a timestamp with an offset.
/// </summary>
/// <summary>The plan list's filters: the issuing unit, the year, the state (Draft, Issued, Superseded).</summary>
public sealed record PlanListQuery(
    [FromQuery(Name = "issuer")] string? Issuer,
    [FromQuery(Name = "year")] int? Year,
    [FromQuery(Name = "status")] string? Status);

/// <summary>A plan and the date its cascade is read at (<c>asOf</c>, dd/MM/yyyy or yyyy-MM-dd).</summary>
public sealed record PlanAsOf([FromRoute(Name = "id")] Guid Id, [FromQuery(Name = "asOf")] string? AsOf);

public sealed record CreatePlanRequest(
    string? Number,
    string? Title,
    string? IssuedOn,
    string? IssuerCode,
    int? Year,
    Guid? ParentPlanId,
    Guid? Supersedes,
    Dictionary<string, string?>? Deadlines,
    ReminderPolicyRequest? ReminderPolicy,
    List<TargetRequest>? Targets,
    List<TaskRequest>? Tasks,
    string? ImplementingPlansDueOn);

/// <summary>
/// ISO 8601 durations relative to the deadline. Defaults for any field left out: reminders ["-P7D","-P3D","-P1D","P1D"],
/// overdueRepeat "P2D", escalateAfter "P3D". <c>remindAt</c>: the hour ("08:00", Vietnam time) at which the reminders that
/// count in whole days go out; left out or empty, Notification's own (07:30 by default). A superseding version copies the
/// hour of the one it replaces unless it gives one ("" to go back to Notification's).
/// </summary>
public sealed record ReminderPolicyRequest(List<string?>? Reminders, string? OverdueRepeat, string? EscalateAfter, string? RemindAt = null);

/// <summary>A target; scope defaults to "subtree".</summary>
public sealed record TargetRequest(string? Indicator, string? Comparator, decimal? Value, string? Scope);

public sealed record TaskRequest(string? Content, string? LeadUnitCode, List<string?>? CoordinatingUnitCodes, string? DueOn);

public sealed record DeadlineView(DateTimeOffset DueAt, string Display);

/// <summary><c>remindAt</c> is null when the plan leaves the hour to Notification's setting.</summary>
public sealed record ReminderPolicyView(IReadOnlyList<string> Reminders, string OverdueRepeat, string EscalateAfter, string? RemindAt);

public sealed record TargetView(string Indicator, string Comparator, decimal Value, string Scope);

public sealed record TaskView(string Content, string LeadUnitCode, IReadOnlyList<string> CoordinatingUnitCodes, DateOnly? DueOn);

public sealed record PlanResponse(
    Guid Id,
    string Number,
    string Title,
    DateOnly IssuedOn,
    string IssuerCode,
    int Year,
    Guid? ParentPlanId,
    Guid? Supersedes,
    Guid? SupersededBy,
    string Status,
    string StatusText,
    IReadOnlyDictionary<string, DeadlineView> Deadlines,
    ReminderPolicyView ReminderPolicy,
    IReadOnlyList<TargetView> Targets,
    IReadOnlyList<TaskView> Tasks,
    DateOnly? ImplementingPlansDueOn,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? IssuedAt,
    string? IssuedBy)
{
    public static PlanResponse From(MovementPlan plan) => new(
        plan.Id, plan.Number, plan.Title, plan.IssuedOn, plan.IssuerCode, plan.Year, plan.ParentPlanId, plan.SupersedesId,
        plan.SupersededById, plan.Status.ToString(), TextOf(plan.Status),
        plan.Deadlines.OrderBy(d => d.Period, StringComparer.Ordinal)
            .ToDictionary(d => d.Period, d => new DeadlineView(d.DueAt.ToVietnam(), DueDate.Display(d.DueAt))),
        new ReminderPolicyView([.. plan.ReminderOffsets.Select(IsoDuration.Format)], IsoDuration.Format(plan.OverdueRepeat), IsoDuration.Format(plan.EscalateAfter),
            Plans.ReminderPolicy.FormatHour(plan.RemindAt)),
        [.. plan.Targets.Select(t => new TargetView(t.Indicator, t.Comparator, t.Value, t.Scope))],
        [.. plan.Tasks.Select(t => new TaskView(t.Content, t.LeadUnitCode, t.CoordinatingUnitCodes, t.DueOn))],
        plan.ImplementingPlansDueOn, plan.CreatedAt, plan.CreatedBy, plan.IssuedAt, plan.IssuedBy);

    public static string TextOf(PlanStatus status) => status switch
    {
        PlanStatus.Draft => "Dự thảo",
        PlanStatus.Issued => "Đã ban hành",
        PlanStatus.Superseded => "Đã được thay thế",
        _ => status.ToString(),
    };
}

public sealed record PlanListResponse(string? Issuer, int? Year, IReadOnlyList<PlanResponse> Plans);

/// <summary>One unit below the issuer and its implementing plan, if any.</summary>
public sealed record CascadeEntry(string OrgUnitCode, string Name, string Kind, string Status, string StatusText, Guid? PlanId, string? PlanNumber, DateOnly? IssuedOn);

public sealed record CascadeResponse(
    Guid PlanId,
    string IssuerCode,
    DateOnly? ImplementingPlansDueOn,
    string? DueDisplay,
    DateOnly AsOf,
    int Total,
    int OnTime,
    int Late,
    int NotIssued,
    IReadOnlyList<CascadeEntry> Units);

public sealed record DeadlineResponse(string OrgUnitCode, string Period, DateTimeOffset DueAt, Guid? PlanId, bool Derived, string ReportsToCode, string Display);

public sealed record RecomputeResponse(int Year, int UnitsExamined, int DeadlinesChanged, int Messages, long ElapsedMs);

/// <summary>The fields of a draft, checked; <see cref="Errors"/> keyed by field as the API names it.</summary>
public sealed class PlanInput
{
    public Dictionary<string, List<string>> Errors { get; } = new(StringComparer.Ordinal);

    public string Number { get; private set; } = "";
    public string Title { get; private set; } = "";
    public DateOnly IssuedOn { get; private set; }
    public string IssuerCode { get; private set; } = "";
    public int Year { get; private set; }
    public List<PlanDeadline> Deadlines { get; } = [];
    public ReminderPolicy ReminderPolicy { get; private set; } = ReminderPolicy.Default;
    public List<PlanTarget> Targets { get; } = [];
    public List<PlanTask> Tasks { get; } = [];
    public DateOnly? ImplementingPlansDueOn { get; private set; }

    public bool IsValid => Errors.Count == 0;

    void Add(string field, string message)
    {
        if (!Errors.TryGetValue(field, out var list)) Errors[field] = list = [];
        list.Add(message);
    }

    public Dictionary<string, string[]> ErrorMap() => Errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>Checks every field of <paramref name="request"/> against the catalogue's indicator codes.</summary>
    public static PlanInput Read(CreatePlanRequest request, IReadOnlySet<string> indicatorCodes)
    {
        var input = new PlanInput();
        input.Number = request.Number?.Trim() ?? "";
        if (input.Number.Length == 0) input.Add("number", "Nhập số hiệu kế hoạch, ví dụ 125/KH-CAT.");
        else if (input.Number.Length > 100) input.Add("number", "Số hiệu kế hoạch dài quá 100 ký tự.");

        input.Title = request.Title?.Trim() ?? "";
        if (input.Title.Length == 0) input.Add("title", "Nhập trích yếu (tên) của kế hoạch.");
        else if (input.Title.Length > 1000) input.Add("title", "Trích yếu của kế hoạch dài quá 1000 ký tự.");

        input.IssuerCode = request.IssuerCode?.Trim() ?? "";
        if (input.IssuerCode.Length == 0) input.Add("issuerCode", "Nhập mã đơn vị ban hành kế hoạch.");

        if (request.Year is not { } year) input.Add("year", "Nhập năm của kế hoạch, ví dụ 2026.");
        else if (year < 2000 || year > 2100) input.Add("year", $"Năm {year} không hợp lệ.");
        else input.Year = year;

        if (string.IsNullOrWhiteSpace(request.IssuedOn)) input.Add("issuedOn", "Nhập ngày ban hành kế hoạch (YYYY-MM-DD).");
        else if (!TryDate(request.IssuedOn, out var issuedOn)) input.Add("issuedOn", $"Ngày ban hành \"{request.IssuedOn}\" không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2026-01-15.");
        else
        {
            input.IssuedOn = issuedOn;
            if (input.Year != 0 && Math.Abs(issuedOn.Year - input.Year) > 1)
                input.Add("issuedOn", $"Ngày ban hành {VietnamTime.Date(issuedOn)} không khớp với kế hoạch năm {input.Year}.");
        }

        input.ReadDeadlines(request.Deadlines);
        input.ReadReminderPolicy(request.ReminderPolicy);
        input.ReadTargets(request.Targets, indicatorCodes);
        input.ReadTasks(request.Tasks);

        if (!string.IsNullOrWhiteSpace(request.ImplementingPlansDueOn))
        {
            if (TryDate(request.ImplementingPlansDueOn, out var due)) input.ImplementingPlansDueOn = due;
            else input.Add("implementingPlansDueOn", $"Ngày \"{request.ImplementingPlansDueOn}\" không hợp lệ; dùng dạng YYYY-MM-DD, ví dụ 2026-03-30.");
        }

        return input;
    }

    void ReadDeadlines(Dictionary<string, string?>? deadlines)
    {
        foreach (var (key, value) in deadlines ?? [])
        {
            var field = $"deadlines.{key}";
            if (!ReportingPeriod.TryParse(key, out var period))
            {
                Add(field, ReportingPeriod.InvalidMessage(key, Year == 0 ? 2026 : Year));
                continue;
            }

            if (Year != 0 && period.Year != Year)
            {
                Add(field, $"Kỳ {period.Code} không thuộc năm {Year} của kế hoạch.");
                continue;
            }

            if (Deadlines.Any(d => d.Period == period.Code))
            {
                Add(field, $"Kỳ {period.Code} được nhập hai lần.");
                continue;
            }

            if (!DueDate.TryParse(value, out var dueAt))
            {
                Add(field, DueDate.InvalidMessage(value, period.Code));
                continue;
            }

            if (IssuedOn != default && dueAt <= DueDate.StartOf(IssuedOn))
            {
                Add(field, $"Hạn nộp kỳ {period.Code} ({DueDate.Describe(dueAt)}) không thể sớm hơn ngày ban hành kế hoạch {VietnamTime.Date(IssuedOn)}.");
                continue;
            }

            Deadlines.Add(new PlanDeadline { Period = period.Code, DueAt = dueAt });
        }
    }

    void ReadReminderPolicy(ReminderPolicyRequest? policy)
    {
        var offsets = ReminderPolicy.Default.Offsets.ToList();
        if (policy?.Reminders is { } reminders)
        {
            offsets = [];
            if (reminders.Count > 20) Add("reminderPolicy.reminders", "Tối đa 20 mốc nhắc hạn.");
            for (var i = 0; i < reminders.Count; i++)
            {
                var field = $"reminderPolicy.reminders[{i}]";
                if (!IsoDuration.TryParse(reminders[i], out var offset))
                    Add(field, $"Mốc nhắc \"{reminders[i]}\" không hợp lệ; dùng khoảng thời gian ISO 8601 so với hạn nộp: âm là nhắc trước hạn (\"-P7D\" = 7 ngày trước), dương là báo quá hạn (\"P1D\" = 1 ngày sau).");
                else if (offset == TimeSpan.Zero)
                    Add(field, "Mốc nhắc không thể trùng đúng thời điểm hạn nộp; dùng mốc trước (âm) hoặc sau (dương) hạn.");
                else if (offsets.Contains(offset))
                    Add(field, $"Mốc nhắc \"{reminders[i]}\" bị lặp lại.");
                else offsets.Add(offset);
            }
        }

        var repeat = ReminderPolicy.Default.OverdueRepeat;
        if (policy?.OverdueRepeat is { } repeatText)
        {
            if (!IsoDuration.TryParse(repeatText, out repeat) || repeat <= TimeSpan.Zero)
                Add("reminderPolicy.overdueRepeat", $"Chu kỳ nhắc quá hạn \"{repeatText}\" không hợp lệ; dùng khoảng thời gian dương dạng ISO 8601, ví dụ \"P2D\" (2 ngày một lần).");
        }

        var escalate = ReminderPolicy.Default.EscalateAfter;
        if (policy?.EscalateAfter is { } escalateText)
        {
            if (!IsoDuration.TryParse(escalateText, out escalate) || escalate <= TimeSpan.Zero)
                Add("reminderPolicy.escalateAfter", $"Thời gian báo cấp trên \"{escalateText}\" không hợp lệ; dùng khoảng thời gian dương dạng ISO 8601, ví dụ \"P3D\" (quá hạn 3 ngày).");
        }

        TimeOnly? remindAt = null;
        if (policy?.RemindAt is { } hourText && !string.IsNullOrWhiteSpace(hourText))
        {
            if (ReminderPolicy.ParseHour(hourText) is { } hour) remindAt = hour;
            else Add("reminderPolicy.remindAt", $"Giờ nhắc \"{hourText}\" không hợp lệ; dùng giờ:phút theo giờ Việt Nam, ví dụ \"07:30\", hoặc bỏ trống để dùng giờ nhắc chung.");
        }

        ReminderPolicy = new ReminderPolicy([.. offsets.Order()], repeat, escalate, remindAt);
    }

    void ReadTargets(List<TargetRequest>? targets, IReadOnlySet<string> indicatorCodes)
    {
        for (var i = 0; i < (targets?.Count ?? 0); i++)
        {
            var target = targets![i];
            var prefix = $"targets[{i}]";
            if (target is null)
            {
                Add(prefix, "Chỉ tiêu trống.");
                continue;
            }

            var ok = true;
            var indicator = target.Indicator?.Trim().ToUpperInvariant() ?? "";
            if (indicator.Length == 0) { Add($"{prefix}.indicator", "Nhập mã chỉ tiêu trong danh mục, ví dụ PCT_UNITS_SAFE."); ok = false; }
            else if (!indicatorCodes.Contains(indicator)) { Add($"{prefix}.indicator", $"Mã chỉ tiêu \"{target.Indicator}\" không có trong danh mục chỉ tiêu."); ok = false; }

            var comparator = target.Comparator?.Trim() ?? "";
            if (!TargetRules.Comparators.Contains(comparator))
            {
                Add($"{prefix}.comparator", $"Phép so sánh \"{target.Comparator}\" không hợp lệ; dùng một trong: {string.Join(", ", TargetRules.Comparators)}.");
                ok = false;
            }

            if (target.Value is null) { Add($"{prefix}.value", "Nhập giá trị của chỉ tiêu."); ok = false; }

            var scope = string.IsNullOrWhiteSpace(target.Scope) ? TargetRules.Subtree : target.Scope.Trim().ToLowerInvariant();
            if (!TargetRules.Scopes.Contains(scope))
            {
                Add($"{prefix}.scope", $"Phạm vi \"{target.Scope}\" không hợp lệ; dùng \"subtree\" (toàn địa bàn) hoặc \"each child\" (từng đơn vị cấp dưới).");
                ok = false;
            }

            if (ok) Targets.Add(new PlanTarget { Indicator = indicator, Comparator = comparator, Value = target.Value!.Value, Scope = scope });
        }
    }

    void ReadTasks(List<TaskRequest>? tasks)
    {
        for (var i = 0; i < (tasks?.Count ?? 0); i++)
        {
            var task = tasks![i];
            var prefix = $"tasks[{i}]";
            if (task is null)
            {
                Add(prefix, "Nhiệm vụ trống.");
                continue;
            }

            var ok = true;
            var content = task.Content?.Trim() ?? "";
            if (content.Length == 0) { Add($"{prefix}.content", "Nhập nội dung nhiệm vụ."); ok = false; }
            var lead = task.LeadUnitCode?.Trim() ?? "";
            if (lead.Length == 0) { Add($"{prefix}.leadUnitCode", "Nhập mã đơn vị chủ trì thực hiện nhiệm vụ."); ok = false; }
            DateOnly? dueOn = null;
            if (!string.IsNullOrWhiteSpace(task.DueOn))
            {
                if (TryDate(task.DueOn, out var due)) dueOn = due;
                else { Add($"{prefix}.dueOn", $"Thời hạn \"{task.DueOn}\" không hợp lệ; dùng dạng YYYY-MM-DD."); ok = false; }
            }

            var coordinating = (task.CoordinatingUnitCodes ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c!.Trim()).Distinct().ToList();
            if (ok) Tasks.Add(new PlanTask { Content = content, LeadUnitCode = lead, CoordinatingUnitCodes = coordinating, DueOn = dueOn });
        }
    }

    static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}

/// <summary>The examples the OpenAPI document shows for the plan bodies.</summary>
public static class PlanExamples
{
    public static readonly CreatePlanRequest Create = new(
        Number: "15/KH-CAT",
        Title: "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
        IssuedOn: "2026-01-10",
        IssuerCode: "38",
        Year: 2026,
        ParentPlanId: null,
        Supersedes: null,
        Deadlines: new() { ["2026-H1"] = "2026-06-15", ["2026-Y"] = "2026-11-30" },
        ReminderPolicy: new ReminderPolicyRequest(["-P7D", "-P3D", "-P1D", "P1D"], "P2D", "P3D"),
        Targets: [new TargetRequest("PCT_UNITS_SAFE", ">=", 87.5m, "subtree")],
        Tasks: [new TaskRequest("Tuyên truyền, vận động quần chúng tham gia phong trào", "38", ["14758"], "2026-06-30")],
        ImplementingPlansDueOn: "2026-03-30");
}
