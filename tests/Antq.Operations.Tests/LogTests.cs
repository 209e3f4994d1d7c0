using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Testing;

namespace Antq.Operations.Tests;

/// <summary>
/// Logs as an operator of a real deployment reads them: the platform as separate processes outside local mode, at the
/// Information level, serving real requests (a sign-in with a password, a wrong one, a call with the bearer token, a
/// webhook registered with its secret). Every line each process wrote is one JSON object; the lines written inside a
/// request carry its trace and span ids, the service, the user and the unit; and no password, token or webhook secret
/// appears anywhere in the output.
/// </summary>
public sealed class LogTests
{
    const string WrongPassword = "Sai-mat-khau-Lan-2026";
    const string WebhookSecret = "khoa-ky-webhook-KHONG-DUOC-GHI-2026";

    [Fact]
    public async Task Outside_local_mode_logs_are_json_lines_with_the_request_context_and_no_secret()
    {
        var adminPassword = "Quan-tri-Nhat-ky-" + Guid.NewGuid().ToString("N")[..8];
        string token;
        string logDirectory;
        await using (var platform = await PlatformProcesses.StartAsync(new PlatformOptions
        {
            Label = "logs",
            AdminPassword = adminPassword,
            Settings = new()
            {
                ["*"] = new()
                {
                    ["ANTQ_MODE"] = "production",
                    // The test servers speak plaintext (outside local mode TLS is otherwise required, docs/security.md).
                    ["Transport:AllowPlaintext"] = "true",
                    ["Logging:LogLevel:Default"] = "Information",
                    ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
                },
                // Outside local mode a webhook reaches only public addresses unless the administrator allows a network.
                ["notification"] = new() { ["Notification:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8" },
            },
        }))
        {
            logDirectory = platform.LogDirectory;
            using var client = new HttpClient { BaseAddress = new Uri(platform.Gateway) };

            using (var refused = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
                   {
                       ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = "admin", ["password"] = WrongPassword,
                   })))
            {
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            }

            token = await platform.TokenAsync("admin", adminPassword);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            using (var me = await client.GetAsync("api/users/me"))
            {
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            }

            using (var contact = await client.PutAsJsonAsync("api/contact-points/BCA", new
                   {
                       emails = new[] { "quantri@antq.local" },
                       webhookUrl = "http://127.0.0.1:9/hook",
                       webhookSecret = WebhookSecret,
                   }))
            {
                Assert.True(contact.IsSuccessStatusCode, await contact.Content.ReadAsStringAsync());
            }
        }

        // Disposed: every process stopped and its output is complete.
        var files = Directory.GetFiles(logDirectory, "*.log");
        Assert.Equal(6, files.Length);
        var lines = new List<(string Process, string Text, JsonElement Json)>();
        foreach (var file in files)
        {
            var process = Path.GetFileNameWithoutExtension(file);
            foreach (var text in await File.ReadAllLinesAsync(file))
            {
                if (text.StartsWith("==== start", StringComparison.Ordinal) || text.Length == 0) continue; // the harness's own marker
                JsonElement json;
                try
                {
                    json = JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException)
                {
                    throw new Xunit.Sdk.XunitException($"{process} wrote a line that is not JSON: {text}");
                }

                Assert.Equal(JsonValueKind.Object, json.ValueKind);
                Assert.Equal("antq-" + process, json.GetProperty("service").GetString());
                lines.Add((process, text, json));
            }
        }

        Assert.True(lines.Count > 20, $"only {lines.Count} lines logged");

        // Never a password (right or wrong), the token or any of its parts, or the webhook's secret.
        var secrets = new[] { adminPassword, WrongPassword, WebhookSecret, token, token.Split('.')[1], token.Split('.')[2] };
        foreach (var (process, text, _) in lines)
        {
            foreach (var secret in secrets)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{process} logged a secret: {text}");
        }

        // Inside the webhook's registration, Notification's lines name the user and the unit, with the trace and span.
        var registration = lines.Where(l => l.Process == "notification" && Field(l.Json, "user") == "admin"
            && Field(l.Json, "scope", "RequestPath") == "/api/contact-points/BCA").ToList();
        Assert.NotEmpty(registration);
        foreach (var (_, text, json) in registration)
        {
            Assert.Equal("BCA", Field(json, "unit"));
            Assert.Matches("^[0-9a-f]{32}$", Field(json, "trace_id") ?? text);
            Assert.Matches("^[0-9a-f]{16}$", Field(json, "span_id") ?? text);
            Assert.NotNull(Field(json, "timestamp"));
            Assert.NotNull(Field(json, "level"));
            Assert.NotNull(Field(json, "message"));
        }

        // One trace from the gateway to the service: the gateway logged the same request under the same trace id.
        var traceId = Field(registration[0].Json, "trace_id");
        Assert.Contains(lines, l => l.Process == "gateway" && Field(l.Json, "trace_id") == traceId);
    }

    static string? Field(JsonElement json, params string[] path)
    {
        foreach (var name in path)
        {
            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty(name, out json)) return null;
        }

        return json.ValueKind == JsonValueKind.String ? json.GetString() : json.ToString();
    }
}
