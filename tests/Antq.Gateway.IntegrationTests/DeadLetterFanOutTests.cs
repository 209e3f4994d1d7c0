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

/// <summary>The gateway merges every service's dead letters and sends a redrive to the service an id names.</summary>
public sealed class DeadLetterFanOutTests : IAsyncLifetime
{
    readonly Dictionary<string, WebApplication> backends = new();
    readonly ConcurrentQueue<(string Service, string Method, string Path, string Authorization)> calls = new();
    GatewayFactory gateway = null!;

    public async Task InitializeAsync()
    {
        var addresses = new Dictionary<string, string>();
        foreach (var name in GatewayFactory.ClusterNames)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var service = name;
            app.MapGet("/health/{**rest}", () => Results.Ok());
            app.Map("/api/dead-letters/{**rest}", (HttpRequest request) =>
            {
                calls.Enqueue((service, request.Method, request.Path.Value!, request.Headers.Authorization.ToString()));
                // The portal has no bus; notification is down; the others each hold one dead letter.
                if (service == "portal") return Results.NotFound();
                if (service == "notification") return Results.StatusCode(503);
                if (request.Method == "GET")
                    return Results.Json(new[] { new { id = $"{service}:queue:{service}-x:1", service, kind = "queue" } });
                return Results.Json(new { redriven = 1 });
            });
            await app.StartAsync();
            backends[name] = app;
            addresses[name] = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        }

        gateway = new GatewayFactory(addresses);
    }

    HttpClient ClientAs(string role)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("quan.tri", role, "38"));
        return client;
    }

    [Fact]
    public async Task An_administrator_sees_every_services_dead_letters_and_redrives_one_at_the_service_holding_it()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientAs(AntqRoles.ProvinceOfficer).GetAsync("/api/dead-letters")).StatusCode);
        Assert.Empty(calls);

        var admin = ClientAs(AntqRoles.Admin);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/dead-letters");
        Assert.Equal(new[] { "classification", "identity", "plan", "reporting" },
            list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("service").GetString()!).Order().ToArray());
        Assert.Equal(new[] { "notification" }, list.GetProperty("unreachable").EnumerateArray().Select(s => s.GetString()!).ToArray());
        // Each service was asked with the caller's own token, and checks it again.
        Assert.All(calls, c => Assert.Equal(admin.DefaultRequestHeaders.Authorization!.ToString(), c.Authorization));

        while (calls.TryDequeue(out _)) { }
        using var one = await admin.PostAsync("/api/dead-letters/plan:queue:plan-x:1/redrive", null);
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var call = Assert.Single(calls);
        Assert.Equal(("plan", "POST", "/api/dead-letters/plan:queue:plan-x:1/redrive"), (call.Service, call.Method, call.Path));

        using var unknown = await admin.PostAsync("/api/dead-letters/khong-co:queue:x:1/redrive", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("không bắt đầu bằng tên một dịch vụ", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var all = await (await admin.PostAsync("/api/dead-letters/redrive", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, all.GetProperty("redriven").GetInt32());
        Assert.Equal(new[] { "notification" }, all.GetProperty("unreachable").EnumerateArray().Select(s => s.GetString()!).ToArray());
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        foreach (var app in backends.Values) await app.DisposeAsync();
    }
}
