namespace Antq.Plan.Api.Plans;

/// <summary>
/// A plan (Kế hoạch) of one unit for one year: its deadlines per period bind the units that report to the issuer,
/// its targets and tasks, and the date by which the units below must issue their implementing plans. Created as a
/// draft, issued once, never edited after: a change is a new version that supersedes it.
/// </summary>
public sealed class MovementPlan
{
    public Guid Id { get; set; }

    /// <summary>Số hiệu, e.g. "125/KH-CAT".</summary>
    public required string Number { get; set; }

    public required string Title { get; set; }

    /// <summary>The date on the document (ngày ban hành).</summary>
    public DateOnly IssuedOn { get; set; }

    /// <summary>Code of the issuing unit (đơn vị ban hành).</summary>
    public required string IssuerCode { get; set; }

    public int Year { get; set; }

    /// <summary>The plan of the level above that this one implements.</summary>
    public Guid? ParentPlanId { get; set; }

    /// <summary>The issued plan this version replaces when it is issued.</summary>
    public Guid? SupersedesId { get; set; }

    /// <summary>The version that replaced this one.</summary>
    public Guid? SupersededById { get; set; }

    public PlanStatus Status { get; set; }

    /// <summary>Deadlines (hạn nộp) per period, binding the units that report to the issuer.</summary>
    public List<PlanDeadline> Deadlines { get; set; } = [];

    /// <summary>Offsets from the deadline: negative is a reminder before it, positive an overdue notice after it.</summary>
    public List<TimeSpan> ReminderOffsets { get; set; } = [];

    public TimeSpan OverdueRepeat { get; set; }

    public TimeSpan EscalateAfter { get; set; }

    /// <summary>The plan's own reminder hour (Vietnam time); null: Notification's setting.</summary>
    public TimeOnly? RemindAt { get; set; }

    public List<PlanTarget> Targets { get; set; } = [];

    public List<PlanTask> Tasks { get; set; } = [];

    /// <summary>Units below must issue their implementing plans before 00:00 of this day (Vietnam time).</summary>
    public DateOnly? ImplementingPlansDueOn { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset? IssuedAt { get; set; }

    public string? IssuedBy { get; set; }

    public ReminderPolicy ReminderPolicy => new(ReminderOffsets, OverdueRepeat, EscalateAfter, RemindAt);

    public DateTimeOffset? DeadlineFor(string period) => Deadlines.FirstOrDefault(d => d.Period == period)?.DueAt;
}

public enum PlanStatus
{
    /// <summary>Dự thảo: may still change, binds nobody.</summary>
    Draft,
    /// <summary>Đã ban hành: in force.</summary>
    Issued,
    /// <summary>Đã được thay thế by a later version.</summary>
    Superseded,
}

/// <summary>A plan's deadline for one period: reports must arrive before <see cref="DueAt"/>.</summary>
public sealed class PlanDeadline
{
    /// <summary>YYYY-H1 or YYYY-Y.</summary>
    public required string Period { get; set; }

    public DateTimeOffset DueAt { get; set; }
}

/// <summary>A target (chỉ tiêu): an indicator of the catalogue compared with a value, over the subtree or for each child.</summary>
public sealed class PlanTarget
{
    public required string Indicator { get; set; }

    /// <summary>&gt;, &gt;=, =, &lt;= or &lt;.</summary>
    public required string Comparator { get; set; }

    public decimal Value { get; set; }

    /// <summary>"subtree" (the issuer's whole area) or "each child" (every unit reporting to the issuer).</summary>
    public required string Scope { get; set; }
}

/// <summary>A task (nhiệm vụ) with its lead unit (chủ trì) and coordinating units (phối hợp).</summary>
public sealed class PlanTask
{
    public required string Content { get; set; }

    public required string LeadUnitCode { get; set; }

    public List<string> CoordinatingUnitCodes { get; set; } = [];

    public DateOnly? DueOn { get; set; }
}
