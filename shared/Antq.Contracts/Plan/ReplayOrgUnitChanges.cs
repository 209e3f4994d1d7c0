namespace Antq.Contracts.Plan;

/// <summary>
/// Command to the Plan service, which owns units: re-publish as <see cref="OrgUnitsChanged"/> every unit version whose
/// ChangeSequence is above <see cref="AfterSequence"/>. Services sent it when they started, to fill the tail of their
/// copy; a copy now heals through <see cref="Antq.Contracts.Copies.ReconcileCopy"/>, which fills holes anywhere. The
/// Plan service still answers it, for a request sent by a service of an earlier version.
/// </summary>
public sealed record ReplayOrgUnitChanges
{
    public required long AfterSequence { get; init; }

    /// <summary>The asking service's short name, for logs.</summary>
    public required string RequestedBy { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
