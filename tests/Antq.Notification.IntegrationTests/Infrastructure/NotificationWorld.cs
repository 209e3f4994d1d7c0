using System.Net.Http.Json;
using System.Text.Json;
using Antq.Contracts.Identity;
using Antq.Contracts.Plan;
using Antq.Notification.Api.Data;
using Antq.Notification.Api.Reminders;
using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Notification.IntegrationTests.Infrastructure;

/// <summary>The Notification service in process, with <see cref="ShiftedClock"/> as its clock.</summary>
public sealed class NotificationService(TestDatabase database, TestVirtualHost virtualHost, ShiftedClock clock)
    : ServiceFactory<NotificationDbContext>("notification", database, virtualHost)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
    }
}

/// <summary>
/// Everything one test class needs: its own database and virtual host, a real SMTP server, a webhook receiver, the
/// shifted clock, and the service, which it can stop and start again on the same database and queues. A world of other
/// settings derives from it and overrides <see cref="Configure"/>.
/// </summary>
public class NotificationWorld : IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public SmtpSink Smtp { get; private set; } = null!;
    public WebhookReceiver Webhooks { get; private set; } = null!;
    public ShiftedClock Clock { get; } = new();
    public NotificationService Service { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("notification");
        VirtualHost = await TestVirtualHost.CreateAsync("notification");
        Smtp = await SmtpSink.StartAsync();
        Webhooks = await WebhookReceiver.StartAsync();
        await StartAsync();
    }

    /// <summary>Starts the service (again) on the same database and virtual host; returns when its bus is connected.</summary>
    public async Task StartAsync() => Service = await StartInstanceAsync();

    /// <summary>Another replica on the same database and queues, running beside <see cref="Service"/>.</summary>
    public Task<NotificationService> StartReplicaAsync() => StartInstanceAsync();

    async Task<NotificationService> StartInstanceAsync()
    {
        // MassTransit keeps its log context in an AsyncLocal that a publish sets in the caller's flow: a host started
        // again in the same flow would pick up the stopped host's disposed logger factory.
        LogContext.Current = null;
        var service = new NotificationService(Database, VirtualHost, Clock);
        Configure(service);
        await service.StartAsync();
        return service;
    }

    protected virtual void Configure(NotificationService service)
    {
        service.Settings["Logging:LogLevel:Default"] = "Warning";
        service.Settings["Notification:Smtp:Host"] = "127.0.0.1";
        service.Settings["Notification:Smtp:Port"] = Smtp.Port.ToString();
        service.Settings["Notification:Smtp:Security"] = "None";
        // A safety poll of minutes: every notice of these tests goes because a commit or its due time woke a loop; the
        // shifted clock, which the tests move forward, is read every 100 ms by a sleeping loop.
        service.Settings["Notification:Dispatcher:PollInterval"] = "00:05:00";
        service.Settings["Notification:Dispatcher:ClockCheck"] = "00:00:00.100";
        service.Settings["Notification:Dispatcher:LateAfter"] = "00:00:20";
        service.Settings["Notification:Dispatcher:FirstRetryDelay"] = "00:00:01";
        service.Settings["Notification:Dispatcher:DeliveryLease"] = "00:00:10";
        service.Settings["Notification:Dispatcher:SendTimeout"] = "00:00:05";
        // These tests drive reminders minutes apart on a clock that runs from the real time of day, whatever it is: the
        // reminder hour and the quiet hours are off, or a run in the evening would hold their notices until morning.
        // WorkingHoursWorld turns them back on to test them.
        service.Settings["Notification:Reminders:RemindAt"] = "";
        service.Settings["Notification:Reminders:QuietHours"] = "";
        // The receiver listens on loopback, which production refuses: the tests allow it as local mode does.
        service.Settings["Notification:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8";
    }

    /// <summary>Stops the service as a host stops: background loops end, nothing else happens until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync() => await Service.DisposeAsync();

    /// <summary>Publishes through the service's own bus, in a flow of its own (see <see cref="StartAsync"/>).</summary>
    public Task PublishAsync<T>(T message) where T : class
    {
        var bus = Service.Services.GetRequiredService<IBus>();
        return Task.Run(() => bus.Publish(message));
    }

    public HttpClient As(string user, string role, string unit) => Service.CreateClientAs(user, role, unit);

    public HttpClient Admin => Service.CreateClientAs("quantri", AntqRoles.Admin, "BCA");

    public async Task<T> InDbAsync<T>(Func<NotificationDbContext, Task<T>> action)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<NotificationDbContext>());
    }

    /// <summary>A province and its communes in the copy of the unit tree, through the broker as the Plan service sends them.</summary>
    public Task UnitsAsync(string province, string provinceName, params (string Code, string Name)[] communes)
    {
        var units = new List<OrgUnitVersion>
        {
            new() { Id = Guid.NewGuid(), Code = province, Name = provinceName, Kind = "Province", ParentCode = "BCA", ValidFrom = new DateOnly(2025, 7, 1), ChangeSequence = 1 },
        };
        units.AddRange(communes.Select((c, i) => new OrgUnitVersion
        {
            Id = Guid.NewGuid(), Code = c.Code, Name = c.Name, Kind = "Commune", CommuneKind = "Xa", ParentCode = province,
            ValidFrom = new DateOnly(2025, 7, 1), ChangeSequence = i + 2,
        }));
        return PublishAsync(new OrgUnitsChanged { Sequence = units.Count, Units = units, Replay = false, OccurredAt = DateTimeOffset.UtcNow });
    }

    public Task UserAsync(string userName, string role, string unit, bool active = true, string? email = null) => PublishAsync(new UserChanged
    {
        UserId = DeterministicId(userName), UserName = userName, FullName = userName, Role = role, OrgUnitCode = unit, Active = active,
        Email = email, OccurredAt = DateTimeOffset.UtcNow,
    });

    static Guid DeterministicId(string name) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(name)));

    public async Task WaitForCopiesAsync(int units, int users) =>
        await Eventually.UntilAsync(() => InDbAsync(async db => (
                Units: await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Set<Antq.UnitTree.UnitTreeVersion>()),
                Users: await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Recipients))),
            c => c.Units >= units && c.Users >= users, "the copies of units and users");

    public async Task<List<JsonElement>> InboxAsync(string user, string role, string unit)
    {
        using var client = As(user, role, unit);
        return (await client.GetFromJsonAsync<List<JsonElement>>("/api/notifications", Json))!;
    }

    public async Task<JsonElement> ScheduleAsync(string code, string period)
    {
        using var client = Admin;
        using var response = await client.GetAsync($"/api/notifications/schedule/{code}/{period}");
        return response.IsSuccessStatusCode ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : default;
    }

    public async Task<List<JsonElement>> DeliveriesAsync()
    {
        using var client = Admin;
        return (await client.GetFromJsonAsync<List<JsonElement>>("/api/notifications/deliveries?limit=1000", Json))!;
    }

    public async Task PutContactPointAsync(string code, object body)
    {
        using var client = Admin;
        using var response = await client.PutAsJsonAsync($"/api/contact-points/{code}", body, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public virtual async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Webhooks.DisposeAsync();
        await Smtp.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
