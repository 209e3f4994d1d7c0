using System.Net;
using System.Net.Http.Headers;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Antq.Gateway.IntegrationTests;

/// <summary>
/// A service's replica lost (its address refuses connections) while the gateway still counts it among the cluster's
/// destinations: the passive and active health checks need a few failures and seconds to take it out, and meanwhile a
/// request the gateway may repeat goes to another replica instead of answering 502.
/// </summary>
public sealed class ReplicaLossTests : IAsyncLifetime
{
    readonly Dictionary<string, StubBackend> backends = new();
    GatewayFactory gateway = null!;
    string lost = "";

    public async Task InitializeAsync()
    {
        foreach (var name in GatewayFactory.ClusterNames) backends[name] = await StubBackend.StartAsync();
        // Reporting's first replica is gone: nothing listens at its address.
        lost = $"http://127.0.0.1:{FreePorts.Next()}/";
        var addresses = backends.ToDictionary(b => b.Key, b => b.Value.Address);
        addresses["reporting"] = lost;
        gateway = new GatewayFactory(addresses, builder =>
            builder.UseSetting("ReverseProxy:Clusters:reporting:Destinations:d2:Address", backends["reporting"].Address));
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        foreach (var backend in backends.Values) await backend.DisposeAsync();
    }

    [Fact]
    public async Task Reads_reach_the_replica_that_is_left_from_the_first_request_on()
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("xa.ngocson", AntqRoles.CommuneOfficer, "12345"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.GetAsync("/api/indicators?period=2026-H1");
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task A_write_is_not_repeated_on_another_replica()
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("xa.ngocson", AntqRoles.CommuneOfficer, "12345"));

        // The balancer picks either replica; a submission sent to the lost one fails (502) rather than reaching the
        // other one a second time unasked: the person (or the client's own retry, with its If-Match) decides.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await client.PostAsync("/api/reports/12345/2026-H1/submit", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.BadGateway, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.BadGateway, s.ToString()));
    }
}
