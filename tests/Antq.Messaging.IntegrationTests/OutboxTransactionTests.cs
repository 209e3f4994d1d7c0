using Antq.Testing;
using Antq.Messaging.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Antq.Messaging.IntegrationTests;

public sealed class OutboxTransactionFixture() : HostFixture("outboxtx")
{
    // Polling so rarely that every delivery in this class depends on the commit signal.
    protected override void Configure(MessagingHostOptions options) => options.Settings["Outbox:PollInterval"] = "00:05:00";
}

public sealed class OutboxTransactionTests(OutboxTransactionFixture fixture) : IClassFixture<OutboxTransactionFixture>
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    MessagingHost Host => fixture.Host;

    [Fact]
    public async Task A_state_change_and_its_message_commit_together()
    {
        var report = new Report { Id = Guid.NewGuid(), Title = "Báo cáo quý I" };
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Reports.Add(report);
        var row = db.AddOutboxMessage(Filed(report));
        await db.SaveChangesAsync();

        // Saved but not committed: nothing is visible outside, and a later commit's message overtakes it.
        Assert.Null(await Host.WithContextAsync(other => other.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == report.Id)));
        Assert.Null(await Host.OutboxRowAsync(row.MessageId));
        var marker = await Host.WriteAsync(Filed(new Report { Id = Guid.NewGuid(), Title = "marker" }));
        await Eventually.UntilAsync(() => Host.Deliveries.Contains(marker), Deadline, "the marker committed later is delivered");
        Assert.False(Host.Deliveries.Contains(row.MessageId), "a message was published before its transaction committed");

        await transaction.CommitAsync();

        await Eventually.UntilAsync(() => Host.Deliveries.Contains(row.MessageId), Deadline, "the committed message is delivered");
        var delivered = Assert.IsType<ReportFiled>(Assert.Single(Host.Deliveries.Of(row.MessageId)).Message);
        Assert.Equal(report.Id, delivered.ReportId);
        Assert.NotNull(await Host.WithContextAsync(other => other.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == report.Id)));
        await Eventually.UntilAsync(async () => (await Host.OutboxRowAsync(row.MessageId))?.SentAt is not null, Deadline, "the row is marked sent");
    }

    [Fact]
    public async Task A_rolled_back_transaction_leaves_neither_a_row_nor_a_delivered_message()
    {
        var report = new Report { Id = Guid.NewGuid(), Title = "Báo cáo bị hủy" };
        Guid rolledBack;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Reports.Add(report);
            rolledBack = db.AddOutboxMessage(Filed(report)).MessageId;
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        // A message committed after the rollback is delivered; by then the rolled-back one had every chance.
        var marker = await Host.WriteAsync(Filed(new Report { Id = Guid.NewGuid(), Title = "marker" }));
        await Eventually.UntilAsync(() => Host.Deliveries.Contains(marker), Deadline, "the marker is delivered");

        Assert.Null(await Host.WithContextAsync(db => db.Reports.AsNoTracking().SingleOrDefaultAsync(r => r.Id == report.Id)));
        Assert.Null(await Host.OutboxRowAsync(rolledBack));
        Assert.DoesNotContain(Host.Deliveries.All, d => d.MessageId == rolledBack || (d.Message as ReportFiled)?.ReportId == report.Id);
    }

    [Fact]
    public async Task A_commit_wakes_the_dispatcher_without_waiting_for_the_poll()
    {
        // The dispatcher of this class polls every five minutes: only the interceptor's signal can deliver in seconds.
        var withoutTransaction = await Host.WriteAsync(Filed(new Report { Id = Guid.NewGuid(), Title = "một lệnh" }));
        await Eventually.UntilAsync(() => Host.Deliveries.Contains(withoutTransaction), TimeSpan.FromSeconds(10),
            "a message saved without an explicit transaction is delivered");

        var inTransaction = await Host.WithContextAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Reports.Add(new Report { Id = Guid.NewGuid(), Title = "trong giao dịch" });
            var row = db.AddOutboxMessage(Filed(new Report { Id = Guid.NewGuid(), Title = "trong giao dịch" }));
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return row.MessageId;
        });
        await Eventually.UntilAsync(() => Host.Deliveries.Contains(inTransaction), TimeSpan.FromSeconds(10),
            "a message committed in an explicit transaction is delivered");
    }

    [Fact]
    public async Task A_message_added_through_a_reference_of_another_type_is_published_as_its_own_type()
    {
        object message = Filed(new Report { Id = Guid.NewGuid(), Title = "kiểu tĩnh object" });
        var id = await Host.WriteAsync(message);

        Assert.Equal(typeof(ReportFiled).FullName + ", " + typeof(ReportFiled).Assembly.GetName().Name, (await Host.OutboxRowAsync(id))!.MessageType);
        await Eventually.UntilAsync(() => Host.Deliveries.Contains(id), Deadline, "the message reaches the ReportFiled consumer");
        Assert.Equal(((ReportFiled)message).ReportId, Assert.IsType<ReportFiled>(Assert.Single(Host.Deliveries.Of(id)).Message).ReportId);
    }

    static ReportFiled Filed(Report report) =>
        new() { ReportId = report.Id, Title = report.Title, OccurredAt = DateTimeOffset.UtcNow };
}
