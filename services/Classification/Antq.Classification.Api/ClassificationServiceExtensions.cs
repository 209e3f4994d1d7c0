using Antq.Messaging;
using MassTransit;
using Antq.Classification.Api.Data;
using Antq.ServiceDefaults;

namespace Antq.Classification.Api;

/// <summary>The Classification service's own wiring: Score sheets, classes, the safe standard and target attainment.</summary>
public static class ClassificationServiceExtensions
{
    public static IHostApplicationBuilder AddClassificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<ClassificationDbContext>("classification");
        builder.Services.AddAntqOutbox<ClassificationDbContext>(builder.Configuration);
        builder.AddAntqBus(bus => bus.AddConsumers(typeof(ClassificationServiceExtensions).Assembly));
        return builder;
    }

    public static WebApplication MapClassificationApi(this WebApplication app)
    {
        return app;
    }
}
