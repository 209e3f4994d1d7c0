using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Antq.ServiceDefaults;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Testing;

/// <summary>
/// One service in process (WebApplicationFactory) on its own database and virtual host of the real PostgreSQL and
/// RabbitMQ. <typeparamref name="TEntryPoint"/> is any public type of the service's assembly.
/// </summary>
public class ServiceFactory<TEntryPoint>(string connectionName, TestDatabase database, TestVirtualHost virtualHost)
    : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    /// <summary>Extra settings a test class needs (key: configuration path, as in appsettings).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    /// <summary>
    /// The platform's clock for this host when a test shares one across several services (a season of a past year,
    /// a deadline made to pass); null for the clock the configuration gives.
    /// </summary>
    public PlatformClock? Clock { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting($"ConnectionStrings:{connectionName}", database.ConnectionString);
        builder.UseSetting("ConnectionStrings:rabbitmq", virtualHost.AmqpUri);
        builder.UseSetting("Auth:SigningKeyPem", TestTokens.PublicKeyPem);
        builder.UseSetting("ANTQ_MODE", "local");
        // The test servers speak plaintext; a test that sets another mode still reaches them (docs/security.md).
        builder.UseSetting("Transport:AllowPlaintext", "true");
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
        builder.UseSetting("Bus:ManagementUrl", TestEnvironment.RabbitApi);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (Clock is { } clock)
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(clock);
                services.AddSingleton<TimeProvider>(clock);
            });
    }

    /// <summary>
    /// Starts the service and waits until its bus is connected and its consumers' queues are bound: a message published
    /// before that goes to an exchange with no queue yet and is lost (MassTransit starts the bus after the host answers).
    /// </summary>
    public async Task StartAsync(TimeSpan? patience = null)
    {
        _ = Server;
        var health = await Services.GetRequiredService<IBusControl>()
            .WaitForHealthStatus(BusHealthStatus.Healthy, patience ?? TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
            throw new InvalidOperationException($"the {connectionName} service's bus did not become healthy: {health}");
    }

    /// <summary>A client that calls the service as <paramref name="userName"/> with a role and unit.</summary>
    public HttpClient CreateClientAs(string userName, string role, string orgUnitCode)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue(userName, role, orgUnitCode));
        return client;
    }
}
