using Antq.Testing;
using Antq.Messaging.IntegrationTests.Infrastructure;
using MassTransit;

namespace Antq.Messaging.IntegrationTests;

/// <summary>A host whose dispatcher does not run by itself: each test drives rounds, on a clock it moves.</summary>
public sealed class DispatcherRoundFixture() : HostFixture("rounds")
{
    public ManualClock Clock { get; } = new();

    protected override void Configure(MessagingHostOptions options)
    {
        options.RunDispatcher = false;
        options.Clock = Clock;
        options.Settings["Outbox:FirstRetryDelay"] = "00:00:01";
        options.Settings["Outbox:MaxRetryDelay"] = "00:00:03";
    }
}

public sealed class DispatcherRoundTests(DispatcherRoundFixture fixture) : IClassFixture<DispatcherRoundFixture>, IAsyncLifetime
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    MessagingHost Host => fixture.Host;

    public Task InitializeAsync() => Host.ResetOutboxAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Rows_that_cannot_be_read_are_skipped_with_growing_back_off_while_the_rest_are_published()
    {
        var start = fixture.Clock.GetUtcNow();
        var (unknownType, badBody, good) = await Host.WithContextAsync(async db =>
        {
            // Poison first: with rows ordered by id, they are what a round meets before anything else.
            var unknown = db.AddOutboxMessage(Filed("loại đã bị xóa"), fixture.Clock);
            unknown.MessageType = "Antq.Removed.ReportWithdrawn, Antq.Removed";
            var body = db.AddOutboxMessage(Filed("nội dung hỏng"), fixture.Clock);
            body.Body = """{"reportId": 42}""";
            var fine = Enumerable.Range(0, 3).Select(i => db.AddOutboxMessage(Filed($"tốt {i}"), fixture.Clock).MessageId).ToList();
            await db.SaveChangesAsync();
            return (unknown.MessageId, body.MessageId, fine);
        });

        Assert.Equal(3, await Host.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        await Eventually.UntilAsync(() => good.All(Host.Deliveries.Contains), Deadline, "the readable rows are delivered");

        var unknownRow = (await Host.OutboxRowAsync(unknownType))!;
        Assert.Null(unknownRow.SentAt);
        Assert.Equal(1, unknownRow.Attempts);
        Assert.Contains("Unknown message type 'Antq.Removed.ReportWithdrawn, Antq.Removed'", unknownRow.LastError);
        Assert.Equal(start + TimeSpan.FromSeconds(1), unknownRow.NextAttemptAt);
        var badBodyRow = (await Host.OutboxRowAsync(badBody))!;
        Assert.Null(badBodyRow.SentAt);
        Assert.Equal(1, badBodyRow.Attempts);
        Assert.Contains("JsonException", badBodyRow.LastError);
        foreach (var id in good) Assert.NotNull((await Host.OutboxRowAsync(id))!.SentAt);

        // Not due yet: a round leaves them alone.
        Assert.Equal(0, await Host.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal(1, (await Host.OutboxRowAsync(unknownType))!.Attempts);

        // Due again: retried, and the next delay doubles, up to the maximum.
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await Host.Dispatcher.DispatchOnceAsync(CancellationToken.None);
        unknownRow = (await Host.OutboxRowAsync(unknownType))!;
        Assert.Equal(2, unknownRow.Attempts);
        Assert.Equal(start + TimeSpan.FromSeconds(1 + 2), unknownRow.NextAttemptAt);
        fixture.Clock.Advance(TimeSpan.FromSeconds(2));
        await Host.Dispatcher.DispatchOnceAsync(CancellationToken.None);
        unknownRow = (await Host.OutboxRowAsync(unknownType))!;
        Assert.Equal(3, unknownRow.Attempts);
        Assert.Equal(start + TimeSpan.FromSeconds(1 + 2 + 3), unknownRow.NextAttemptAt);

        Assert.False(Host.Deliveries.Contains(unknownType) || Host.Deliveries.Contains(badBody));
    }

    [Fact]
    public async Task A_round_cancelled_midway_still_marks_the_rows_it_published_as_sent()
    {
        var ids = await Host.WithContextAsync(async db =>
        {
            var rows = Enumerable.Range(0, 20).Select(i => db.AddOutboxMessage(Filed($"dừng {i}"), fixture.Clock).MessageId).ToList();
            await db.SaveChangesAsync();
            return rows;
        });

        // The host stops while the sixth message is being published. A round starts its publishes together and awaits
        // their confirms together: the five started before are sent, or not if their confirm came after the stop; the
        // fourteen after it never start.
        using var stopping = new CancellationTokenSource();
        using (Host.Bus.ConnectPublishObserver(new CancelOnPublish(6, stopping)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Host.Dispatcher.DispatchOnceAsync(stopping.Token));
        }

        var rows = await Host.OutboxAsync();
        var sent = rows.Where(r => r.SentAt is not null).Select(r => r.MessageId).ToList();
        Assert.InRange(sent.Count, 0, 6);
        await Eventually.UntilAsync(() => sent.All(Host.Deliveries.Contains), Deadline, "every row marked sent was delivered");

        // The rest go out in the next round, once each.
        Assert.Equal(ids.Count - sent.Count, await Host.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        await Eventually.UntilAsync(() => ids.All(Host.Deliveries.Contains), Deadline, "every row is delivered");
        Assert.All(sent, id => Assert.Single(Host.Deliveries.Of(id)));
    }

    static ReportFiled Filed(string title) => new() { ReportId = Guid.NewGuid(), Title = title, OccurredAt = DateTimeOffset.UtcNow };

    sealed class CancelOnPublish(int publish, CancellationTokenSource source) : IPublishObserver
    {
        int count;

        public Task PrePublish<T>(PublishContext<T> context) where T : class
        {
            if (Interlocked.Increment(ref count) == publish) source.Cancel();
            return Task.CompletedTask;
        }

        public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

        public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    }
}
