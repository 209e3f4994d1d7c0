namespace Antq.Contracts.Identity;

/// <summary>A user was created or changed (role, unit, contact, active). Services that address people by unit keep a copy.</summary>
public sealed record UserChanged
{
    public required Guid UserId { get; init; }

    public required string UserName { get; init; }

    public required string FullName { get; init; }

    /// <summary>One of Admin, ProvinceOfficer, DistrictOfficer, CommuneOfficer, Viewer.</summary>
    public required string Role { get; init; }

    /// <summary>Official code of the unit the account belongs to.</summary>
    public required string OrgUnitCode { get; init; }

    public string? Email { get; init; }

    public required bool Active { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
