using Antq.Messaging;
using Antq.Messaging.Copies;
using Antq.Notification.Api.Data;
using Antq.ServiceDefaults;
using Antq.Settings;
using Antq.UnitTree;
using MassTransit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api;

/// <summary>The Notification service's own wiring: reminders, notices, the inbox and deliveries by e-mail and webhook.</summary>
public static class NotificationServiceExtensions
{
    public static IHostApplicationBuilder AddNotificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<NotificationDbContext>("notification");
        builder.Services.AddAntqOutbox<NotificationDbContext>(builder.Configuration);
        // The copy of the unit tree: names in the texts, the level of a unit (whose officers read its notices), the unit above.
        builder.Services.AddUnitTree<NotificationDbContext>();
        // The copies of deadlines and plans that reminders are planned from, healed from the Plan service's like the tree.
        builder.Services.AddCopyHealing<NotificationDbContext>(CopyNames.Deadlines, DeadlinesChangedConsumer.CopyRows);
        builder.Services.AddCopyHealing<NotificationDbContext>(CopyNames.Plans, PlanIssuedConsumer.CopyRows);
        // The recipients, healed from the Identity service's users.
        builder.Services.AddCopyHealing<NotificationDbContext>(CopyNames.Recipients, UserChangedConsumer.CopyRows);
        builder.AddAntqBus(bus =>
        {
            bus.AddConsumers(typeof(NotificationServiceExtensions).Assembly);
            bus.AddUnitTreeConsumer();
        });

        // The engine: the schedule in the database, a dispatcher per replica, digests of submissions, e-mail and webhook channels.
        builder.Services.AddSettings<NotificationOptions>(builder.Configuration, NotificationOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>>(new SmtpTransportValidation(builder.Configuration));
        builder.Services.AddSingleton<Policies>();
        // The last deliveries given up on, on the status page (GET /api/status).
        builder.Services.AddSingleton<IStatusSection, FailedDeliveriesStatus>();
        builder.Services.AddScoped<SchedulePlanner>();
        builder.Services.AddScoped<NoticeFiring>();
        builder.Services.AddScoped<DigestMail>();
        builder.Services.AddScoped<DeliverySender>();
        builder.Services.AddSingleton<EmailChannel>();
        builder.Services.AddSingleton<WebhookChannel>();
        builder.Services.AddSingleton<WebhookLanes>();

        // Webhooks: only to allowed addresses, checked at every connection; no redirects; a short timeout per request.
        // Their secrets are encrypted with Data Protection, whose keys are kept in this service's database.
        builder.Services.AddSingleton(sp => new WebhookAddressPolicy(sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhooks.AllowedNetworks));
        builder.Services.AddHttpClient(WebhookChannel.ClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhooks.Timeout)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookHttp.CreateHandler(sp.GetRequiredService<WebhookAddressPolicy>(),
                sp.GetRequiredService<IOptions<NotificationOptions>>().Value.Webhooks.Timeout));
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("antq-notification").PersistKeysToDbContext<NotificationDbContext>();
        // The keys themselves may be encrypted with a certificate kept outside the database (a dump then reveals no secret).
        if (builder.Configuration["Notification:DataProtection:CertificateFile"] is { Length: > 0 } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificate, builder.Configuration["Notification:DataProtection:CertificatePassword"]));
        }

        // Authentication registered Data Protection's start-up (which loads the key ring) before the migrations: it goes after them.
        foreach (var start in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
        {
            builder.Services.Remove(start);
            builder.Services.Add(start);
        }

        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddHostedService<ProtectLegacyWebhookSecrets>();

        // Notices, deliveries and digests older than the retention period go.
        builder.Services.AddScoped<NotificationRetention>();
        builder.Services.AddHostedService<RetentionJob>();
        // A commit wakes only the step of what it wrote: notices, deliveries, digests, or deadlines and policies (the planner).
        builder.Services.AddCommitSignal<NoticeSignal>(insertsInto: NoticeSignal.Tables, updatesOf: NoticeSignal.Tables);
        builder.Services.AddCommitSignal<DeliverySignal>(insertsInto: DeliverySignal.Tables, updatesOf: DeliverySignal.Tables);
        builder.Services.AddCommitSignal<DigestSignal>(insertsInto: DigestSignal.Tables, updatesOf: DigestSignal.Tables);
        builder.Services.AddCommitSignal<PlanSignal>(insertsInto: PlanSignal.Tables, updatesOf: PlanSignal.Tables);
        builder.Services.AddSingleton<DispatchSignals>();
        builder.Services.AddHostedService<NoticeDispatcher>();
        return builder;
    }

    public static WebApplication MapNotificationApi(this WebApplication app)
    {
        app.MapNotificationsApi();
        app.MapContactPointsApi();
        app.MapPreferencesApi();
        return app;
    }
}
