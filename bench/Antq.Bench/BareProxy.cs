using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Antq.Bench;

/// <summary>
/// A second reference of the gateway measurement, in a process of its own: YARP with nothing else (the version the
/// gateway uses, one catch-all route to the same service, no token check, no limits, no telemetry, no headers of
/// ours). Set beside the gateway it shows how much of the gateway's cost is the proxy hop itself on this machine and
/// how much is what the gateway adds to it.
/// </summary>
static class BareProxy
{
    public static async Task RunAsync(int port, string destination)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "service", Match = new RouteMatch { Path = "/{**rest}" } }],
            [new ClusterConfig { ClusterId = "service", Destinations = new Dictionary<string, DestinationConfig> { ["d1"] = new() { Address = destination } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.RunAsync();
    }
}
