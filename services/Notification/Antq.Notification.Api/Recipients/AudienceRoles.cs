namespace Antq.Notification.Api.Recipients;

/// <summary>Which accounts of a unit read its notices: the officers of the unit's level; its viewers (lãnh đạo, chỉ xem) too when a period closes.</summary>
public static class AudienceRoles
{
    /// <summary>The roles that read a notice of <paramref name="noticeKind"/> addressed to a unit of <paramref name="unitKind"/>.</summary>
    public static IReadOnlyList<string> For(string? unitKind, string noticeKind) =>
        noticeKind == NoticeKinds.PeriodClosed ? [.. For(unitKind), Antq.ServiceDefaults.AntqRoles.Viewer] : For(unitKind);

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
