using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Antq.Messaging.IntegrationTests.Infrastructure;

/// <summary>How a test host differs from a service's defaults.</summary>
public sealed class MessagingHostOptions
{
    /// <summary>False: the dispatcher is registered but not run, and the test calls <c>DispatchOnceAsync</c> itself.</summary>
    public bool RunDispatcher { get; set; } = true;

    public TimeProvider? Clock { get; set; }

    /// <summary>Shared by hosts whose consumers compete on one queue.</summary>
    public Deliveries? Deliveries { get; set; }

    /// <summary>Configuration, as in appsettings (<c>Outbox:PollInterval</c>…).</summary>
    public Dictionary<string, string?> Settings { get; } = new();
}

/// <summary>
/// A generic host wired as a service is: its own DbContext through <see cref="Database.AddAntqDbContext{TContext}"/>
/// (interceptors included), <see cref="MessagingServiceCollectionExtensions.AddAntqOutbox{TContext}"/>, and
/// <see cref="Bus.AddAntqBus"/> with the test consumers, on a test database and virtual host.
/// </summary>
public sealed class MessagingHost : IAsyncDisposable
{
    public const string EndpointPrefix = "test";

    readonly IHost host;
    bool stopped;

    MessagingHost(IHost host, Deliveries deliveries)
    {
        this.host = host;
        Deliveries = deliveries;
    }

    public IServiceProvider Services => host.Services;

    public Deliveries Deliveries { get; }

    public IBus Bus => host.Services.GetRequiredService<IBus>();

    public OutboxDispatcher<TestDbContext> Dispatcher => host.Services.GetRequiredService<OutboxDispatcher<TestDbContext>>();

    public static async Task<MessagingHost> StartAsync(TestDatabase database, TestVirtualHost virtualHost, Action<MessagingHostOptions>? configure = null)
    {
        var options = new MessagingHostOptions();
        configure?.Invoke(options);
        var deliveries = options.Deliveries ?? new Deliveries();

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "Antq.Messaging.IntegrationTests",
            EnvironmentName = "Testing",
            DisableDefaults = true,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = database.ConnectionString,
            ["ConnectionStrings:rabbitmq"] = virtualHost.AmqpUri,
            ["Database:MigrateOnStart"] = "false",
            ["Bus:EndpointPrefix"] = EndpointPrefix,
            // A safety poll of minutes: a message that arrives in seconds was woken by its commit, not found by a poll.
            ["Outbox:PollInterval"] = "00:05:00",
        });
        builder.Configuration.AddInMemoryCollection(options.Settings);
        if (Environment.GetEnvironmentVariable("ANTQ_TEST_LOGS") is { Length: > 0 })
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        }

        if (options.Clock is not null) builder.Services.AddSingleton(options.Clock);
        builder.Services.AddSingleton(deliveries);

        builder.AddAntqDbContext<TestDbContext>("messaging");
        var first = builder.Services.Count;
        builder.Services.AddAntqOutbox<TestDbContext>(builder.Configuration);
        if (!options.RunDispatcher)
        {
            var hosted = builder.Services.Skip(first).Where(d => d.ServiceType == typeof(IHostedService)).ToList();
            foreach (var descriptor in hosted) builder.Services.Remove(descriptor);
        }

        builder.AddAntqBus(bus =>
        {
            bus.AddConsumer<RecordingConsumer>();
            bus.AddConsumer<CounterConsumer, CounterConsumerDefinition>();
        });

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        var status = await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        if (status != BusHealthStatus.Healthy) throw new InvalidOperationException($"The bus on {virtualHost.Name} is {status}, not healthy.");
        return new MessagingHost(host, deliveries);
    }

    /// <summary>Runs <paramref name="work"/> on a fresh context, as one request or consumer would.</summary>
    public async Task<T> WithContextAsync<T>(Func<TestDbContext, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TestDbContext>());
    }

    public Task WithContextAsync(Func<TestDbContext, Task> work) =>
        WithContextAsync(async db => { await work(db); return true; });

    /// <summary>Adds <paramref name="message"/> to the outbox and commits it on its own.</summary>
    public Task<Guid> WriteAsync<T>(T message) where T : class =>
        WithContextAsync(async db =>
        {
            var row = db.AddOutboxMessage(message);
            await db.SaveChangesAsync();
            return row.MessageId;
        });

    public Task<OutboxMessage?> OutboxRowAsync(Guid messageId) =>
        WithContextAsync(db => db.Set<OutboxMessage>().AsNoTracking().SingleOrDefaultAsync(m => m.MessageId == messageId));

    public Task<List<OutboxMessage>> OutboxAsync() =>
        WithContextAsync(db => db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    /// <summary>Empties the outbox, for test classes whose tests share a host that runs no dispatcher.</summary>
    public Task ResetOutboxAsync() => WithContextAsync(db => db.Set<OutboxMessage>().ExecuteDeleteAsync());

    public async Task StopAsync()
    {
        if (stopped) return;
        stopped = true;
        await host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        host.Dispose();
    }
}
