using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Antq.ServiceDefaults;

/// <summary>OpenTelemetry traces, metrics and logs for ASP.NET Core, HttpClient, Npgsql, MassTransit and our own sources.</summary>
public static class Telemetry
{
    /// <summary>Our own activity sources all start with this; the outbox dispatcher and domain code use it.</summary>
    public const string SourcePrefix = "Antq";

    public static readonly ActivitySource Source = new("Antq");

    public static IHostApplicationBuilder AddAntqTelemetry(this IHostApplicationBuilder builder)
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter("Npgsql")
                .AddMeter(SourcePrefix + ".*")
                // Served at /metrics (MetricsEndpoint); a scrape collects, so nothing is read while nobody scrapes.
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(SourcePrefix, SourcePrefix + ".*")
                .AddSource("MassTransit")
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Health probes every few seconds would drown the traces that matter.
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health");
                })
                .AddHttpClientInstrumentation()
                .AddNpgsql());

        // The standard variable switches the exporter on, so a deployment points it at its collector without code.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
