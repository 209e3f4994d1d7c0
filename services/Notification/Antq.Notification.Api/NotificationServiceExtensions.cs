using Antq.Messaging;
using Antq.Notification.Api.Apis;
using Antq.Notification.Api.Data;
using Antq.Notification.Api.Digests;
using Antq.Notification.Api.Dispatch;
using Antq.ServiceDefaults;
using Antq.UnitTree;
using MassTransit;

namespace Antq.Notification.Api;

/// <summary>The Notification service's own wiring: reminders, notices, the inbox and deliveries by e-mail and webhook.</summary>
public static class NotificationServiceExtensions
{
    public static IHostApplicationBuilder AddNotificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<NotificationDbContext>("notification");
        builder.Services.AddAntqOutbox<NotificationDbContext>(builder.Configuration);
        // The copy of the unit tree: names in the texts, the level of a unit (whose officers read its notices), the unit above.
        builder.Services.AddUnitTree<NotificationDbContext>("notification");
        builder.AddAntqBus(bus =>
        {
            bus.AddConsumers(typeof(NotificationServiceExtensions).Assembly);
            bus.AddUnitTreeConsumer();
        });

        // The engine: the schedule in the database, a dispatcher per replica, digests of submissions, e-mail and webhook channels.
        builder.Services.AddOptions<NotificationOptions>().Bind(builder.Configuration.GetSection("Notification"))
            .Validate(o => DigestWindow.IsValid(o.Digest.Window), "Notification:Digest:Window must be from 00:01:00 to 1.00:00:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Policies>();
        builder.Services.AddScoped<SchedulePlanner>();
        builder.Services.AddScoped<NoticeFiring>();
        builder.Services.AddScoped<DigestMail>();
        builder.Services.AddScoped<DeliverySender>();
        builder.Services.AddSingleton<EmailChannel>();
        builder.Services.AddSingleton<WebhookChannel>();
        builder.Services.AddHttpClient(WebhookChannel.ClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        // A commit that writes notices, deliveries, digests, deadlines or policies wakes the loops of this replica.
        builder.Services.AddCommitSignal<DispatchSignal>(insertsInto: DispatchSignal.Tables, updatesOf: DispatchSignal.Tables);
        builder.Services.AddHostedService<NoticeDispatcher>();
        return builder;
    }

    public static WebApplication MapNotificationApi(this WebApplication app)
    {
        app.MapNotificationsApi();
        app.MapContactPointsApi();
        return app;
    }
}
