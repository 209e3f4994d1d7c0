using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Antq.ServiceDefaults;

/// <summary>
/// The one place where telemetry, health, errors, authentication and API documents are set up.
/// Every service and the gateway call <see cref="AddServiceDefaults"/> and <see cref="MapDefaultEndpoints"/>.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        SettingsCheck.InstallRefusalHandler();
        builder.AddAntqLogging();
        builder.AddAntqTelemetry();
        builder.AddAntqProblemDetails();
        builder.Services.AddAntqStrictJsonBodies();
        builder.AddAntqAuthentication();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.AddHostedService<ReadinessGauge>();

        builder.Services.AddAntqOpenApi(builder.Environment);
        var clock = PlatformClock.FromConfiguration(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<PlatformClock>());

        // Read at start like every other setting, so that a wrong proxy or network is refused in one line before anything runs.
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure(options => TrustProxies(options, builder.Configuration)).ValidateOnStart();
        // Outside local mode, database and broker connections are encrypted or the process does not start.
        builder.Services.AddAntqTransportSecurity(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Behind the gateway, an ingress or a TLS terminator on a private network, <c>X-Forwarded-*</c> is believed only
    /// from the proxies the deployment names: single addresses (<c>ForwardedHeaders:KnownProxies</c>, default loopback)
    /// and networks in CIDR notation (<c>ForwardedHeaders:KnownNetworks</c>, e.g. a cluster's pod network 10.0.0.0/8,
    /// whose addresses are not known in advance). A value that is neither stops the start: a typo must not trust
    /// nobody silently, nor anybody (<see cref="SettingsCheck"/>: one line naming the key).
    /// </summary>
    public static void TrustProxies(ForwardedHeadersOptions options, IConfiguration configuration)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? ["127.0.0.1", "::1"])
        {
            options.KnownProxies.Add(System.Net.IPAddress.TryParse(proxy, out var address)
                ? address
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies holds '{proxy}', which is not an IP address."));
        }

        foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks holds '{network}', which is not a network in CIDR notation (such as 10.0.0.0/8)."));
        }
    }

    /// <summary>Health endpoints, <c>/metrics</c> (<see cref="MetricsEndpoint"/>), the OpenAPI document, and the middleware every service shares, in the right order.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Settings first: a wrong one stops the process here, in one line naming it, before anything starts.
        SettingsCheck.Run(app.Services);
        app.UseAntqSecurityHeaders();
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAntqCorrelationId();
        app.UseAuthentication();
        app.UseAntqLogScope();
        app.UseAuthorization();

        // Liveness: the process answers. Readiness: its database and the broker answer too.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live") || r.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        app.MapAntqMetrics();
        app.MapOpenApi().AllowAnonymous();
        // A service with a bus (AddAntqBus) has dead letters to show its administrators.
        if (app.Services.GetService<Antq.Messaging.DeadLetterBook>() is not null) app.MapAntqDeadLetters();
        // Every process answers its own status (the gateway's too); the gateway merges them (GET /api/status).
        app.MapAntqServiceStatus();
        app.MapClockControl(app.Configuration);
        return app;
    }
}
