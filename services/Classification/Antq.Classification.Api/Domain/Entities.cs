namespace Antq.Classification.Api.Domain;

/// <summary>One published version of a year's score sheet for a kind of unit. Results keep the version they were scored on.</summary>
public sealed class ScoreSheetVersion
{
    public Guid Id { get; set; }
    public int Year { get; set; }
    public required string SubjectKind { get; set; }
    public int Version { get; set; }
    public bool IsDefault { get; set; }
    public required ScoreSheet Sheet { get; set; }
    public required string PublishedBy { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>One published version of a year's safe-standard criteria for a kind of unit.</summary>
public sealed class SafeStandardVersion
{
    public Guid Id { get; set; }
    public int Year { get; set; }
    public required string SubjectKind { get; set; }
    public int Version { get; set; }
    public bool IsDefault { get; set; }
    public required SafeStandard Standard { get; set; }
    public required string PublishedBy { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>A unit's classification for a year (phân loại phong trào): its scores, the sheet version, total and class.</summary>
public sealed class Evaluation
{
    public Guid Id { get; set; }
    public required string OrgUnitCode { get; set; }
    public int Year { get; set; }
    public required string SubjectKind { get; set; }
    /// <summary>The level that approves (the parent at the year's hierarchy date).</summary>
    public string? ParentCode { get; set; }
    public Guid ScoreSheetId { get; set; }
    public int ScoreSheetVersion { get; set; }
    public Dictionary<string, decimal> SelfScores { get; set; } = [];
    public Dictionary<string, decimal> ApprovedScores { get; set; } = [];
    public Dictionary<string, bool> DisqualifierMarks { get; set; } = [];
    /// <summary>The computed criteria's scores as last computed from the accepted annual report.</summary>
    public Dictionary<string, decimal> ComputedScores { get; set; } = [];
    public decimal SelfTotal { get; set; }
    public decimal? ApprovedTotal { get; set; }
    public string? Class { get; set; }
    public string? SelfScoredBy { get; set; }
    public DateTimeOffset? SelfScoredAt { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    /// <summary>Who or what last changed the class, and when (an approver, or a changed annual report).</summary>
    public string? ClassDecidedBy { get; set; }
    public DateTimeOffset? ClassDecidedAt { get; set; }
    public uint RowVersion { get; set; }
}

/// <summary>A unit's safe standard for a year: its registration, then the decision at year end.</summary>
public sealed class SafeStandardResult
{
    public Guid Id { get; set; }
    public required string OrgUnitCode { get; set; }
    public int Year { get; set; }
    public required string SubjectKind { get; set; }
    public string? ParentCode { get; set; }
    public Guid SafeStandardId { get; set; }
    public int SafeStandardVersion { get; set; }
    public required string RegisteredBy { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }
    public Dictionary<string, bool> Marks { get; set; } = [];
    /// <summary>Null until decided; then recognised (công nhận) or not (không đạt).</summary>
    public bool? Recognised { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public uint RowVersion { get; set; }
}

/// <summary>The values of a unit's accepted annual report (báo cáo tổng kết năm đã tiếp nhận), as Reporting sent them.</summary>
public sealed class AnnualReportValues
{
    public required string OrgUnitCode { get; set; }
    public int Year { get; set; }
    public Guid ReportId { get; set; }
    public Dictionary<string, decimal> Values { get; set; } = [];
    public required string AcceptedBy { get; set; }
    public DateTimeOffset AcceptedAt { get; set; }
}

/// <summary>A target (chỉ tiêu) of an issued plan, as Classification records it.</summary>
public sealed class PlanTarget
{
    public Guid PlanId { get; set; }
    public int Index { get; set; }
    public required string PlanNumber { get; set; }
    public required string IssuerCode { get; set; }
    public int Year { get; set; }
    public required string Indicator { get; set; }
    public required string Comparator { get; set; }
    public decimal Value { get; set; }
    /// <summary>"subtree" (the issuer's area) or "each child" (every unit reporting to the issuer).</summary>
    public required string Scope { get; set; }
}

/// <summary>The last verdict published for a target at a unit: a new one is published only when it changes.</summary>
public sealed class TargetAttainment
{
    public Guid PlanId { get; set; }
    public int Index { get; set; }
    public required string OrgUnitCode { get; set; }
    public int Year { get; set; }
    public decimal? Achieved { get; set; }
    public bool? Attained { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The counts last published for a unit's annual report (CLS_*, KDC_SAFE, ORG_SAFE), with their sequence.</summary>
public sealed class PublishedCounts
{
    public required string OrgUnitCode { get; set; }
    public int Year { get; set; }
    public Dictionary<string, int> Values { get; set; } = [];
    public long Sequence { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
