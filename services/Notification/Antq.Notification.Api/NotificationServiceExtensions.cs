using Antq.Messaging;
using MassTransit;
using Antq.Notification.Api.Data;
using Antq.ServiceDefaults;

namespace Antq.Notification.Api;

/// <summary>The Notification service's own wiring: Reminders, notices, the inbox and deliveries by e-mail and webhook.</summary>
public static class NotificationServiceExtensions
{
    public static IHostApplicationBuilder AddNotificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<NotificationDbContext>("notification");
        builder.Services.AddAntqOutbox<NotificationDbContext>(builder.Configuration);
        builder.AddAntqBus(bus => bus.AddConsumers(typeof(NotificationServiceExtensions).Assembly));
        return builder;
    }

    public static WebApplication MapNotificationApi(this WebApplication app)
    {
        return app;
    }
}
