using Antq.Messaging;
using MassTransit;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;

namespace Antq.Reporting.Api;

/// <summary>The Reporting service's own wiring: The indicator catalogue, reports, live roll-ups, period closing and exports.</summary>
public static class ReportingServiceExtensions
{
    public static IHostApplicationBuilder AddReportingServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<ReportingDbContext>("reporting");
        builder.Services.AddAntqOutbox<ReportingDbContext>(builder.Configuration);
        builder.AddAntqBus(bus => bus.AddConsumers(typeof(ReportingServiceExtensions).Assembly));
        return builder;
    }

    public static WebApplication MapReportingApi(this WebApplication app)
    {
        return app;
    }
}
