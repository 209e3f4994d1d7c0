using System.Security.Cryptography;
using Antq.Classification.Api.Data;
using Antq.Identity.Api.Data;
using Antq.Notification.Api.Data;
using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Antq.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Api.Tests;

/// <summary>One running service as the API tests see it: its name, its endpoints and a client.</summary>
public sealed record ApiService(string Name, IServiceProvider Services, HttpClient Client)
{
    /// <summary>
    /// Every endpoint the app maps, with the route it answers; health, /metrics (docs/observability.md) and the document
    /// itself left out, and at the gateway the routes it passes on (each service documents its own) and the reference
    /// pages of /docs (excluded from the document).
    /// </summary>
    public IReadOnlyList<RouteEndpoint> Endpoints() =>
        [.. Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && !route.StartsWith("/health", StringComparison.Ordinal) && !route.StartsWith("/openapi", StringComparison.Ordinal)
                && route != Antq.ServiceDefaults.MetricsEndpoint.Path
                && e.Metadata.GetMetadata<Yarp.ReverseProxy.Model.RouteModel>() is null
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })];
}

/// <summary>
/// The five backend services in process, each on its own database and virtual host, and the gateway (its own routes:
/// the platform's status and dead letters; the services behind it are not asked for a document).
/// </summary>
public sealed class ApiServices : IAsyncLifetime
{
    readonly List<IAsyncDisposable> disposables = [];
    TestVirtualHost vhost = null!;

    public IReadOnlyList<ApiService> All { get; private set; } = [];

    public async Task InitializeAsync()
    {
        vhost = await TestVirtualHost.CreateAsync("api");
        var key = RSA.Create(2048);
        All = await Task.WhenAll(
            StartAsync<IdentityDbContext>("identity", s =>
            {
                s["Identity:SigningKeyPem"] = key.ExportPkcs8PrivateKeyPem();
                s["ANTQ_ADMIN_PASSWORD"] = "Api@docs-2026";
            }),
            StartAsync<PlanDbContext>("plan"),
            StartAsync<ReportingDbContext>("reporting"),
            StartAsync<ClassificationDbContext>("classification"),
            StartAsync<NotificationDbContext>("notification"));
        All = [.. All, StartGateway()];
    }

    ApiService StartGateway()
    {
        var factory = new WebApplicationFactory<Antq.Gateway.ClusterHealthCheck>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Auth:SigningKeyPem", TestTokens.PublicKeyPem);
            builder.UseSetting("ANTQ_MODE", "local");
        });
        disposables.Add(factory);
        return new ApiService("gateway", factory.Services, factory.CreateClient());
    }

    async Task<ApiService> StartAsync<TContext>(string name, Action<Dictionary<string, string?>>? configure = null) where TContext : class
    {
        var database = await TestDatabase.CreateAsync("api-" + name);
        var factory = new ServiceFactory<TContext>(name, database, vhost);
        configure?.Invoke(factory.Settings);
        disposables.Add(database);
        disposables.Add(factory);
        var client = factory.CreateClient();
        return new ApiService(name, factory.Services, client);
    }

    public async Task DisposeAsync()
    {
        foreach (var service in All) service.Client.Dispose();
        for (var i = disposables.Count - 1; i >= 0; i--) await disposables[i].DisposeAsync();
        await vhost.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiServicesCollection : ICollectionFixture<ApiServices>
{
    public const string Name = "api services";
}
