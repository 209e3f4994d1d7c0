using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace Antq.Gateway;

/// <summary>The gateway is ready when every cluster behind it is: each destination's <c>/health/ready</c> is asked.</summary>
public sealed class ClusterHealthCheck(IProxyStateLookup proxy, IHttpClientFactory clients) : IHealthCheck
{
    public const string HttpClientName = "cluster-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var client = clients.CreateClient(HttpClientName);
        var checks = proxy.GetClusters()
            .SelectMany(cluster => cluster.Destinations.Values.Select(destination =>
                (cluster.ClusterId, destination.DestinationId, destination.Model.Config.Address, Count: cluster.Destinations.Count)))
            .Select(async target =>
            {
                try
                {
                    using var response = await client.GetAsync(new Uri(new Uri(target.Address), "/health/ready"), cancellationToken);
                    return (target, Healthy: response.IsSuccessStatusCode, Status: ((int)response.StatusCode).ToString());
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return (target, Healthy: false, Status: "unreachable");
                }
            });

        var results = await Task.WhenAll(checks);
        // A cluster is ready while any of its instances is: the proxy's own health checks steer requests away from the
        // others. Each instance is listed too where a cluster has several.
        var clusters = results.GroupBy(r => r.target.ClusterId)
            .Select(g => (Cluster: g.Key, Healthy: g.Any(r => r.Healthy), Status: g.FirstOrDefault(r => r.Healthy).Status ?? g.First().Status))
            .ToList();
        var data = clusters.ToDictionary(c => c.Cluster, c => (object)c.Status);
        foreach (var result in results.Where(r => r.target.Count > 1))
            data[$"{result.target.ClusterId}/{result.target.DestinationId}"] = result.Status;

        return clusters.All(c => c.Healthy)
            ? HealthCheckResult.Healthy($"{clusters.Count} clusters ready", data)
            : HealthCheckResult.Unhealthy("Not ready: " + string.Join(", ", clusters.Where(c => !c.Healthy).Select(c => c.Cluster)), data: data);
    }
}
