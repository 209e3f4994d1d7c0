using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Antq.Demo;

/// <summary>A failure of the demo season: what was being done and what the platform answered.</summary>
public sealed class DemoException(string message) : Exception(message);

/// <summary>The platform's public API through the gateway, signed in as one account (password grant, as a script signs in).</summary>
public sealed class DemoApi : IDisposable
{
    readonly HttpClient http;

    public DemoApi(Uri gateway, string username, string password)
    {
        Username = username;
        http = new HttpClient(new SignedIn(gateway, username, password) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = gateway,
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    public string Username { get; }

    public Task<JsonElement> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<JsonElement> PostAsync(string path, object? body) => SendAsync(HttpMethod.Post, path, body);

    public Task<JsonElement> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, body);

    public Task<JsonElement> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, body);

    /// <summary>The status and body of a request, whatever the status (for the answers a step expects, such as 404 or 409).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> TryAsync(HttpMethod method, string path, object? body = null,
        string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var trimmed = text.TrimStart();
        var json = trimmed.StartsWith('{') || trimmed.StartsWith('[') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, json, response);
    }

    async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (status, json, response) = await TryAsync(method, path, body);
            using (response)
            {
                // The gateway's write limit per user and minute: wait as long as it says, then go on.
                if (status == HttpStatusCode.TooManyRequests && attempt < 20)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2));
                    continue;
                }

                // Two late reports of one district's communes both reach the district's consolidated draft: the second
                // can find it changed under it (412) and is sent again, as an officer would after reloading.
                if (status == HttpStatusCode.PreconditionFailed && attempt < 6)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
                    continue;
                }

                if ((int)status >= 400)
                    throw new DemoException($"{Username}: {method} {path} → {(int)status} {(json.ValueKind == JsonValueKind.Undefined ? "" : json.ToString())}");
                return json;
            }
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>Signs in once and again when the token is ten minutes old (tokens keep real time, whatever the platform's clock says).</summary>
    sealed class SignedIn(Uri gateway, string username, string password) : DelegatingHandler
    {
        readonly SemaphoreSlim gate = new(1, 1);
        string? token;
        DateTimeOffset issuedAt;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (token is null || DateTimeOffset.UtcNow - issuedAt > TimeSpan.FromMinutes(10))
                {
                    token = await TokenAsync(cancellationToken);
                    issuedAt = DateTimeOffset.UtcNow;
                }
            }
            finally
            {
                gate.Release();
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await base.SendAsync(request, cancellationToken);
        }

        async Task<string> TokenAsync(CancellationToken ct)
        {
            using var client = new HttpClient { BaseAddress = gateway };
            using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = username, ["password"] = password,
            }), ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) throw new DemoException($"{username} không đăng nhập được: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
        }
    }
}
