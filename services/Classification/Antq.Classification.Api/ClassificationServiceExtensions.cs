using Antq.Calendar;
using Antq.Classification.Api.Data;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Antq.Settings;
using Antq.UnitTree;
using MassTransit;

namespace Antq.Classification.Api;

/// <summary>The Classification service's own wiring: score sheets, classes, the safe standard and target attainment.</summary>
public static class ClassificationServiceExtensions
{
    public static IHostApplicationBuilder AddClassificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<ClassificationDbContext>("classification");
        builder.Services.AddSettings<ClassificationOptions>(builder.Configuration, ClassificationOptions.Section);
        builder.Services.AddDataWindow(builder.Configuration);
        builder.Services.AddAntqOutbox<ClassificationDbContext>(builder.Configuration);
        // The copy of the unit tree that summaries and scope walk, fed by the Plan service.
        builder.Services.AddUnitTree<ClassificationDbContext>();
        builder.AddAntqBus(bus =>
        {
            bus.AddConsumers(typeof(ClassificationServiceExtensions).Assembly);
            bus.AddUnitTreeConsumer();
        });
        return builder;
    }

    public static WebApplication MapClassificationApi(this WebApplication app)
    {
        app.MapScoreSheetsApi();
        app.MapClassificationsApi();
        return app;
    }
}
