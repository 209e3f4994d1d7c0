using System.Diagnostics.Metrics;
using Antq.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Antq.ServiceDefaults;

/// <summary>
/// <c>antq.health.ready</c> (meter <c>Antq.Health</c>): 1 while the process's readiness checks (those of
/// <c>/health/ready</c>: its database, the broker, the gateway's clusters) pass, 0 when one fails or does not answer in
/// time. Read only while somebody scrapes, at most every 10 s, in the background (a scrape never waits for a check);
/// Prometheus alerts on it (deploy/observability/alerts.yml, <c>AntqNotReady</c>), so that a readiness failing is seen
/// without anybody polling <c>/health/ready</c> by hand.
/// </summary>
public sealed class ReadinessGauge(HealthCheckService health) : IHostedService
{
    public const string MeterName = "Antq.Health";

    static readonly Meter Meter = new(MeterName);

    static readonly MessagingMetrics.GaugeFeed Ready = new(Meter, "antq.health.ready", "1",
        "1 while the readiness checks of /health/ready pass, 0 when one fails or does not answer within 10 s.");

    IDisposable? registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        registration = Ready.Register(async ct =>
        {
            long ready;
            try
            {
                var report = await health.CheckHealthAsync(r => r.Tags.Contains("live") || r.Tags.Contains(ServiceDefaultsExtensions.ReadyTag), ct);
                ready = report.Status == HealthStatus.Unhealthy ? 0 : 1;
            }
            catch (Exception)
            {
                ready = 0; // a check that did not answer in time is a failing one, not the last good figure
            }

            return [new Measurement<long>(ready)];
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        registration?.Dispose();
        return Task.CompletedTask;
    }
}
