using Antq.Settings;

namespace Antq.Plan.Api.Deadlines;

/// <summary>
/// Settings of the deadline chain (section <c>Deadlines</c>): the lead time a level keeps for itself where it set no
/// deadline of its own. The data window the chain follows is the platform's one (<see cref="Antq.Calendar.DataWindowOptions"/>).
/// </summary>
public sealed class DeadlineOptions
{
    public const string Section = "Deadlines";

    /// <summary>A unit whose parent issued no plan must report this long before the parent's own deadline.</summary>
    [Duration("00:00:00", "366.00:00:00")]
    public TimeSpan LeadTime { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Deadlines per <c>DeadlinesChanged</c> message.</summary>
    [Positive]
    public int BatchSize { get; set; } = 1000;
}
