using Antq.Calendar;
using Antq.Messaging;
using MassTransit;
using Antq.Plan.Api.Data;
using Antq.ServiceDefaults;
using Antq.Settings;

namespace Antq.Plan.Api;

/// <summary>The Plan service's own wiring: Units with their effective dates and lineage, plans, targets and the deadline chain.</summary>
public static class PlanServiceExtensions
{
    public static IHostApplicationBuilder AddPlanServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<PlanDbContext>("plan");
        builder.Services.AddAntqOutbox<PlanDbContext>(builder.Configuration);
        builder.Services.AddSettings<DeadlineOptions>(builder.Configuration, DeadlineOptions.Section);
        builder.Services.AddDataWindow(builder.Configuration);
        builder.Services.AddSettings<UnitFileLimits>(builder.Configuration, UnitFileLimits.Section);
        builder.AddAntqBus(bus => bus.AddConsumers(typeof(PlanServiceExtensions).Assembly));
        return builder;
    }

    public static WebApplication MapPlanApi(this WebApplication app)
    {
        app.MapOrgUnitsApi();
        app.MapPlansApi();
        app.MapDeadlinesApi();
        app.MapPlanDraftsApi();
        return app;
    }
}
