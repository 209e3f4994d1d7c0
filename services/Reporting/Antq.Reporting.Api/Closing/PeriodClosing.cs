namespace Antq.Reporting.Api.Closing;

/// <summary>
/// The period closed at one unit (khóa sổ): the snapshot of the unit's roll-up and of its children's statuses as they
/// stood when the children's deadline passed. Written once; the unique key (unit, period) is what makes closing happen
/// exactly once whatever the number of replicas.
/// </summary>
public sealed class PeriodClosing
{
    public Guid Id { get; set; }

    public required string OrgUnitCode { get; set; }

    public required string Period { get; set; }

    /// <summary>The children's deadline that passed (the latest when they differ).</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>When the snapshot was taken (at the deadline, or when the service came back after it).</summary>
    public DateTimeOffset ClosedAt { get; set; }

    public DateOnly HierarchyDate { get; set; }

    public required string CatalogueVersion { get; set; }

    public int Expected { get; set; }

    public int OnTime { get; set; }

    public int Late { get; set; }

    public int Missing { get; set; }

    public List<string> MissingCodes { get; set; } = [];

    /// <summary>The unit's roll-up at closing, by indicator code, as JSON (<c>{"CODE": {"value": 1, "reports": 1}}</c>).</summary>
    public required string ValuesJson { get; set; }

    public List<ClosingChild> Children { get; set; } = [];
}

/// <summary>Where the closing found one child: its report status, on time or late, and whether the closing froze it.</summary>
public sealed class ClosingChild
{
    public Guid ClosingId { get; set; }

    public required string ChildCode { get; set; }

    public required string ChildName { get; set; }

    /// <summary><c>onTime</c>, <c>late</c> or <c>missing</c>.</summary>
    public required string Standing { get; set; }

    /// <summary>The report's status at closing (draft, submitted, returned, accepted), null when there was no report.</summary>
    public string? ReportStatus { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>
    /// The report was submitted or accepted when the period closed: what it said is what the level above consolidated,
    /// so it can no longer be returned or changed, until the level above reopens it.
    /// </summary>
    public bool Frozen { get; set; }

    /// <summary>The child's narrative sections as it submitted them, gathered for the officer who writes the level's report (JSON).</summary>
    public string? NarrativeJson { get; set; }

    public DateTimeOffset? ReopenedAt { get; set; }

    public string? ReopenedBy { get; set; }

    public string? ReopenReason { get; set; }

    public bool IsLocked => Frozen && ReopenedAt is null;
}

/// <summary>Standing of a child in a closing.</summary>
public static class Standings
{
    public const string OnTime = "onTime";
    public const string Late = "late";
    public const string Missing = "missing";
}
