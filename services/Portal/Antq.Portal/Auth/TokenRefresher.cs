using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;

namespace Antq.Portal.Auth;

/// <summary>
/// Refreshes an access token with the refresh token when it is about to expire. The Identity service rotates refresh
/// tokens (a used one may not be used again), yet the same tokens live both in the session store (refreshed on page
/// loads) and in open circuits (refreshed while a page stays open); so every refresh is recorded here under the refresh
/// token it used, and whoever comes later with that old token gets the newer set instead of a second redemption.
/// </summary>
public sealed class TokenRefresher(IHttpClientFactory httpClients, IMemoryCache cache, TimeProvider clock, ILogger<TokenRefresher> logger)
{
    public const string HttpClientName = "antq-identity";
    public const string ClientId = "antq-portal";
    static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many refreshes a session may be behind: an open page refreshes in its circuit, and the next page load starts
    /// again from the session's older set and follows the chain. With 15-minute access tokens, four links an hour for as
    /// long as the chain is remembered (12 hours).
    /// </summary>
    public const int MaxChain = 64;
    readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    /// <summary>Fresh tokens: the same set while it is still valid, a refreshed one otherwise, null when the session cannot go on.</summary>
    public async Task<TokenSet?> EnsureFreshAsync(TokenSet tokens, CancellationToken cancellationToken)
    {
        for (var hops = 0; hops < MaxChain; hops++)
        {
            if (!tokens.ExpiresWithin(Margin, clock.GetUtcNow())) return tokens;
            if (tokens.RefreshToken is not { } refresh) return null;
            if (cache.TryGetValue(Key(refresh), out TokenSet? newer) && newer is not null)
            {
                tokens = newer;
                continue;
            }

            var gate = gates.GetOrAdd(refresh, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (cache.TryGetValue(Key(refresh), out newer) && newer is not null)
                {
                    tokens = newer;
                    continue;
                }

                newer = await RedeemAsync(refresh, tokens, cancellationToken);
                if (newer is null) return null;
                cache.Set(Key(refresh), newer, TimeSpan.FromHours(12));
                return newer;
            }
            finally
            {
                gate.Release();
                gates.TryRemove(refresh, out _);
            }
        }

        return null;
    }

    static string Key(string refreshToken) => "antq-refreshed:" + refreshToken;

    async Task<TokenSet?> RedeemAsync(string refreshToken, TokenSet previous, CancellationToken cancellationToken)
    {
        var client = httpClients.CreateClient(HttpClientName);
        using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = ClientId,
            ["refresh_token"] = refreshToken,
        }), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("Refreshing the access token failed with status {Status}; the user must sign in again", (int)response.StatusCode);
            return null;
        }

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = body.RootElement;
        var access = root.GetProperty("access_token").GetString()!;
        var expiresIn = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 300;
        var newRefresh = root.TryGetProperty("refresh_token", out var r) ? r.GetString() : refreshToken;
        var idToken = root.TryGetProperty("id_token", out var i) ? i.GetString() : previous.IdToken;
        return new TokenSet(access, newRefresh, clock.GetUtcNow().AddSeconds(expiresIn), idToken);
    }
}
