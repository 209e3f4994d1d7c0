namespace Antq.Classification.Api.Evaluations;

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

/// <summary>The counts last published for a unit's annual report (CLS_*, KDC_SAFE, ORG_SAFE), with their sequence.</summary>
public sealed class PublishedCounts
{
    public required string OrgUnitCode { get; set; }
    public int Year { get; set; }
    public Dictionary<string, int> Values { get; set; } = [];
    public long Sequence { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
