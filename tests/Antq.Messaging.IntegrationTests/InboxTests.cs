using Antq.Testing;
using Antq.Messaging.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Messaging.IntegrationTests;

public sealed class InboxFixture() : HostFixture("inbox");

/// <summary><see cref="Inbox.HandleOnceAsync"/> in a consumer on the real broker and database.</summary>
public sealed class InboxTests(InboxFixture fixture) : IClassFixture<InboxFixture>
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    MessagingHost Host => fixture.Host;

    [Fact]
    public async Task A_message_published_twice_with_the_same_id_is_handled_once()
    {
        var key = NewKey();
        var messageId = NewId.NextGuid();
        await PublishAsync(new CounterIncremented { Key = key }, messageId);
        await PublishAsync(new CounterIncremented { Key = key }, messageId);

        await Eventually.UntilAsync(() => Host.Deliveries.Of(messageId).Count == 2, Deadline, "both copies are consumed");
        Assert.Equal([false, true], Host.Deliveries.Of(messageId).Select(d => d.Handled!.Value).Order());
        Assert.Equal(1, await CounterAsync(key));
        Assert.Equal(1, await InboxRowsAsync(messageId));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_the_same_message_are_handled_once()
    {
        const int copies = 6;
        var key = NewKey();
        var messageId = NewId.NextGuid();
        await Task.WhenAll(Enumerable.Range(0, copies)
            .Select(_ => PublishAsync(new CounterIncremented { Key = key, ConcurrentDeliveries = copies }, messageId)));

        await Eventually.UntilAsync(() => Host.Deliveries.Of(messageId).Count == copies, Deadline, "every copy is consumed");
        Assert.True(Host.Deliveries.Barrier(messageId), "the copies were not all in flight while the first held the inbox key");
        Assert.Single(Host.Deliveries.Of(messageId), d => d.Handled == true);
        Assert.Equal(1, await CounterAsync(key));
        Assert.Equal(1, await InboxRowsAsync(messageId));
    }

    [Fact]
    public async Task A_handler_that_throws_leaves_no_inbox_row_so_the_retry_handles_it_once()
    {
        var key = NewKey();
        var messageId = NewId.NextGuid();
        await PublishAsync(new CounterIncremented { Key = key, FailAttempts = 2 }, messageId);

        await Eventually.UntilAsync(() => Host.Deliveries.Of(messageId).Count == 1, Deadline, "the message is handled after the retries");
        Assert.True(Assert.Single(Host.Deliveries.Of(messageId)).Handled);
        Assert.Equal(2, Host.Deliveries.Failures(key));
        Assert.Equal(1, await CounterAsync(key));
        Assert.Equal(1, await InboxRowsAsync(messageId));
    }

    [Fact]
    public async Task A_failed_handler_leaves_nothing_behind_for_a_later_save_on_the_same_context()
    {
        var key = NewKey();
        var messageId = NewId.NextGuid();
        await PublishAsync(new CounterIncremented { Key = key, SwallowFailure = true }, messageId);

        await Eventually.UntilAsync(() => Host.Deliveries.Of(messageId).Count == 1, Deadline, "the consumer records the failure");
        Assert.NotNull(await Host.WithContextAsync(db => db.Notes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == messageId)));
        Assert.Null(await CounterAsync(key));
        Assert.Equal(0, await InboxRowsAsync(messageId));
    }

    static string NewKey() => "k-" + Guid.NewGuid().ToString("N");

    Task PublishAsync(CounterIncremented message, Guid messageId) =>
        Host.Bus.Publish(message, context => context.MessageId = messageId);

    Task<int?> CounterAsync(string key) =>
        Host.WithContextAsync(db => db.Counters.AsNoTracking().Where(c => c.Key == key).Select(c => (int?)c.Value).SingleOrDefaultAsync());

    Task<int> InboxRowsAsync(Guid messageId) =>
        Host.WithContextAsync(db => db.Set<InboxMessage>().CountAsync(m => m.MessageId == messageId));
}
