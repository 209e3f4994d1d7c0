using System.Security.Claims;

namespace Antq.Portal.Components.Shared;

/// <summary>What the pages need to know about the signed-in user, from the claims of the session.</summary>
public sealed record CurrentUser(string UserName, string FullName, string Role, string OrgUnitCode)
{
    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var name = principal.FindFirst("name")?.Value ?? principal.FindFirst("preferred_username")?.Value ?? "";
        return new CurrentUser(name, principal.FindFirst("full_name")?.Value ?? name,
            principal.FindFirst("role")?.Value ?? "", principal.FindFirst("org_unit")?.Value ?? "");
    }

    public bool IsCommune => Role == "CommuneOfficer";
    public bool IsSupervisor => Role is "ProvinceOfficer" or "DistrictOfficer";
    public bool CanSeeBoard => Role is "ProvinceOfficer" or "DistrictOfficer" or "Viewer" or "Admin";
    public bool IsAdmin => Role == "Admin";
}
