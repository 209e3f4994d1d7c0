using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Antq.Gateway;

/// <summary>
/// A lost replica costs the people using it nothing on reads. Until the health checks take a replica that has gone out
/// of its cluster (the passive check after a few failed requests, the active one after two failed probes, 5 s apart),
/// the balancer still sends it requests, and each one answered 502. A request the gateway may repeat — GET or HEAD,
/// without a body — whose replica could not be reached (connection refused or reset, or not connected within
/// <c>Gateway:ConnectTimeout</c>) before any answer started is sent once more, to another replica of the cluster that the
/// health checks have not taken out. A write is never repeated by the gateway: it may have reached the service.
/// </summary>
public static class ReplicaRetry
{
    /// <summary>How long the gateway waits for a replica to accept a connection (YARP's own default is 15 s).</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(3);

    public static IReverseProxyBuilder WithConnectTimeout(this IReverseProxyBuilder proxy, IConfiguration configuration)
    {
        var timeout = configuration.GetValue("Gateway:ConnectTimeout", DefaultConnectTimeout);
        if (timeout <= TimeSpan.Zero) throw new InvalidOperationException("Gateway:ConnectTimeout must be positive.");
        return proxy.ConfigureHttpClient((_, handler) => handler.ConnectTimeout = timeout);
    }

    /// <summary>Goes before the balancer in the proxy pipeline, so that the second try is balanced over the replicas left.</summary>
    public static IReverseProxyApplicationBuilder UseRetryOnAnotherReplica(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            var feature = context.GetReverseProxyFeature();
            var candidates = feature.AvailableDestinations;
            await next();

            if (!Repeatable(context.Request) || context.Response.HasStarted) return;
            if (context.GetForwarderErrorFeature() is not { Error: ForwarderError.Request }) return;
            var failed = feature.ProxiedDestination;
            var others = candidates.Where(d => !ReferenceEquals(d, failed) && Usable(d)).ToList();
            if (failed is null || others.Count == 0) return;

            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            feature.AvailableDestinations = others;
            GatewayMetrics.RequestRetried(feature.Cluster.Config.ClusterId);
            await next();
        });
        return proxy;
    }

    static bool Repeatable(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.ContentLength is null or 0
        && !request.Headers.ContainsKey("Transfer-Encoding");

    static bool Usable(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;
}
