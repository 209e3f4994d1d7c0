using Antq.Messaging.IntegrationTests.Infrastructure;
using Antq.Testing;

namespace Antq.Messaging.IntegrationTests;

/// <summary>A service that starts with rows left unsent (a crash, a deployment) publishes them without being asked.</summary>
public sealed class DispatcherStartupTests : IAsyncLifetime
{
    TestDatabase database = null!;
    TestVirtualHost virtualHost = null!;
    readonly List<MessagingHost> hosts = [];

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("startup");
        virtualHost = await TestVirtualHost.CreateAsync("startup");
    }

    [Fact]
    public async Task Rows_pending_when_a_service_starts_are_published_at_once()
    {
        var deliveries = new Deliveries();
        var before = await StartAsync(deliveries, runDispatcher: false);
        var ids = await before.WithContextAsync(async db =>
        {
            var rows = Enumerable.Range(0, 10)
                .Select(i => db.AddOutboxMessage(new ReportFiled { ReportId = Guid.NewGuid(), Title = $"còn lại {i}", OccurredAt = DateTimeOffset.UtcNow }).MessageId)
                .ToList();
            await db.SaveChangesAsync();
            return rows;
        });
        await before.StopAsync();

        // Polls rarely: only the dispatcher's first round, as the host starts, can publish them in time.
        var after = await StartAsync(deliveries, runDispatcher: true, pollInterval: "00:05:00");

        await Eventually.UntilAsync(() => ids.All(deliveries.Contains), TimeSpan.FromSeconds(20), "the pending rows are delivered");
        Assert.All(await after.OutboxAsync(), row => Assert.Equal((0, true), (row.Attempts, row.SentAt is not null)));
    }

    async Task<MessagingHost> StartAsync(Deliveries deliveries, bool runDispatcher, string? pollInterval = null)
    {
        var host = await MessagingHost.StartAsync(database, virtualHost, options =>
        {
            options.Deliveries = deliveries;
            options.RunDispatcher = runDispatcher;
            if (pollInterval is not null) options.Settings["Outbox:PollInterval"] = pollInterval;
        });
        hosts.Add(host);
        return host;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts) await host.DisposeAsync();
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }
}
