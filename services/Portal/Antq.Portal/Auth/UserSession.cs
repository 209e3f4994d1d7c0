using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Antq.Portal.Auth;

/// <summary>
/// The signed-in user's tokens for the lifetime of one scope: the initial HTTP request captures them from the session
/// (App.razor), and <see cref="PersistentComponentState"/> carries them, protected, into the interactive circuit that
/// follows, where HttpContext no longer exists. Expired tokens are refreshed with the refresh token.
/// </summary>
public sealed class UserSession : IDisposable
{
    const string StateKey = "antq-session-tokens";
    readonly TokenRefresher refresher;
    readonly PersistingComponentStateSubscription subscription;
    TokenSet? tokens;

    public UserSession(PersistentComponentState state, TokenRefresher refresher)
    {
        this.refresher = refresher;
        if (state.TryTakeFromJson<TokenSet>(StateKey, out var restored)) tokens = restored;
        subscription = state.RegisterOnPersisting(() =>
        {
            if (tokens is not null) state.PersistAsJson(StateKey, tokens);
            return Task.CompletedTask;
        }, RenderMode.InteractiveServer);
    }

    public bool HasTokens => tokens is not null;

    /// <summary>Called during the initial HTTP request with the tokens of the cookie session.</summary>
    public void Capture(TokenSet? captured)
    {
        if (captured is not null) tokens = captured;
    }

    /// <summary>A valid access token, refreshed when needed; null when the user must sign in again.</summary>
    public async Task<string?> AccessTokenAsync(CancellationToken cancellationToken)
    {
        if (tokens is null) return null;
        var fresh = await refresher.EnsureFreshAsync(tokens, cancellationToken);
        if (fresh is not null) tokens = fresh;
        return fresh?.AccessToken;
    }

    public void Dispose() => subscription.Dispose();
}
