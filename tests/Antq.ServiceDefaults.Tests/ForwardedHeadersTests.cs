using System.Net;
using Antq.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Antq.ServiceDefaults.Tests;

/// <summary>Whose X-Forwarded-* a service believes: the proxies and networks the deployment names, nobody else.</summary>
public sealed class ForwardedHeadersTests
{
    static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Configuration["Auth:SigningKeyPem"] = TestTokens.PublicKeyPem;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/who", (HttpContext c) => $"{c.Connection.RemoteIpAddress} {c.Request.Scheme}").AllowAnonymous();
        await app.StartAsync();
        return app;
    }

    static async Task<string> AskFromAsync(WebApplication app, string from)
    {
        var context = await app.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/who";
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
            c.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
            c.Request.Headers["X-Forwarded-Proto"] = "https";
        });
        return await new StreamReader(context.Response.Body).ReadToEndAsync();
    }

    [Fact]
    public async Task A_proxy_in_a_known_network_such_as_the_pod_network_is_believed()
    {
        await using var app = await StartAsync(new() { ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8" });

        Assert.Equal("203.0.113.7 https", await AskFromAsync(app, "10.42.3.17"));
    }

    [Fact]
    public async Task A_proxy_outside_the_known_networks_and_addresses_is_not()
    {
        await using var app = await StartAsync(new() { ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8" });

        Assert.Equal("192.168.1.20 http", await AskFromAsync(app, "192.168.1.20"));
    }

    [Fact]
    public async Task Known_addresses_still_count_beside_networks_and_loopback_is_the_default()
    {
        await using var named = await StartAsync(new()
        {
            ["ForwardedHeaders:KnownProxies:0"] = "172.28.0.10",
            ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8",
        });
        await using var plain = await StartAsync(new());

        Assert.Equal("203.0.113.7 https", await AskFromAsync(named, "172.28.0.10"));
        Assert.Equal("127.0.0.1 http", await AskFromAsync(named, "127.0.0.1"));
        Assert.Equal("203.0.113.7 https", await AskFromAsync(plain, "127.0.0.1"));
        Assert.Equal("10.42.3.17 http", await AskFromAsync(plain, "10.42.3.17"));
    }

    [Fact]
    public async Task A_network_that_is_not_CIDR_stops_the_start_with_the_setting_named()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await StartAsync(new() { ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/33" });
            await AskFromAsync(app, "10.1.1.1");
        });

        Assert.Contains("ForwardedHeaders:KnownNetworks holds '10.0.0.0/33'", failure.ToString());
    }
}
