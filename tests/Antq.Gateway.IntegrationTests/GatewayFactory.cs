using Antq.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Antq.Gateway.IntegrationTests;

/// <summary>The gateway in process, its clusters pointed at the given addresses.</summary>
public sealed class GatewayFactory(IReadOnlyDictionary<string, string> clusters, Action<IWebHostBuilder>? configure = null)
    : WebApplicationFactory<ClusterHealthCheck>
{
    public static readonly string[] ClusterNames = ["identity", "plan", "reporting", "classification", "notification", "portal"];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Auth:SigningKeyPem", TestTokens.PublicKeyPem);
        builder.UseSetting("Gateway:MaxRequestBodyBytes", "65536");
        foreach (var (cluster, address) in clusters)
        {
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:d1:Address", address);
        }

        configure?.Invoke(builder);
    }
}
