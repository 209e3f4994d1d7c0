namespace Antq.Contracts.Plan;

/// <summary>A target (chỉ tiêu) a plan sets: an indicator of the catalogue, a comparator and a value.</summary>
public sealed record PlanTargetSet
{
    /// <summary>Indicator code of the catalogue, e.g. PCT_UNITS_SAFE.</summary>
    public required string Indicator { get; init; }

    /// <summary>&gt;, &gt;=, =, &lt;= or &lt;.</summary>
    public required string Comparator { get; init; }

    public required decimal Value { get; init; }

    /// <summary>"subtree" (the issuer's whole area) or "each child" (every unit reporting to the issuer).</summary>
    public required string Scope { get; init; }
}
