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
            .SelectMany(cluster => cluster.Destinations.Values.Select(destination => (cluster.ClusterId, destination.Model.Config.Address)))
            .Select(async target =>
            {
                try
                {
                    using var response = await client.GetAsync(new Uri(new Uri(target.Address), "/health/ready"), cancellationToken);
                    return (target.ClusterId, Healthy: response.IsSuccessStatusCode, Status: ((int)response.StatusCode).ToString());
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return (target.ClusterId, Healthy: false, Status: "unreachable");
                }
            });

        var results = await Task.WhenAll(checks);
        var data = results.ToDictionary(r => r.ClusterId, r => (object)r.Status);
        return results.All(r => r.Healthy)
            ? HealthCheckResult.Healthy($"{results.Length} clusters ready", data)
            : HealthCheckResult.Unhealthy("Not ready: " + string.Join(", ", results.Where(r => !r.Healthy).Select(r => r.ClusterId)), data: data);
    }
}
