namespace Antq.Notification.Api.Domain;

/// <summary>Which officers of a unit read its notices: the role that works at the unit's level.</summary>
public static class AudienceRoles
{
    static readonly string[] Officers = ["ProvinceOfficer", "DistrictOfficer", "CommuneOfficer"];

    /// <summary>Commune officers for a commune, district officers for a district, province officers for a province; any officer for another kind.</summary>
    public static IReadOnlyList<string> For(string? unitKind) => unitKind switch
    {
        "Commune" => ["CommuneOfficer"],
        "District" => ["DistrictOfficer"],
        "Province" => ["ProvinceOfficer"],
        _ => Officers,
    };
}
