namespace Antq.Contracts.Plan;

/// <summary>
/// Command to the Plan service, which owns units: re-publish as <see cref="OrgUnitsChanged"/> every unit version whose
/// ChangeSequence is above <see cref="AfterSequence"/>. A service sends it when it starts, so that a copy that missed
/// changes (it started late, its queue did not exist yet, its database was restored) catches up.
/// </summary>
public sealed record ReplayOrgUnitChanges
{
    public required long AfterSequence { get; init; }

    /// <summary>The asking service's short name, for logs.</summary>
    public required string RequestedBy { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
