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
        builder.AddAntqTelemetry();
        builder.AddAntqProblemDetails();
        builder.AddAntqAuthentication();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);

        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Behind the gateway or a TLS terminator on a private network: the deployment names the proxies it trusts.
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var proxy in builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? ["127.0.0.1", "::1"])
            {
                if (System.Net.IPAddress.TryParse(proxy, out var address)) options.KnownProxies.Add(address);
            }
        });

        return builder;
    }

    /// <summary>Health endpoints, the OpenAPI document, and the middleware every service shares, in the right order.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseAntqSecurityHeaders();
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAntqCorrelationId();
        app.UseAuthentication();
        app.UseAuthorization();

        // Liveness: the process answers. Readiness: its database and the broker answer too.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live") || r.Tags.Contains(ReadyTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous();

        app.MapOpenApi().AllowAnonymous();
        return app;
    }
}
