using Antq.Messaging.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Messaging.IntegrationTests;

/// <summary>A host whose dispatcher runs only when a test says so, on a clock it moves.</summary>
public sealed class OutboxBacklogFixture() : HostFixture("backlog")
{
    public ManualClock Clock { get; } = new();

    protected override void Configure(MessagingHostOptions options)
    {
        options.RunDispatcher = false;
        options.Clock = Clock;
        options.Settings["Outbox:MaxRefusals"] = "3";
    }
}

/// <summary>What the status page reads of an outbox: rows waiting, rows parked, and when the oldest waiting row was written.</summary>
public sealed class OutboxBacklogTests(OutboxBacklogFixture fixture) : IClassFixture<OutboxBacklogFixture>
{
    [Fact]
    public async Task The_backlog_counts_waiting_rows_apart_from_parked_ones_with_the_oldest_waiting_rows_time_until_they_are_sent()
    {
        var host = fixture.Host;
        await host.ResetOutboxAsync();
        var backlog = Assert.Single(host.Services.GetServices<IOutboxBacklog>());
        var empty = await backlog.ReadAsync(CancellationToken.None);
        Assert.Equal(("TestDbContext", 0L, 0L, (DateTimeOffset?)null), (empty.Outbox, empty.Unsent, empty.Parked, empty.OldestUnsentAt));

        // A row parked long ago (its refusals spent) is a dead letter, not backlog: it does not make the backlog look old.
        var parkedAt = fixture.Clock.GetUtcNow();
        var firstAt = parkedAt.AddMinutes(5);
        await host.WithContextAsync(async db =>
        {
            db.AddOutboxMessage(Filed("tạm giữ"), fixture.Clock).Attempts = 3;
            fixture.Clock.Advance(TimeSpan.FromMinutes(5));
            db.AddOutboxMessage(Filed("thứ nhất"), fixture.Clock);
            fixture.Clock.Advance(TimeSpan.FromMinutes(1));
            db.AddOutboxMessage(Filed("thứ hai"), fixture.Clock);
            await db.SaveChangesAsync();
        });

        var waiting = await backlog.ReadAsync(CancellationToken.None);
        Assert.Equal(2, waiting.Unsent);
        Assert.Equal(1, waiting.Parked);
        Assert.Equal(firstAt, waiting.OldestUnsentAt);

        // Sent: nothing waits; the parked row stays until an administrator redrives it.
        Assert.Equal(2, await host.Dispatcher.DispatchOnceAsync(CancellationToken.None));
        var sent = await backlog.ReadAsync(CancellationToken.None);
        Assert.Equal((0L, 1L, (DateTimeOffset?)null), (sent.Unsent, sent.Parked, sent.OldestUnsentAt));
    }

    static ReportFiled Filed(string title) => new() { ReportId = Guid.NewGuid(), Title = title, OccurredAt = DateTimeOffset.UtcNow };
}
