namespace Antq.Contracts.Plan;

/// <summary>A plan's deadline for one period: reports must arrive before <see cref="DueAt"/> (+07:00).</summary>
public sealed record PlanPeriodDeadline
{
    /// <summary>YYYY-H1 or YYYY-Y.</summary>
    public required string Period { get; init; }

    public required DateTimeOffset DueAt { get; init; }
}
