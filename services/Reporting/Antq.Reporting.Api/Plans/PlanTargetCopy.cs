namespace Antq.Reporting.Api.Plans;

/// <summary>
/// The copy of one target (chỉ tiêu) of an issued plan, from the Plan service's PlanIssued: the consolidated report
/// shows it next to what was achieved. A plan superseded by a newer version keeps its rows, marked superseded.
/// </summary>
public sealed class PlanTargetCopy
{
    public Guid PlanId { get; set; }

    public required string Indicator { get; set; }

    public required string PlanNumber { get; set; }

    public required string IssuerCode { get; set; }

    public int Year { get; set; }

    public DateOnly IssuedOn { get; set; }

    /// <summary>&gt;, &gt;=, =, &lt;= or &lt;.</summary>
    public required string Comparator { get; set; }

    public decimal Value { get; set; }

    /// <summary>"subtree" (the issuer's whole area) or "each child".</summary>
    public required string Scope { get; set; }

    public bool Superseded { get; set; }

    /// <summary>Whether an achieved value meets the target.</summary>
    public bool? IsMetBy(decimal? achieved) => achieved is not { } v ? null : Comparator switch
    {
        ">" => v > Value,
        ">=" => v >= Value,
        "=" => v == Value,
        "<=" => v <= Value,
        "<" => v < Value,
        _ => null,
    };
}
