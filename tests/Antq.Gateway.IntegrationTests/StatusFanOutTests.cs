using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Gateway.IntegrationTests;

/// <summary>
/// The gateway's status page merges every service's own status; a service that answers an error, answers too late or
/// is not there at all is shown as down with the reason, and the page still answers.
/// </summary>
public sealed class StatusFanOutTests : IAsyncLifetime
{
    readonly Dictionary<string, WebApplication> backends = new();
    readonly ConcurrentQueue<(string Service, string Authorization)> calls = new();
    GatewayFactory gateway = null!;

    public async Task InitializeAsync()
    {
        var addresses = new Dictionary<string, string>();
        foreach (var name in GatewayFactory.ClusterNames.Where(n => n != "classification"))
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var service = name;
            app.MapGet("/health/{**rest}", () => Results.Ok());
            app.MapGet(ServiceStatusEndpoints.Path, async (HttpRequest request) =>
            {
                calls.Enqueue((service, request.Headers.Authorization.ToString()));
                // Notification is failing; the portal hangs past the gateway's patience; the others answer.
                if (service == "notification") return Results.StatusCode(503);
                if (service == "portal") await Task.Delay(TimeSpan.FromSeconds(10));
                object[] closings = service == "reporting" ? [new { orgUnitCode = "12", period = "2026-Y" }] : [];
                return Results.Json(new
                {
                    service, version = "1.0.0", commit = "abc123", ready = service != "plan", checks = new { self = "Healthy" },
                    outboxes = new[] { new { outbox = service, unsent = 2, parked = 1, oldestUnsentAt = DateTimeOffset.UtcNow, oldestUnsentAgeSeconds = service == "identity" ? 40.5 : 3 } },
                    deadLetters = 1, queues = Array.Empty<object>(), problems = Array.Empty<string>(),
                    sections = service == "reporting" ? new Dictionary<string, object[]> { ["closings"] = closings } : new Dictionary<string, object[]>(),
                });
            });
            await app.StartAsync();
            backends[name] = app;
            addresses[name] = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        }

        // Classification is not running at all: nothing listens at its address.
        addresses["classification"] = $"http://127.0.0.1:{FreePorts.Next()}/";
        gateway = new GatewayFactory(addresses, builder => builder.UseSetting("Gateway:StatusTimeout", "00:00:02"));
    }

    HttpClient ClientAs(string role)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("quan.tri", role, "38"));
        return client;
    }

    [Fact]
    public async Task A_service_that_fails_hangs_or_is_gone_shows_as_down_with_its_reason_and_the_others_are_merged()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientAs(AntqRoles.ProvinceOfficer).GetAsync("/api/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.CreateClient().GetAsync("/api/status")).StatusCode);
        Assert.Empty(calls);

        var admin = ClientAs(AntqRoles.Admin);
        using var response = await admin.GetAsync("/api/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();
        var services = status.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("service").GetString()!);
        Assert.Equal(["classification", "gateway", "identity", "notification", "plan", "portal", "reporting"], services.Keys.Order());

        Assert.False(services["notification"].GetProperty("up").GetBoolean());
        Assert.Equal(503, services["notification"].GetProperty("httpStatus").GetInt32());
        Assert.Contains("503", services["notification"].GetProperty("reason").GetString());
        Assert.Equal("Dịch vụ không trả lời kịp thời.", services["portal"].GetProperty("reason").GetString());
        Assert.Equal("Không kết nối được tới dịch vụ.", services["classification"].GetProperty("reason").GetString());
        Assert.True(services["identity"].GetProperty("up").GetBoolean());
        Assert.Equal("abc123", services["identity"].GetProperty("commit").GetString());
        // The gateway's own entry, read in process.
        Assert.True(services["gateway"].GetProperty("up").GetBoolean());
        Assert.Equal(JsonValueKind.Array, services["gateway"].GetProperty("outboxes").ValueKind);

        // Totals over those that answered: identity, plan, reporting (each 2 unsent, 1 parked, 1 dead letter).
        var totals = status.GetProperty("totals");
        Assert.Equal(3, totals.GetProperty("down").GetInt32());
        // Plan says it is not ready; the gateway too, when its own readiness finds clusters down.
        Assert.False(services["plan"].GetProperty("ready").GetBoolean());
        Assert.Equal(services["gateway"].GetProperty("ready").GetBoolean() ? 1 : 2, totals.GetProperty("notReady").GetInt32());
        Assert.Equal(6, totals.GetProperty("outboxUnsent").GetInt64());
        Assert.Equal(3, totals.GetProperty("outboxParked").GetInt64());
        Assert.Equal(3, totals.GetProperty("deadLetters").GetInt64());
        Assert.Equal(40.5, totals.GetProperty("oldestUnsentAgeSeconds").GetDouble());

        // Reporting's section lifted to the top, once.
        Assert.Equal("12", Assert.Single(status.GetProperty("closings").EnumerateArray()).GetProperty("orgUnitCode").GetString());
        Assert.False(services["reporting"].TryGetProperty("sections", out _));
        // Each service was asked with the caller's own token, and checks it again.
        Assert.All(calls, c => Assert.Equal(admin.DefaultRequestHeaders.Authorization!.ToString(), c.Authorization));
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        foreach (var app in backends.Values) await app.DisposeAsync();
    }
}
