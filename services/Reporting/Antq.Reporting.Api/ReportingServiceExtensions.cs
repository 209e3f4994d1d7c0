using Antq.Messaging;
using Antq.Messaging.Copies;
using MassTransit;
using Antq.ServiceDefaults;
using Antq.Settings;
using Antq.UnitTree;

namespace Antq.Reporting.Api;

/// <summary>The Reporting service's own wiring: The indicator catalogue, reports, live roll-ups, period closing and exports.</summary>
public static class ReportingServiceExtensions
{
    public static IHostApplicationBuilder AddReportingServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<ReportingDbContext>("reporting", insertOnlyTables: "report_changes");
        // After the DbContext: hosted services start in order, so the migrations have run when the seeder starts.
        builder.Services.AddHostedService<CatalogueSeeder>();
        // The platform's one data window setting, read by the calendar as in every service.
        builder.Services.AddDataWindow(builder.Configuration);
        builder.Services.AddAntqOutbox<ReportingDbContext>(builder.Configuration);
        // The report's life: every transition goes through one workflow; its refusals become problems in one place.
        builder.Services.AddScoped<ReportLifecycle>();
        builder.Services.AddScoped<ReportStore>();
        builder.Services.AddExceptionHandler<ReportProblems>();
        // Closing periods at each level when the deadline of the units below passes (once, with any number of replicas).
        builder.Services.AddSettings<ClosingOptions>(builder.Configuration, ClosingOptions.Section);
        builder.Services.AddScoped<PeriodCloser>();
        builder.Services.AddHostedService<PeriodClosingJob>();
        // The last closings, on the status page (GET /api/status).
        builder.Services.AddSingleton<IStatusSection, ClosingStatus>();
        // The copy of the unit tree that roll-ups and permissions walk, fed by the Plan service.
        builder.Services.AddUnitTree<ReportingDbContext>();
        // The copy of the deadlines that closing reads, healed from the Plan service's like the tree.
        builder.Services.AddCopyHealing<ReportingDbContext>(CopyNames.Deadlines, Deadlines.DeadlinesChangedConsumer.CopyRows);
        builder.AddAntqBus(bus =>
        {
            bus.AddConsumers(typeof(ReportingServiceExtensions).Assembly);
            bus.AddUnitTreeConsumer();
        });
        return builder;
    }

    public static WebApplication MapReportingApi(this WebApplication app)
    {
        app.MapIndicatorsApi();
        app.MapReportsApi();
        app.MapRollupsApi();
        return app;
    }
}
