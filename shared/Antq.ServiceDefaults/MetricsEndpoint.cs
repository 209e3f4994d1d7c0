using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Antq.ServiceDefaults;

/// <summary>
/// <c>GET /metrics</c>: the process's meters in Prometheus' text format (OpenTelemetry's Prometheus exporter; a scrape
/// collects, nothing is read while nobody scrapes). Who may read it: the figures say how busy the platform is and where
/// it fails, which is nobody's business outside the operators, so the endpoint answers only a connection from loopback
/// (Prometheus on the same machine, as <c>deploy/antq up --observe</c> runs it) or from a network named in
/// <c>Metrics:AllowedNetworks</c> (CIDR, e.g. a cluster's pod network where Prometheus scrapes the pods), and never a
/// request that came through a proxy (one carrying <c>X-Forwarded-For</c>): the gateway's public door, an ingress in
/// front of it. Anybody else gets 404, as if there were nothing there. The gateway routes no <c>/metrics</c> to the
/// services or the portal: its own endpoint wins over the portal's catch-all route.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static WebApplication MapAntqMetrics(this WebApplication app)
    {
        var allowed = AllowedNetworks(app.Configuration);
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(Path) && !MayRead(context, allowed))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await next(context);
        });
        app.MapPrometheusScrapingEndpoint(Path).AllowAnonymous();
        return app;
    }

    /// <summary>A direct connection (no proxy on the way) from loopback or from one of <paramref name="allowed"/>.</summary>
    public static bool MayRead(HttpContext context, IReadOnlyList<IPNetwork> allowed)
    {
        var headers = context.Request.Headers;
        // The forwarded-headers middleware moves X-Forwarded-For to X-Original-For when it believes the proxy.
        if (headers.ContainsKey("X-Forwarded-For") || headers.ContainsKey("X-Original-For") || headers.ContainsKey("Forwarded")) return false;
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return IPAddress.IsLoopback(address) || allowed.Any(network => network.Contains(address));
    }

    static List<IPNetwork> AllowedNetworks(IConfiguration configuration) =>
        (configuration.GetSection("Metrics:AllowedNetworks").Get<string[]>() ?? [])
        .Select(network => IPNetwork.TryParse(network, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"Metrics:AllowedNetworks holds '{network}', which is not a network in CIDR notation (such as 10.0.0.0/8)."))
        .ToList();
}
