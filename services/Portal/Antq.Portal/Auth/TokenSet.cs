using System.Globalization;
using Microsoft.AspNetCore.Authentication;

namespace Antq.Portal.Auth;

/// <summary>The user's tokens from the Identity service, as the portal keeps them (server-side, never in the browser).</summary>
public sealed record TokenSet(string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt, string? IdToken)
{
    /// <summary>Reads the tokens the OpenID Connect handler saved in the session's properties.</summary>
    public static TokenSet? From(AuthenticationProperties? properties)
    {
        if (properties?.GetTokenValue("access_token") is not { Length: > 0 } access) return null;
        var expires = DateTimeOffset.TryParse(properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at : DateTimeOffset.UtcNow.AddMinutes(5);
        return new TokenSet(access, properties.GetTokenValue("refresh_token"), expires, properties.GetTokenValue("id_token"));
    }

    public void StoreIn(AuthenticationProperties properties)
    {
        var tokens = new List<AuthenticationToken>
        {
            new() { Name = "access_token", Value = AccessToken },
            new() { Name = "expires_at", Value = ExpiresAt.ToString("o", CultureInfo.InvariantCulture) },
            new() { Name = "token_type", Value = "Bearer" },
        };
        if (RefreshToken is not null) tokens.Add(new() { Name = "refresh_token", Value = RefreshToken });
        if (IdToken is not null) tokens.Add(new() { Name = "id_token", Value = IdToken });
        properties.StoreTokens(tokens);
    }

    public bool ExpiresWithin(TimeSpan margin, DateTimeOffset now) => ExpiresAt - margin <= now;
}
