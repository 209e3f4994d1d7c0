using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Notification.Api;
using Antq.Notification.Api.Notices;
using Antq.Notification.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StatementCounter = Antq.Testing.StatementCounter;
using Xunit.Abstractions;

namespace Antq.Notification.IntegrationTests;

/// <summary>Safety polls of 10 s, so that a few of them fit in the window watched.</summary>
public sealed class IdleWorld : NotificationWorld
{
    protected override void Configure(NotificationService service)
    {
        base.Configure(service);
        service.Settings["Notification:Dispatcher:PollInterval"] = "00:00:10";
        service.Settings["Outbox:PollInterval"] = "00:00:10";
    }
}

/// <summary>An idle service does next to nothing: its database hears only the safety polls.</summary>
public sealed class IdleTests(IdleWorld world, ITestOutputHelper output) : IClassFixture<IdleWorld>
{
    static readonly TimeSpan Window = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task An_idle_service_with_reminders_weeks_ahead_asks_its_database_only_at_the_safety_polls()
    {
        // Work that waits: a deadline a month ahead, whose reminders are planned and pending.
        var deadline = world.Clock.GetUtcNow().AddDays(30);
        await world.PublishAsync(new DeadlinesChanged
        {
            Period = "2027-Y",
            Deadlines = [new UnitDeadline { OrgUnitCode = "30101", ReportsToCode = "30", DueAt = deadline, Derived = false, Sequence = 1 }],
            OccurredAt = world.Clock.GetUtcNow(),
        });
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Set<Notice>().CountAsync(n => n.Status == NoticeStatuses.Pending)),
            c => c > 0, "the reminders planned");
        await Task.Delay(TimeSpan.FromSeconds(2)); // the rounds the planning woke are over

        var services = world.Service.Services;
        var dispatcher = services.GetRequiredService<IOptions<NotificationOptions>>().Value.Dispatcher;
        var outbox = services.GetRequiredService<IOptions<OutboxOptions>>().Value;
        using var counter = new StatementCounter(world.Database.Name);
        await Task.Delay(Window);
        var statements = counter.Statements;
        output.WriteLine($"{statements.Count} statements in {Window.TotalSeconds} s:\n{counter.Summary()}");

        // At each safety poll: every loop asks when its earliest work is due, the first loop looks for stale schedules,
        // the outbox dispatcher asks when its earliest row is due. Nothing else, and nothing in between.
        var notificationPolls = (int)Math.Ceiling(Window / dispatcher.PollInterval) + 1;
        var outboxPolls = (int)Math.Ceiling(Window / outbox.PollInterval) + 1;
        var cleanups = (int)(Window / outbox.CleanupInterval) + 1;
        var bound = notificationPolls * (dispatcher.Parallelism + 1) + outboxPolls + 2 * cleanups;
        Assert.True(statements.Count <= bound,
            $"{statements.Count} statements in {Window.TotalSeconds} s; the safety polls allow {bound}:\n{counter.Summary()}");
        Assert.True(statements.Count > 0, "no statement counted: the safety polls did not run, or the counter sees nothing");
        Assert.All(statements, s => Assert.True(StatementCounter.IsSafetyPoll(s.Text), $"not a safety poll: {s.Text}"));
    }
}
