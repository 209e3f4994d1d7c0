using System.Security.Claims;
using Antq.ServiceDefaults;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Antq.Identity.Api.Tokens;

/// <summary>
/// What a token says about a user. Access tokens are read by every service with plain JwtBearer, so the claims are
/// the short names of <see cref="AntqClaims"/>: <c>sub</c>, <c>name</c> (the user name), <c>role</c>,
/// <c>org_unit</c>, plus <c>full_name</c>.
/// </summary>
public static class TokenPrincipal
{
    public const string FullName = "full_name";

    /// <summary>The scopes a client may ask for; anything else is refused by the server before our code runs.</summary>
    public static readonly string[] SupportedScopes = [Scopes.OpenId, Scopes.OfflineAccess, Scopes.Profile, Scopes.Email, Scopes.Roles];

    /// <summary>A new sign-in: the user's current data, the granted scopes, the platform API as the audience.</summary>
    public static ClaimsPrincipal Create(User user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetScopes(scopes);
        identity.SetResources(AntqClaims.Audience);
        return Finish(identity, user);
    }

    /// <summary>
    /// A code or refresh token redeemed: keep what the server recorded (scopes, audience, authorization), but take
    /// the user's data as it is now, so a changed role or unit shows in the next access token.
    /// </summary>
    public static ClaimsPrincipal Refresh(ClaimsPrincipal previous, User user)
    {
        var identity = new ClaimsIdentity(previous.Claims, TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        return Finish(identity, user);
    }

    static ClaimsPrincipal Finish(ClaimsIdentity identity, User user)
    {
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(AntqClaims.Name, user.UserName)
            .SetClaim(AntqClaims.Role, user.Role)
            .SetClaim(AntqClaims.OrgUnit, user.OrgUnitCode)
            .SetClaim(FullName, user.FullName)
            .SetClaim(Claims.Email, user.Email);

        identity.SetDestinations(claim => Destinations(claim, identity));
        return new ClaimsPrincipal(identity);
    }

    static IEnumerable<string> Destinations(Claim claim, ClaimsIdentity identity)
    {
        switch (claim.Type)
        {
            case Claims.Subject:
            case AntqClaims.Name:
            case AntqClaims.Role:
            case AntqClaims.OrgUnit:
            case FullName:
                yield return OpenIddictConstants.Destinations.AccessToken;
                yield return OpenIddictConstants.Destinations.IdentityToken;
                yield break;

            case Claims.Email when identity.HasScope(Scopes.Email):
                yield return OpenIddictConstants.Destinations.IdentityToken;
                yield break;

            // Anything else (security stamps, internal claims) stays on the server.
            default:
                yield break;
        }
    }
}
