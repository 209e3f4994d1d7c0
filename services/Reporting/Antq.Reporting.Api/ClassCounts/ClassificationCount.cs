namespace Antq.Reporting.Api.ClassCounts;

/// <summary>The newest classification counts applied to a unit's annual report: only a higher sequence applies again.</summary>
public sealed class ClassificationCount
{
    public required string OrgUnitCode { get; set; }

    public required string Period { get; set; }

    public long Sequence { get; set; }
}
