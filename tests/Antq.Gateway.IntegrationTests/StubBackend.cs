using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Gateway.IntegrationTests;

/// <summary>
/// A real HTTP server on a loopback port that stands for a service behind the gateway: it answers its health probe
/// and echoes what the gateway forwarded, so tests see exactly what a service receives.
/// </summary>
public sealed class StubBackend : IAsyncDisposable
{
    readonly WebApplication app;

    StubBackend(WebApplication app, string address)
    {
        this.app = app;
        Address = address;
    }

    public string Address { get; }

    public bool Ready { get; set; } = true;

    public static async Task<StubBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseAntqCorrelationId(); // echoes the id in its answers, as every service does
        StubBackend? self = null;
        app.MapGet("/health/ready", () => self!.Ready ? Results.Ok() : Results.StatusCode(503));
        app.Map("/{**path}", async (HttpRequest request) => Results.Json(new
        {
            path = request.Path.Value,
            headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body = await new StreamReader(request.Body).ReadToEndAsync(),
        }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new StubBackend(app, address.TrimEnd('/') + "/");
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
