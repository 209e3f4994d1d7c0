using Antq.ServiceDefaults;
using MassTransit;

namespace Antq.Portal.Live;

public static class LiveServiceExtensions
{
    /// <summary>
    /// The portal hears Reporting's events on a temporary queue of its own (auto-deleted when the replica stops), so that
    /// every replica hears every event. The portal keeps no data, so it has no outbox or inbox: a change missed while
    /// the broker is away is caught by the page's next read (opening or changing the period). Its readiness does not
    /// depend on the broker: pages still serve without the live updates.
    /// </summary>
    public static IHostApplicationBuilder AddLiveUpdates(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveUpdates>();
        builder.AddAntqBus(bus =>
        {
            bus.AddConsumer<ReportEventsConsumer>().Endpoint(endpoint =>
            {
                endpoint.Temporary = true;
                endpoint.InstanceId = Guid.NewGuid().ToString("N")[..12];
            });
            bus.ConfigureHealthCheckOptions(options =>
            {
                options.Tags.Clear();
                options.Tags.Add("live-updates");
            });
        });
        return builder;
    }
}
