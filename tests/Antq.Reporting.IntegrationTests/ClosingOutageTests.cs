using Antq.Contracts.Identity;
using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Notification.Api.Data;
using Antq.Notification.Api.Inbox;
using Antq.Notification.Api.Notices;
using Antq.Notification.Api.Reminders;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>
/// Issue 23: a period whose deadline passes while the broker or the databases are away closes once, right after they
/// are back: its notice reaches the level's officer once, and each commune that did not report gets its overdue notice
/// once. The Reporting and Notification services run in process, each on its own database, on one virtual host, with
/// one clock; the outage is made for them alone (the virtual host refuses connections, the databases refuse them), so
/// that the tests sharing the servers are not disturbed.
/// </summary>
public sealed class ClosingOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    const string Province = "12"; // Lai Châu: 38 communes
    const string Period = "2027-H1";

    /// <summary>One platform clock for both services: the deadline passes for both when the test moves it.</summary>
    readonly PlatformClock clock = new();
    readonly UnitLists units = UnitLists.Load();
    readonly Guid officer = Guid.NewGuid();
    TestDatabase reportingDatabase = null!;
    TestDatabase notificationDatabase = null!;
    TestVirtualHost virtualHost = null!;
    ClockedReportingService reporting = null!;
    ServiceFactory<NotificationDbContext> notification = null!;
    List<string> communes = null!;

    public async Task InitializeAsync()
    {
        reportingDatabase = await TestDatabase.CreateAsync("closing-outage");
        notificationDatabase = await TestDatabase.CreateAsync("notif-outage");
        virtualHost = await TestVirtualHost.CreateAsync("closing-outage");
        reporting = new ClockedReportingService(reportingDatabase, virtualHost, clock);
        // Quick retries: the outbox and the consumers come back within a second or two of the outage's end.
        reporting.Settings["Outbox:FirstRetryDelay"] = "00:00:00.200";
        reporting.Settings["Outbox:MaxRetryDelay"] = "00:00:01";
        reporting.Settings["Outbox:PublishTimeout"] = "00:00:02";
        notification = new ServiceFactory<NotificationDbContext>("notification", notificationDatabase, virtualHost) { Clock = clock };
        notification.Settings["Logging:LogLevel:Default"] = "Warning";
        notification.Settings["Notification:Dispatcher:PollInterval"] = "00:00:00.500";
        // The overdue notices a minute after the deadline go at that minute whatever the hour the test runs (the working
        // hour and the night's quiet hours are Notification's own tests' subject).
        notification.Settings["Notification:Reminders:RemindAt"] = "";
        notification.Settings["Notification:Reminders:QuietHours"] = "";
        _ = reporting.Server;
        _ = notification.Server;
        await using (var scope = reporting.Services.CreateAsyncScope())
            await units.InsertAsync(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
        await using (var scope = notification.Services.CreateAsyncScope())
            await units.InsertAsync(scope.ServiceProvider.GetRequiredService<NotificationDbContext>());

        // The province's officer, who reads the closing's notice; the communes' deadline a minute ahead.
        communes = [.. units.ChildrenOf(Province, new DateOnly(2027, 6, 14)).Select(c => c.Code)];
        var bus = reporting.Services.GetRequiredService<IBus>();
        await bus.Publish(new UserChanged
        {
            UserId = officer, UserName = $"cb-tinh-{Province}", FullName = "Cán bộ tỉnh", Role = AntqRoles.ProvinceOfficer,
            OrgUnitCode = Province, Active = true, OccurredAt = DateTimeOffset.UtcNow,
        });
        var now = clock.GetUtcNow();
        var due = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMinutes(1);
        // The province's plan: one overdue notice a minute after the deadline to each commune that has not reported,
        // repeated and escalated only weeks later.
        var planId = Guid.NewGuid();
        await bus.Publish(new PlanIssued
        {
            PlanId = planId, Number = "12/KH-CAT", Title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ ANTQ năm 2027",
            IssuerCode = Province, Year = 2027, IssuedOn = DateOnly.FromDateTime(now.UtcDateTime),
            Deadlines = [new PlanPeriodDeadline { Period = Period, DueAt = due }],
            ReminderPolicy = new PlanReminderPolicy { Reminders = ["PT1M"], OverdueRepeat = "P30D", EscalateAfter = "P30D" },
            Targets = [], OccurredAt = now,
        });
        await Waiting.ForAsync(async () => await InNotificationAsync(db => db.PlanReminderSettings.AnyAsync(p => p.PlanId == planId)), "the plan's reminder policy in Notification");
        await bus.Publish(new DeadlinesChanged
        {
            Period = Period, OccurredAt = now,
            Deadlines = [.. communes.Select(c => new UnitDeadline { OrgUnitCode = c, ReportsToCode = Province, DueAt = due, PlanId = planId, Derived = false, Sequence = 1 })],
        });
        // Notification hears the submission below only once its queue for it exists (its bus starts in the background).
        await Waiting.ForAsync(async () => (await virtualHost.QueuesAsync()).Contains("notification-report-submitted"), "Notification's queue of submissions");
        using var commune = reporting.CreateClientAs($"cb-{communes[0]}", AntqRoles.CommuneOfficer, communes[0]);
        await commune.PutJsonAsync($"/api/reports/{communes[0]}/{Period}", new { values = new Dictionary<string, int> { ["FORUMS"] = 6 } }).OkJsonAsync();
        await commune.PostAsync($"/api/reports/{communes[0]}/{Period}/submit", null).OkJsonAsync();
        await Waiting.ForAsync(async () => await InReportingAsync(db => db.Deadlines.CountAsync()) == communes.Count, "Reporting's copy of the deadlines");
        await Waiting.ForAsync(async () => await InNotificationAsync(db => db.Recipients.AnyAsync(r => r.UserId == officer)), "the officer in Notification's recipients");
        await Waiting.ForAsync(async () => await InNotificationAsync(db => db.Set<Notice>().AnyAsync(n => n.Kind == NoticeKinds.Submitted && n.OrgUnitCode == communes[0])),
            "Notification hears the submission");
        // Deadlines are known weeks ahead: the overdue notices are planned before the outage.
        await Waiting.ForAsync(async () => (await ScheduledNoticesAsync()).Select(n => n.OrgUnitCode).Distinct().Count() >= communes.Count - 1,
            "the overdue notices planned", 90);
    }

    public async Task DisposeAsync()
    {
        await reporting.DisposeAsync();
        await notification.DisposeAsync();
        await virtualHost.DisposeAsync();
        await reportingDatabase.DisposeAsync();
        await notificationDatabase.DisposeAsync();
    }

    async Task<T> InReportingAsync<T>(Func<ReportingDbContext, Task<T>> read)
    {
        await using var scope = reporting.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
    }

    async Task<T> InNotificationAsync<T>(Func<NotificationDbContext, Task<T>> read)
    {
        await using var scope = notification.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<NotificationDbContext>());
    }

    Task<int> ClosingsAsync() => InReportingAsync(db => db.Closings.CountAsync(c => c.OrgUnitCode == Province && c.Period == Period));

    Task<List<OutboxMessage>> PeriodClosedRowsAsync() => InReportingAsync(db => db.Set<OutboxMessage>().AsNoTracking()
        .Where(m => m.MessageType.StartsWith("Antq.Contracts.Reporting.PeriodClosed")).ToListAsync());

    Task<List<Notice>> ClosedNoticesAsync() => InNotificationAsync(db => db.Set<Notice>().AsNoTracking()
        .Where(n => n.Kind == NoticeKinds.PeriodClosed && n.OrgUnitCode == Province && n.Period == Period).ToListAsync());

    /// <summary>
    /// The notices Notification schedules by itself from the deadlines (reminders, overdue notices, escalations), but
    /// those cancelled: they are planned ahead, and the submitted commune's was cancelled when it reported.
    /// </summary>
    Task<List<Notice>> ScheduledNoticesAsync() => InNotificationAsync(db => db.Set<Notice>().AsNoTracking()
        .Where(n => n.Period == Period && n.Status != NoticeStatuses.Cancelled
            && (n.Kind == NoticeKinds.Reminder || n.Kind == NoticeKinds.Overdue || n.Kind == NoticeKinds.Escalation)).ToListAsync());

    Task<int> OfficersItemsAsync(Guid notice) => InNotificationAsync(db => db.Set<InboxItem>().CountAsync(i => i.NoticeId == notice && i.UserId == officer));

    /// <summary>After the outage: one closing, one PeriodClosed published, one notice sent, one item in the officer's inbox; and still one a while later.</summary>
    async Task AssertClosedOnceWithOneNoticeAsync()
    {
        await Waiting.ForAsync(async () => (await ClosedNoticesAsync()) is [{ Status: NoticeStatuses.Sent }], "the closing's notice sent after the outage", 90);
        var notice = Assert.Single(await ClosedNoticesAsync());
        await Waiting.ForAsync(async () => await OfficersItemsAsync(notice.Id) > 0, "the notice in the officer's inbox");

        // Redeliveries, retries and the next polls have had their chance to repeat anything.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await ClosingsAsync());
        var published = Assert.Single(await PeriodClosedRowsAsync());
        Assert.NotNull(published.SentAt);
        Assert.Single(await ClosedNoticesAsync());
        Assert.Equal(1, await OfficersItemsAsync(notice.Id));
        Assert.Equal([1, 0, communes.Count - 1], notice.Counts ?? []);

        // The overdue notices that Notification plans by itself: each commune that has not reported gets one, once. (The
        // repeat and the escalation are planned too, weeks ahead: still pending.)
        var missing = communes.Skip(1).Order(StringComparer.Ordinal).ToList();
        List<Notice> FallenDue(List<Notice> notices) => [.. notices.Where(n => n.DueAt <= clock.GetUtcNow())];
        await Waiting.ForAsync(async () => FallenDue(await ScheduledNoticesAsync()) is { Count: > 0 } due
            && due.All(n => n.Status == NoticeStatuses.Sent) && due.Select(n => n.OrgUnitCode).Distinct().Count() >= missing.Count,
            "the overdue notices sent", 60, async () => string.Join(", ", (await ScheduledNoticesAsync())
                .GroupBy(n => (n.Kind, n.Status, Due: n.DueAt <= clock.GetUtcNow())).Select(g => $"{g.Key}: {g.Count()}")));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var scheduled = FallenDue(await ScheduledNoticesAsync());
        Assert.Equal(missing, scheduled.Select(n => n.OrgUnitCode).Distinct().Order(StringComparer.Ordinal));
        Assert.All(scheduled.GroupBy(n => (n.OrgUnitCode, n.Slot)), g => Assert.Single(g));
        Assert.Equal(missing.Count, scheduled.Count);
        Assert.All(scheduled, n => Assert.Equal(NoticeKinds.Overdue, n.Kind));
    }

    [Fact]
    public async Task A_deadline_that_passes_while_the_broker_is_away_closes_once_and_its_notice_goes_out_once_when_it_is_back()
    {
        await virtualHost.BlockAsync();
        try
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            // Reporting closes on its own database; PeriodClosed waits in its outbox for the broker.
            await Waiting.ForAsync(async () => await ClosingsAsync() == 1, "the closing while the broker is away");
            await Task.Delay(TimeSpan.FromSeconds(3)); // several rounds of the outbox, none of which reaches the broker
            var held = Assert.Single(await PeriodClosedRowsAsync());
            Assert.Null(held.SentAt);
            Assert.Empty(await ClosedNoticesAsync());
            output.WriteLine($"held in the outbox: attempts {held.Attempts}, last error {held.LastError}");
        }
        finally
        {
            await virtualHost.UnblockAsync();
        }

        await AssertClosedOnceWithOneNoticeAsync();
    }

    [Fact]
    public async Task A_deadline_that_passes_while_the_databases_are_away_closes_once_and_its_notice_goes_out_once_when_they_are_back()
    {
        await reportingDatabase.SetConnectionsAllowedAsync(false);
        await notificationDatabase.SetConnectionsAllowedAsync(false);
        try
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            // Several polls of the closing job fail while the deadline has passed.
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await reportingDatabase.SetConnectionsAllowedAsync(true);
            await notificationDatabase.SetConnectionsAllowedAsync(true);
        }

        await Waiting.ForAsync(async () => await ClosingsAsync() == 1, "the closing once the databases are back", 60);
        await AssertClosedOnceWithOneNoticeAsync();
        var closing = await InReportingAsync(db => db.Closings.AsNoTracking().SingleAsync(c => c.OrgUnitCode == Province && c.Period == Period));
        Assert.True(closing.ClosedAt >= closing.DueAt);
    }
}
