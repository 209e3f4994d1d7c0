using Antq.Contracts.Reporting;
using Antq.Notification.Api.Inbox;
using Antq.Notification.Api.Notices;
using Antq.Notification.IntegrationTests.Infrastructure;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using StatementCounter = Antq.Testing.StatementCounter;
using Xunit.Abstractions;

namespace Antq.Notification.IntegrationTests;

/// <summary>A wake-up delay long enough that a burst published at once falls into one wait even on a busy machine.</summary>
public sealed class BurstWorld : NotificationWorld
{
    protected override void Configure(NotificationService service)
    {
        base.Configure(service);
        service.Settings["Notification:Dispatcher:WakeDelay"] = "00:00:00.500";
    }
}

/// <summary>
/// Issue 22: a commit wakes only the step of what it wrote, and a burst of commits costs about one round. Before, every
/// commit woke every loop, and each asked for its next due time and claimed notices, digests and deliveries: 9.6
/// transactions per submission.
/// </summary>
public sealed class WakeTests(BurstWorld world, ITestOutputHelper output) : IClassFixture<BurstWorld>
{
    const string Period = "2026-Y";

    [Fact]
    public async Task A_burst_of_submissions_wakes_only_the_notice_step_and_costs_about_one_round()
    {
        const string province = "54";
        var communes = Enumerable.Range(1, 10).Select(i => ($"227{i:00}", $"Xã Đợt {i}")).ToArray();
        await world.UnitsAsync(province, "Tỉnh Phú Yên", communes);
        await world.UserAsync("pv01.phuyen", AntqRoles.ProvinceOfficer, province);
        await world.WaitForCopiesAsync(units: communes.Length + 1, users: 1);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the rounds the copies woke are over

        using var counter = new StatementCounter(world.Database.Name);
        var now = world.Clock.GetUtcNow();
        await Task.WhenAll(communes.Select(c => world.PublishAsync(new ReportSubmitted
        {
            ReportId = Guid.NewGuid(), OrgUnitCode = c.Item1, ReportsToCode = province, Period = Period, SubmittedAt = now,
            DueAt = now.AddDays(1), OnTime = true, SubmittedBy = "canbo", OccurredAt = now,
        })));

        // Every submission reaches the province officer's inbox (an inbox item and an in-app delivery each).
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Set<Notice>()
                .CountAsync(n => n.AudienceUnitCode == province && n.Kind == NoticeKinds.Submitted && n.Status == NoticeStatuses.Sent)),
            c => c == communes.Length, "the ten submitted notices sent");
        await Task.Delay(TimeSpan.FromSeconds(1)); // any round the burst still woke
        var statements = counter.Statements.Select(s => s.Text).ToList();
        output.WriteLine(counter.Summary());

        static bool Claims(string sql, string table) => sql.Contains($"FROM {table}", StringComparison.Ordinal) && sql.Contains("SKIP LOCKED", StringComparison.Ordinal);
        var noticeClaims = statements.Count(s => Claims(s, "notices"));
        var nextDue = statements.Count(s => s.Contains("min(due_at)", StringComparison.Ordinal));
        // The consumers' commits come within the wake-up delay of one another, or nearly: one round, two at most.
        // Before, each of the ten commits woke all four loops, each claiming notices: forty claims or more.
        Assert.InRange(noticeClaims, 1, 3);
        Assert.InRange(nextDue, 1, 3);
        // The notices wrote inbox items and in-app deliveries, and opened no digest (no contact point): nothing woke the
        // delivery senders, the digests or the planner.
        Assert.DoesNotContain(statements, s => Claims(s, "deliveries"));
        Assert.DoesNotContain(statements, s => Claims(s, "digests"));
        Assert.DoesNotContain(statements, s => s.Contains("FROM due_reports d", StringComparison.Ordinal));
        Assert.Equal(communes.Length, await world.InDbAsync(db => db.Set<InboxItem>()
            .Join(db.Set<Notice>().Where(n => n.AudienceUnitCode == province && n.Kind == NoticeKinds.Submitted), i => i.NoticeId, n => n.Id, (i, _) => i)
            .CountAsync()));
    }
}
