using System.Security.Claims;

namespace Antq.ServiceDefaults;

/// <summary>Claim names carried by the platform's access tokens, and the roles.</summary>
public static class AntqClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    /// <summary>The official code of the unit the account belongs to (<c>orgUnitCode</c>).</summary>
    public const string OrgUnit = "org_unit";
    public const string Audience = "antq-api";

    public static string? OrgUnitCode(this ClaimsPrincipal user) => user.FindFirst(OrgUnit)?.Value;
    public static string? UserName(this ClaimsPrincipal user) => user.FindFirst(Name)?.Value ?? user.FindFirst("preferred_username")?.Value;
    public static string? UserId(this ClaimsPrincipal user) => user.FindFirst(Subject)?.Value;
}

/// <summary>The roles of the platform (<c>Admin</c>, <c>ProvinceOfficer</c>, <c>DistrictOfficer</c>, <c>CommuneOfficer</c>, <c>Viewer</c>).</summary>
public static class AntqRoles
{
    public const string Admin = "Admin";
    public const string ProvinceOfficer = "ProvinceOfficer";
    public const string DistrictOfficer = "DistrictOfficer";
    public const string CommuneOfficer = "CommuneOfficer";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, ProvinceOfficer, DistrictOfficer, CommuneOfficer, Viewer];
}
