namespace Antq.Classification.Api.Units;

/// <summary>
/// The kinds of unit a score sheet or a safe-standard list is written for (đối tượng phân loại). Agencies, enterprises
/// and schools share one sheet, as Quyết định 510 groups them.
/// </summary>
public static class SubjectKinds
{
    public const string Commune = "Commune";
    public const string District = "District";
    public const string ResidentialArea = "ResidentialArea";
    public const string AgencyEnterpriseSchool = "AgencyEnterpriseSchool";

    public static readonly IReadOnlyList<string> All = [Commune, AgencyEnterpriseSchool, ResidentialArea, District];

    public static string Label(string kind) => kind switch
    {
        Commune => "xã, phường, đặc khu",
        District => "huyện, quận, thị xã, thành phố thuộc tỉnh",
        ResidentialArea => "khu dân cư (thôn, tổ dân phố)",
        AgencyEnterpriseSchool => "cơ quan, doanh nghiệp, cơ sở giáo dục",
        _ => kind,
    };

    /// <summary>The subject kind of a unit of the tree (its Kind as the Plan service names it); null for units that are not classified.</summary>
    public static string? OfUnitKind(string unitKind) => unitKind switch
    {
        "Commune" => Commune,
        "District" => District,
        "ResidentialArea" => ResidentialArea,
        "Agency" or "Enterprise" or "School" => AgencyEnterpriseSchool,
        _ => null,
    };

    /// <summary>Accepts the API's names case-insensitively ("commune", "agency-enterprise-school").</summary>
    public static string? Parse(string? text)
    {
        if (text is null) return null;
        var bare = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return All.FirstOrDefault(k => string.Equals(k, bare, StringComparison.OrdinalIgnoreCase));
    }
}
