using System.Net.Http.Json;
using System.Text.Json;

namespace Antq.Cli.SignIn;

/// <summary>
/// Identity's token endpoint through the gateway (<c>connect/token</c>), as the public client <c>antq-cli</c>: the
/// password grant with <c>offline_access</c>, so that a refresh token comes with the access token, and the refresh
/// grant that renews both (each refresh token is used once). Refusals come back in Vietnamese from Identity.
/// </summary>
public sealed class TokenEndpoint(Uri gateway, TimeProvider clock)
{
    public const string ClientId = "antq-cli";

    public Task<SavedSession> PasswordAsync(string username, string password, CancellationToken ct) =>
        RequestAsync(username, new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = ClientId, ["username"] = username, ["password"] = password,
            ["scope"] = "offline_access profile roles",
        }, ct);

    public Task<SavedSession> RefreshAsync(SavedSession session, CancellationToken ct) =>
        RequestAsync(session.Username, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = ClientId, ["refresh_token"] = session.RefreshToken ?? "",
        }, ct);

    /// <summary>Revokes the refresh token (signing out); a token already gone is no failure.</summary>
    public async Task RevokeAsync(SavedSession session, CancellationToken ct)
    {
        if (session.RefreshToken is null) return;
        using var http = new HttpClient { BaseAddress = gateway };
        using var _ = await http.PostAsync("connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = session.RefreshToken, ["token_type_hint"] = "refresh_token", ["client_id"] = ClientId,
        }), ct);
    }

    async Task<SavedSession> RequestAsync(string username, Dictionary<string, string> form, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(1) };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync("connect/token", new FormUrlEncodedContent(form), ct);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(gateway, ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonElement body;
            try
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                throw new CliException($"Cổng {gateway} trả lời không phải của máy chủ xác thực ({(int)response.StatusCode}).", ExitCodes.NotSignedIn);
            }

            if (!response.IsSuccessStatusCode || !body.TryGetProperty("access_token", out var access))
            {
                var reason = body.TryGetProperty("error_description", out var description) ? description.GetString()
                    : body.TryGetProperty("detail", out var detail) ? detail.GetString()
                    : $"mã {(int)response.StatusCode}";
                throw new CliException($"Đăng nhập không thành công: {reason}", ExitCodes.NotSignedIn);
            }

            var lifetime = body.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) ? seconds : 300;
            var refresh = body.TryGetProperty("refresh_token", out var r) ? r.GetString() : form.GetValueOrDefault("refresh_token");
            return new SavedSession(gateway.ToString(), username, access.GetString()!, clock.GetUtcNow().AddSeconds(lifetime), refresh);
        }
    }

    public static CliException Unreachable(Uri gateway, Exception ex) =>
        new($"Không kết nối được tới cổng {gateway}: {ex.Message}. Kiểm tra địa chỉ (--gateway hoặc biến ANTQ_GATEWAY) và nền tảng đang chạy.", ExitCodes.Unreachable);
}
