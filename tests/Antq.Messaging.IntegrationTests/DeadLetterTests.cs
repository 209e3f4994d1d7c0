using Antq.Messaging.IntegrationTests.Infrastructure;
using Antq.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Messaging.IntegrationTests;

/// <summary>A host whose dispatcher each test drives on a clock it moves; a row is parked at its third refusal.</summary>
public sealed class DeadLetterFixture() : HostFixture("deadletters")
{
    public ManualClock Clock { get; } = new();

    protected override void Configure(MessagingHostOptions options)
    {
        options.RunDispatcher = false;
        options.Clock = Clock;
        options.Settings["Outbox:FirstRetryDelay"] = "00:00:01";
        options.Settings["Outbox:MaxRetryDelay"] = "00:00:10";
        options.Settings["Outbox:MaxRefusals"] = "3";
    }
}

public sealed class DeadLetterTests(DeadLetterFixture fixture) : IClassFixture<DeadLetterFixture>
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    MessagingHost Host => fixture.Host;

    DeadLetterBook Book => Host.Services.GetRequiredService<DeadLetterBook>();

    [Fact]
    public async Task A_poison_message_goes_to_error_is_listed_without_being_lost_and_once_redriven_is_consumed()
    {
        // Fails on its first delivery and every immediate retry (six tries), for its own reasons: a bug, fixed later.
        var id = NewId.NextGuid();
        await Host.Bus.Publish(new CounterIncremented { Key = "độc", FailAttempts = 6 }, context => context.MessageId = id);
        await Eventually.UntilAsync(async () => await DepthAsync("test-counter_error") == 1, Deadline, "the message reaches test-counter_error");

        var letter = Assert.Single(await Book.ListAsync(CancellationToken.None), l => l.MessageId == id);
        Assert.Equal($"test:queue:test-counter:{id}", letter.Id);
        Assert.Equal(("queue", "test-counter_error", "CounterIncremented"), (letter.Kind, letter.Where, letter.MessageType));
        Assert.Contains("InvalidOperationException", letter.Reason);
        Assert.Contains("Planned failure for độc", letter.Reason);
        Assert.NotNull(letter.Since);
        Assert.InRange(letter.Since!.Value, DateTimeOffset.UtcNow.AddMinutes(-2), DateTimeOffset.UtcNow.AddMinutes(1));
        // Listing takes nothing away.
        Assert.Single(await Book.ListAsync(CancellationToken.None), l => l.MessageId == id);
        Assert.Equal(1u, await DepthAsync("test-counter_error"));
        Assert.Null(await CounterAsync("độc"));

        Assert.Null(await Book.RedriveAsync($"other:queue:test-counter:{id}", CancellationToken.None));
        Assert.Equal(0, await Book.RedriveAsync($"test:queue:test-counter:{Guid.NewGuid()}", CancellationToken.None));
        Assert.Equal(1, await Book.RedriveAsync(letter.Id, CancellationToken.None));

        await Eventually.UntilAsync(async () => await CounterAsync("độc") == 1, Deadline, "the redriven message is consumed");
        Assert.Equal(0u, await DepthAsync("test-counter_error"));
        Assert.DoesNotContain(await Book.ListAsync(CancellationToken.None), l => l.MessageId == id);
    }

    [Fact]
    public async Task An_outbox_row_refused_three_times_is_parked_without_blocking_the_others_listed_and_redriven()
    {
        var (poison, good) = await Host.WithContextAsync(async db =>
        {
            // Written by a release that knows a type this one does not: refused at every round.
            var unknown = db.AddOutboxMessage(new ReportFiled { ReportId = Guid.NewGuid(), Title = "loại mới", OccurredAt = DateTimeOffset.UtcNow }, fixture.Clock);
            unknown.MessageType = "Antq.Future.ReportAmended, Antq.Future";
            var fine = db.AddOutboxMessage(new ReportFiled { ReportId = Guid.NewGuid(), Title = "tốt", OccurredAt = DateTimeOffset.UtcNow }, fixture.Clock);
            await db.SaveChangesAsync();
            return (unknown.MessageId, fine.MessageId);
        });

        Assert.Equal(1, await Host.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        await Eventually.UntilAsync(() => Host.Deliveries.Contains(good), Deadline, "the row behind the refused one is delivered");
        foreach (var delay in new[] { 1, 2 })
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(delay));
            Assert.Equal(0, await Host.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        }

        var parkedAt = fixture.Clock.GetUtcNow();
        var row = (await Host.OutboxRowAsync(poison))!;
        Assert.Equal((3, (DateTimeOffset?)null, parkedAt), (row.Attempts, row.SentAt, row.NextAttemptAt));

        // Parked: an hour later no round takes it again, and it is a dead letter.
        fixture.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Host.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        Assert.Equal(3, (await Host.OutboxRowAsync(poison))!.Attempts);
        var letter = Assert.Single(await Book.ListAsync(CancellationToken.None), l => l.Kind == "outbox");
        Assert.Equal(($"test:outbox:{row.Id}", poison, "outbox", 3, parkedAt), (letter.Id, letter.MessageId!.Value, letter.Where, letter.Attempts!.Value, letter.Since!.Value));
        Assert.Contains("Unknown message type 'Antq.Future.ReportAmended, Antq.Future'", letter.Reason);
        var counts = await Host.Services.GetRequiredService<OutboxDeadLetters<TestDbContext>>().CountAsync(CancellationToken.None);
        Assert.Equal((0L, 1L), counts);

        // The fix (this release learns the type), then the redrive: it goes once, and is no longer a dead letter.
        await Host.WithContextAsync(db => db.Set<OutboxMessage>().Where(m => m.MessageId == poison)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.MessageType, $"{typeof(ReportFiled).FullName}, {typeof(ReportFiled).Assembly.GetName().Name}")));
        Assert.Equal(1, await Book.RedriveAsync(letter.Id, CancellationToken.None));
        Assert.Equal(0, (await Host.OutboxRowAsync(poison))!.Attempts);
        Assert.Equal(1, await Host.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        await Eventually.UntilAsync(() => Host.Deliveries.Contains(poison), Deadline, "the redriven row is delivered");
        Assert.Single(Host.Deliveries.Of(poison));
        Assert.NotNull((await Host.OutboxRowAsync(poison))!.SentAt);
        Assert.DoesNotContain(await Book.ListAsync(CancellationToken.None), l => l.Kind == "outbox");
        Assert.Equal(0, await Book.RedriveAsync(letter.Id, CancellationToken.None));
    }

    Task<int?> CounterAsync(string key) =>
        Host.WithContextAsync(async db => (await db.Counters.AsNoTracking().SingleOrDefaultAsync(c => c.Key == key))?.Value);

    Task<uint> DepthAsync(string queue) => fixture.VirtualHost.DepthAsync(queue);
}
