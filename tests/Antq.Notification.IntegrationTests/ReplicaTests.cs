using Antq.Contracts.Plan;
using Antq.Notification.Api.Deliveries;
using Antq.Notification.Api.Notices;
using Antq.Notification.Api.Reminders;
using Antq.Notification.IntegrationTests.Infrastructure;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.IntegrationTests;

/// <summary>Replicas that poll often, so that both compete for every notice, not only the one whose commit wrote it.</summary>
public sealed class CompetingReplicasWorld : NotificationWorld
{
    protected override void Configure(NotificationService service)
    {
        base.Configure(service);
        service.Settings["Notification:Dispatcher:PollInterval"] = "00:00:00.200";
    }
}

/// <summary>Two replicas of the service on one database and one set of queues: every notice still goes out once per channel and recipient.</summary>
public sealed class ReplicaTests(CompetingReplicasWorld world) : IClassFixture<CompetingReplicasWorld>
{
    const string Province = "46";
    const string Period = "2027-H1";

    [Fact]
    public async Task Two_replicas_send_each_notice_once_per_channel_and_recipient()
    {
        var communes = Enumerable.Range(1, 12).Select(i => ($"19{i:000}", $"Xã Thử Nghiệm {i}")).ToArray();
        await using var replica = await world.StartReplicaAsync();
        await world.UnitsAsync(Province, "Thành phố Huế", communes);
        foreach (var (code, _) in communes) await world.UserAsync($"cb.{code}", AntqRoles.CommuneOfficer, code);
        await world.WaitForCopiesAsync(units: communes.Length + 1, users: communes.Length);
        foreach (var (code, _) in communes)
        {
            await world.PutContactPointAsync(code, new
            {
                emails = new[] { $"xa{code}@congan.vn" },
                webhookUrl = world.Webhooks.Url($"/hook/{code}", $"khoa-bi-mat-xa-{code}"),
                webhookSecret = $"khoa-bi-mat-xa-{code}",
            });
        }

        var t0 = world.Clock.GetUtcNow();
        var deadline = t0.AddMinutes(2);
        var planId = Guid.NewGuid();
        await world.PublishAsync(new PlanIssued
        {
            PlanId = planId, Number = "05/KH-CATP", Title = "Kế hoạch năm 2027", IssuerCode = Province, Year = 2027,
            IssuedOn = DateOnly.FromDateTime(t0.UtcDateTime), Deadlines = [],
            ReminderPolicy = new PlanReminderPolicy { Reminders = ["-PT1M", "PT1M"], OverdueRepeat = "", EscalateAfter = "" },
            Targets = [], OccurredAt = t0,
        });
        await world.PublishAsync(new DeadlinesChanged
        {
            Period = Period,
            Deadlines = communes.Select(c => new UnitDeadline
            {
                OrgUnitCode = c.Item1, ReportsToCode = Province, DueAt = deadline, PlanId = planId, Derived = false, Sequence = 7,
            }).ToList(),
            OccurredAt = t0,
        });
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Set<Notice>().CountAsync(n => n.Period == Period && n.Status == NoticeStatuses.Pending && n.Slot == "overdue:PT1M")),
            c => c == communes.Length, "every commune's schedule under the plan's policy");

        world.Clock.AdvanceTo(deadline.AddMinutes(-1).AddSeconds(1));
        await Eventually.UntilAsync(() => Task.FromResult(world.Webhooks.Calls.Count(c => c.Path.StartsWith("/hook/19"))), c => c >= communes.Length, "the reminders");
        // Webhooks go in lanes of their own, beside the e-mails: every result recorded before the clock jumps two minutes
        // (a jump past the leases of e-mails still in flight would let the other replica send them again).
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Set<Delivery>().CountAsync(d => d.Status != DeliveryStatuses.Delivered)), c => c == 0, "the reminders recorded");
        world.Clock.AdvanceTo(deadline.AddMinutes(1).AddSeconds(1));
        await Eventually.UntilAsync(() => Task.FromResult(world.Webhooks.Calls.Count(c => c.Path.StartsWith("/hook/19"))), c => c >= 2 * communes.Length, "the overdue notices");
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Set<Delivery>().CountAsync(d => d.Status != DeliveryStatuses.Delivered)), c => c == 0, "every delivery recorded");
        await Task.Delay(TimeSpan.FromSeconds(1)); // a few more rounds of both replicas

        foreach (var (code, _) in communes)
        {
            var calls = world.Webhooks.CallsTo($"/hook/{code}");
            Assert.Equal(["reminder", "overdue"], calls.Select(c => c.Body.GetProperty("kind").GetString()));
            Assert.All(calls, c => Assert.True(c.SignatureValid));
            Assert.Equal(2, world.Smtp.To($"xa{code}@congan.vn").Select(m => m.MessageId).Distinct().Count());
            Assert.Equal(2, world.Smtp.To($"xa{code}@congan.vn").Count);
            Assert.Equal(2, (await world.InboxAsync($"cb.{code}", AntqRoles.CommuneOfficer, code)).Count);
        }

        var attempts = await world.InDbAsync(db => db.Set<Delivery>().Where(d => d.Channel != DeliveryChannels.InApp).Select(d => d.Attempts).ToListAsync());
        Assert.Equal(4 * communes.Length, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(1, a));
    }
}
