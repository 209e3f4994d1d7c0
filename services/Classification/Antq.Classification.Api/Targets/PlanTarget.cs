namespace Antq.Classification.Api.Targets;

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
