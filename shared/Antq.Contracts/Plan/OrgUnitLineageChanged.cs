namespace Antq.Contracts.Plan;

/// <summary>
/// The predecessors of new units after a merges import (sáp nhập). Whole state per successor: every successor named in
/// <see cref="Links"/> has its full list of predecessors in this message, so a copy replaces that successor's links.
/// At most <see cref="MaxLinks"/> links per message.
/// </summary>
public sealed record OrgUnitLineageChanged
{
    public const int MaxLinks = 2000;

    public required IReadOnlyList<OrgUnitLineageLink> Links { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}

/// <summary>A new unit and one of its predecessors; <see cref="Partial"/> when only part of the predecessor went into it.</summary>
public sealed record OrgUnitLineageLink
{
    public required string SuccessorCode { get; init; }

    public required DateOnly SuccessorValidFrom { get; init; }

    public required string PredecessorCode { get; init; }

    public required DateOnly? PredecessorValidTo { get; init; }

    public required bool Partial { get; init; }
}
