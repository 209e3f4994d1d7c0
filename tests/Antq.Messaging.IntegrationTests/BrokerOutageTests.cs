using System.Diagnostics;
using Antq.Messaging.IntegrationTests.Infrastructure;
using Antq.Testing;
using Xunit.Abstractions;

namespace Antq.Messaging.IntegrationTests;

/// <summary>Stopping the broker affects every virtual host: these tests run alone, after all the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerOutageCollection
{
    public const string Name = "Broker outage";
}

[Collection(BrokerOutageCollection.Name)]
public sealed class BrokerOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    static readonly Dictionary<string, string?> Settings = new()
    {
        ["Outbox:PublishTimeout"] = "00:00:01",
        ["Outbox:FirstRetryDelay"] = "00:00:00.200",
        ["Outbox:MaxRetryDelay"] = "00:00:01",
    };

    readonly List<IAsyncDisposable> resources = [];
    MessagingHost running = null!;
    MessagingHost manual = null!;

    public async Task InitializeAsync()
    {
        running = await StartHostAsync("outage", runDispatcher: true);
        manual = await StartHostAsync("outagemanual", runDispatcher: false);
    }

    async Task<MessagingHost> StartHostAsync(string label, bool runDispatcher)
    {
        var database = await TestDatabase.CreateAsync(label);
        resources.Insert(0, database);
        var virtualHost = await TestVirtualHost.CreateAsync(label);
        resources.Insert(0, virtualHost);
        var host = await MessagingHost.StartAsync(database, virtualHost, options =>
        {
            options.RunDispatcher = runDispatcher;
            foreach (var (key, value) in Settings) options.Settings[key] = value;
        });
        resources.Insert(0, host);
        return host;
    }

    [Fact]
    public async Task A_message_written_while_the_broker_is_down_is_retried_and_delivered_once_it_is_back()
    {
        // Both hosts have delivered before: their queues and bindings exist on the broker.
        var warmUp = await running.WriteAsync(Filed("trước khi dừng"));
        await Eventually.UntilAsync(() => running.Deliveries.Contains(warmUp), TimeSpan.FromSeconds(15), "the warm-up message is delivered");

        var clock = Stopwatch.StartNew();
        Guid written;
        List<Guid> manualRows;
        await LocalServers.StopBrokerAsync();
        output.WriteLine($"broker stopped after {clock.ElapsedMilliseconds} ms");
        try
        {
            written = await running.WriteAsync(Filed("trong lúc dừng"));
            await Eventually.UntilAsync(async () => (await running.OutboxRowAsync(written)) is { Attempts: 0, LastError: not null, SentAt: null },
                TimeSpan.FromSeconds(20), "the row records the failure while the broker is down, charged no refusal");

            // A broker that does not answer refuses nothing: the round's rows all wait for the next, none charged a
            // refusal (an outage of any length parks nothing), each with its failure recorded.
            manualRows = await manual.WithContextAsync(async db =>
            {
                var ids = Enumerable.Range(0, 3).Select(i => db.AddOutboxMessage(Filed($"thủ công {i}")).MessageId).ToList();
                await db.SaveChangesAsync();
                return ids;
            });
            Assert.Equal(0, await manual.Dispatcher.DispatchOnceAsync(CancellationToken.None));
            Assert.All(await manual.OutboxAsync(), r => Assert.True(r is { Attempts: 0, LastError: not null, SentAt: null }));
        }
        finally
        {
            await LocalServers.StartBrokerAsync();
            output.WriteLine($"broker started again after {clock.ElapsedMilliseconds} ms");
        }

        await Eventually.UntilAsync(() => running.Deliveries.Contains(written), TimeSpan.FromSeconds(60), "the message is delivered after the broker returns");
        output.WriteLine($"delivered after {clock.ElapsedMilliseconds} ms");
        Assert.Single(running.Deliveries.Of(written));
        var row = (await running.OutboxRowAsync(written))!;
        Assert.NotNull(row.SentAt);
        Assert.Equal(0, row.Attempts);
        Assert.Null(row.LastError);

        await Eventually.UntilAsync(async () => { await manual.Dispatcher.DispatchOnceAsync(CancellationToken.None); return manualRows.All(manual.Deliveries.Contains); },
            TimeSpan.FromSeconds(60), "the rows of the stopped round are delivered");
        Assert.All(await manual.OutboxAsync(), r => Assert.NotNull(r.SentAt));
    }

    static ReportFiled Filed(string title) => new() { ReportId = Guid.NewGuid(), Title = title, OccurredAt = DateTimeOffset.UtcNow };

    public async Task DisposeAsync()
    {
        foreach (var resource in resources) await resource.DisposeAsync();
    }
}
