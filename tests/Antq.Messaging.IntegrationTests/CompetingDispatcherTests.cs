using System.Diagnostics;
using Antq.Messaging.IntegrationTests.Infrastructure;
using Antq.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Antq.Messaging.IntegrationTests;

/// <summary>Two replicas of a service: two hosts, two dispatchers, one database, consumers competing on one queue.</summary>
public sealed class CompetingDispatcherTests(ITestOutputHelper output) : IAsyncLifetime
{
    const int Transactions = 20;
    const int RowsPerTransaction = 100;

    TestDatabase database = null!;
    TestVirtualHost virtualHost = null!;
    readonly List<MessagingHost> hosts = [];

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("competing");
        virtualHost = await TestVirtualHost.CreateAsync("competing");
        var deliveries = new Deliveries();
        for (var i = 0; i < 2; i++)
        {
            hosts.Add(await MessagingHost.StartAsync(database, virtualHost, options =>
            {
                options.Deliveries = deliveries;
                options.Settings["Outbox:BatchSize"] = "50";
                options.Settings["Outbox:PollInterval"] = "00:00:00.050";
            }));
        }
    }

    [Fact]
    public async Task Two_dispatchers_on_one_database_publish_every_row_exactly_once()
    {
        var published = hosts.Select(_ => new PublishCounter()).ToArray();
        var handles = hosts.Select((host, i) => host.Bus.ConnectPublishObserver(published[i])).ToArray();
        var deliveries = hosts[0].Deliveries;
        var clock = Stopwatch.StartNew();

        // Each replica writes half the transactions, several at once, while both dispatchers run.
        var written = await Task.WhenAll(Enumerable.Range(0, Transactions).Select(batch => hosts[batch % 2].WithContextAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var ids = Enumerable.Range(0, RowsPerTransaction)
                .Select(index => db.AddOutboxMessage(new ItemLoaded { Batch = batch, Index = index }).MessageId)
                .ToList();
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return ids;
        })));
        var expected = written.SelectMany(ids => ids).ToHashSet();
        Assert.Equal(Transactions * RowsPerTransaction, expected.Count);

        await Eventually.UntilAsync(() => deliveries.All.Count >= expected.Count, TimeSpan.FromSeconds(60),
            $"{expected.Count} deliveries (so far {deliveries.All.Count})");
        await Eventually.UntilAsync(async () => await PendingAsync() == 0, TimeSpan.FromSeconds(15), "every row is marked sent");
        output.WriteLine($"{expected.Count} rows delivered in {clock.ElapsedMilliseconds} ms; published by host 0: {published[0].Count}, host 1: {published[1].Count}");

        // Stop both replicas so no publish can still be on its way, then count what they published: a duplicate
        // published just before the stop shows there even if it never reached the consumer.
        foreach (var handle in handles) handle.Disconnect();
        foreach (var host in hosts) await host.StopAsync();

        var received = deliveries.All.Select(d => d.MessageId).ToList();
        Assert.Equal(expected.Count, received.Count);
        Assert.True(expected.SetEquals(received), "the delivered ids differ from the written ones");
        Assert.Equal(expected.Count, published.Sum(p => p.Count));
        Assert.All(published, p => Assert.True(p.Count > 0, "one dispatcher published nothing: they did not run at once"));
    }

    Task<int> PendingAsync() => hosts[0].WithContextAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.SentAt == null));

    public async Task DisposeAsync()
    {
        foreach (var host in hosts) await host.DisposeAsync();
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }

    sealed class PublishCounter : IPublishObserver
    {
        int count;

        public int Count => Volatile.Read(ref count);

        public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

        public Task PostPublish<T>(PublishContext<T> context) where T : class
        {
            if (context.Message is ItemLoaded) Interlocked.Increment(ref count);
            return Task.CompletedTask;
        }

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
