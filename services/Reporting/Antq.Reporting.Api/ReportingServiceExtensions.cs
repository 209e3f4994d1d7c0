using Antq.Messaging;
using MassTransit;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.UnitTree;

namespace Antq.Reporting.Api;

/// <summary>The Reporting service's own wiring: The indicator catalogue, reports, live roll-ups, period closing and exports.</summary>
public static class ReportingServiceExtensions
{
    public static IHostApplicationBuilder AddReportingServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<ReportingDbContext>("reporting");
        builder.Services.AddAntqOutbox<ReportingDbContext>(builder.Configuration);
        // The copy of the unit tree that roll-ups and permissions walk, fed by the Plan service.
        builder.Services.AddUnitTree<ReportingDbContext>("reporting");
        builder.AddAntqBus(bus =>
        {
            bus.AddConsumers(typeof(ReportingServiceExtensions).Assembly);
            bus.AddUnitTreeConsumer();
        });
        return builder;
    }

    public static WebApplication MapReportingApi(this WebApplication app)
    {
        return app;
    }
}
