using System.Diagnostics;
using Antq.Messaging.IntegrationTests.Infrastructure;
using Antq.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace Antq.Messaging.IntegrationTests;

/// <summary>A consumer whose own database refuses connections for longer than all its immediate retries.</summary>
public sealed class ConsumerOutageFixture() : HostFixture("consumeroutage")
{
    protected override void Configure(MessagingHostOptions options)
    {
        options.Settings["Bus:Outage:FirstPause"] = "00:00:01";
        options.Settings["Bus:Outage:MaxPause"] = "00:00:04";
    }
}

public sealed class ConsumerOutageTests(ConsumerOutageFixture fixture, ITestOutputHelper output) : IClassFixture<ConsumerOutageFixture>
{
    const string Queue = "test-counter";

    MessagingHost Host => fixture.Host;

    [Fact]
    public async Task Messages_arriving_while_the_consumers_database_refuses_connections_wait_in_the_queue_and_are_consumed_once_after()
    {
        var warmUp = await PublishAsync("trước");
        await Eventually.UntilAsync(() => Host.Deliveries.Contains(warmUp), TimeSpan.FromSeconds(20), "the warm-up message is consumed");

        var clock = Stopwatch.StartNew();
        var keys = new List<string>();
        await SetConnectionsAllowedAsync(false);
        try
        {
            // Messages keep arriving through the outage (the publisher's own database is elsewhere: published directly).
            for (var i = 0; i < 8; i++)
            {
                var key = $"trong-{i}";
                keys.Add(key);
                await PublishAsync(key);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            // Longer than every immediate retry (about 10 s in all): nothing may reach _error meanwhile.
            await Task.Delay(TimeSpan.FromSeconds(17));
            output.WriteLine($"outage over after {clock.ElapsedMilliseconds} ms; in the queue: {await DepthAsync(Queue)}");
            Assert.Equal(0u, await DepthAsync(Queue + "_error"));
            Assert.DoesNotContain(Host.Deliveries.All, d => d.Message is CounterIncremented { Key: var k } && k.StartsWith("trong-") && d.Handled == true);
        }
        finally
        {
            await SetConnectionsAllowedAsync(true);
        }

        await Eventually.UntilAsync(async () => (await CountersAsync()).Count(c => keys.Contains(c.Key)) == keys.Count,
            TimeSpan.FromSeconds(60), "every message of the outage is consumed after it");
        output.WriteLine($"all consumed after {clock.ElapsedMilliseconds} ms");
        var counters = await CountersAsync();
        Assert.All(keys, key => Assert.Equal(1, counters.Single(c => c.Key == key).Value));
        Assert.All(keys, key => Assert.Single(Host.Deliveries.All, d => d.Message is CounterIncremented { Key: var k } && k == key && d.Handled == true));
        Assert.Equal(0u, await DepthAsync(Queue + "_error"));
        Assert.Equal(0u, await DepthAsync(Queue));
    }

    async Task<Guid> PublishAsync(string key)
    {
        var id = NewId.NextGuid();
        await Host.Bus.Publish(new CounterIncremented { Key = key }, context => context.MessageId = id);
        return id;
    }

    Task<List<Counter>> CountersAsync() => Host.WithContextAsync(db => db.Counters.AsNoTracking().ToListAsync());

    /// <summary>The database refuses new connections and its open ones are ended, as in maintenance (or allowed again).</summary>
    async Task SetConnectionsAllowedAsync(bool allowed)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
        await connection.OpenAsync();
        var name = fixture.Database.Name;
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", connection))
        {
            await alter.ExecuteNonQueryAsync();
        }

        if (allowed) return;
        await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name", connection);
        terminate.Parameters.AddWithValue("name", name);
        output.WriteLine($"connections ended: {await terminate.ExecuteScalarAsync()}");
    }

    Task<uint> DepthAsync(string queue) => fixture.VirtualHost.DepthAsync(queue);
}
