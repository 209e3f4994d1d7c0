namespace Antq.Contracts.Plan;

/// <summary>
/// Unit versions were created or changed (an import, a unit added, a replay asked for by a copy). Every service that
/// keeps a copy of the tree applies <see cref="Units"/> by id, keeping each version's highest ChangeSequence.
/// </summary>
public sealed record OrgUnitsChanged
{
    /// <summary>The highest ChangeSequence among <see cref="Units"/>; batches of one import carry increasing numbers.</summary>
    public required long Sequence { get; init; }

    public required IReadOnlyList<OrgUnitVersion> Units { get; init; }

    /// <summary>True when re-published for a copy that asked to catch up (<see cref="ReplayOrgUnitChanges"/>).</summary>
    public required bool Replay { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
