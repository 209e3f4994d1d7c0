using System.Text.Json;
using Antq.Contracts.Plan;
using Antq.Contracts.Reporting;
using Antq.Notification.Api.Deliveries;
using Antq.Notification.Api.Digests;
using Antq.Notification.Api.Reminders;
using Antq.Notification.IntegrationTests.Infrastructure;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.IntegrationTests;

/// <summary>
/// A plan's deadline a few minutes ahead, reminders in minutes, the clock moved forward by the test: the inbox, the SMTP
/// server and the webhook receiver each get every expected notice exactly once, across a stop and restart of the
/// service in the middle, and nothing after the report arrives.
/// </summary>
public sealed class DeadlineEngineTests(NotificationWorld world) : IClassFixture<NotificationWorld>
{
    const string Province = "25";
    const string Commune = "26734";
    const string EarlyCommune = "26735";
    const string Period = "2026-H1";
    const string CommuneMail = "xa.nghiason@congan.vn";
    const string CommuneChiefMail = "truong.congan.nghiason@congan.vn";
    const string ProvinceMail = "pv01@congan.vn";

    [Fact]
    public async Task Every_notice_reaches_inbox_email_and_webhook_exactly_once_across_a_restart_and_none_after_submission()
    {
        var clock = world.Clock;
        await world.UnitsAsync(Province, "Tỉnh Phú Thọ", (Commune, "Xã Nghĩa Sơn"), (EarlyCommune, "Xã Nghĩa Hưng"));
        await world.UserAsync("canbo.xa", AntqRoles.CommuneOfficer, Commune);
        await world.UserAsync("truong.xa", AntqRoles.CommuneOfficer, Commune);
        await world.UserAsync("xem.xa", AntqRoles.Viewer, Commune);
        await world.UserAsync("canbo.xa2", AntqRoles.CommuneOfficer, EarlyCommune);
        await world.UserAsync("canbo.tinh", AntqRoles.ProvinceOfficer, Province);
        await world.WaitForCopiesAsync(units: 3, users: 5);
        await world.PutContactPointAsync(Commune, new
        {
            emails = new[] { CommuneMail, CommuneChiefMail },
            webhookUrl = world.Webhooks.Url("/hook/xa", "bi-mat-cua-xa-nghia-son"),
            webhookSecret = "bi-mat-cua-xa-nghia-son",
        });
        await world.PutContactPointAsync(Province, new
        {
            emails = new[] { ProvinceMail },
            webhookUrl = world.Webhooks.Url("/hook/tinh", "bi-mat-cua-pv01-phu-tho"),
            webhookSecret = "bi-mat-cua-pv01-phu-tho",
        });

        // The plan: reminders 2 and 1 minutes before, an overdue notice 1 minute after, repeated every minute,
        // escalation to the province 2 minutes after.
        var t0 = clock.GetUtcNow();
        var deadline = new DateTimeOffset(t0.Ticks - t0.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMinutes(3).ToOffset(VietnamTime.Offset);
        var planId = Guid.NewGuid();
        await world.PublishAsync(new PlanIssued
        {
            PlanId = planId, Number = "12/KH-CAT", Title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ ANTQ năm 2026",
            IssuerCode = Province, Year = 2026, IssuedOn = DateOnly.FromDateTime(t0.UtcDateTime),
            Deadlines = [new PlanPeriodDeadline { Period = Period, DueAt = deadline }],
            ReminderPolicy = new PlanReminderPolicy { Reminders = ["-PT2M", "-PT1M", "PT1M"], OverdueRepeat = "PT1M", EscalateAfter = "PT2M" },
            Targets = [], OccurredAt = t0,
        });
        await world.PublishAsync(new DeadlinesChanged
        {
            Period = Period,
            Deadlines =
            [
                new UnitDeadline { OrgUnitCode = Commune, ReportsToCode = Province, DueAt = deadline, PlanId = planId, Derived = false, Sequence = 1 },
                new UnitDeadline { OrgUnitCode = EarlyCommune, ReportsToCode = Province, DueAt = deadline, PlanId = planId, Derived = false, Sequence = 1 },
            ],
            OccurredAt = t0,
        });
        // One commune reports at once: it will hear nothing; the province hears that it did.
        await world.PublishAsync(Submitted(EarlyCommune, t0, deadline, onTime: true));

        var schedule = await Eventually.UntilAsync(() => world.ScheduleAsync(Commune, Period),
            s => s.ValueKind == JsonValueKind.Object && Pending(s).SetEquals(["reminder:-PT2M", "reminder:-PT1M", "overdue:PT1M", "repeat:1", "escalation"]),
            "the commune's schedule under the plan's policy");
        Assert.Equal(DueDate.Describe(deadline), schedule.GetProperty("deadline").GetString());

        // 1. Two minutes before: the first reminder.
        clock.AdvanceTo(deadline.AddMinutes(-2).AddSeconds(1));
        await InboxCountAsync("canbo.xa", 1);
        await Eventually.UntilAsync(() => Task.FromResult(world.Webhooks.CallsTo("/hook/xa").Count), c => c == 1, "the first webhook call");

        // 2. The service stops; while it is down the second reminder and the first overdue notice fall due.
        await world.StopAsync();
        clock.AdvanceTo(deadline.AddMinutes(1).AddSeconds(30));
        await world.StartAsync();
        var inbox = await InboxCountAsync("canbo.xa", 3);
        Assert.Equal([true, true], inbox.Take(2).Select(n => n.GetProperty("late").GetBoolean()));
        Assert.All(inbox.Take(2), n => Assert.StartsWith("[Gửi muộn] ", n.GetProperty("title").GetString()));

        // 3. Two minutes late: the repeat to the commune and the escalation to the province.
        clock.AdvanceTo(deadline.AddMinutes(2).AddSeconds(1));
        await InboxCountAsync("canbo.xa", 4);
        await InboxCountAsync("canbo.tinh", 2); // the early commune's submission, the escalation

        // 4. The report arrives: the province is told, the commune hears nothing more.
        await world.PublishAsync(Submitted(Commune, clock.GetUtcNow(), deadline, onTime: false));
        await InboxCountAsync("canbo.tinh", 3);
        clock.AdvanceTo(deadline.AddMinutes(5));
        await Eventually.UntilAsync(() => world.ScheduleAsync(Commune, Period),
            s => s.GetProperty("notices").EnumerateArray().Any(n => n.GetProperty("status").GetString() == "cancelled" && n.GetProperty("cancelReason").GetString() == "submitted"),
            "the next repeat cancelled by the submission");
        await Task.Delay(TimeSpan.FromSeconds(2)); // ten more dispatcher rounds

        // 5. The province hears of the two submissions by e-mail once: the digest opened by the first, sent when its window ends.
        Assert.DoesNotContain(world.Smtp.To(ProvinceMail), m => (m.Subject ?? "").StartsWith("Tổng hợp", StringComparison.Ordinal));
        var closesAt = await world.InDbAsync(db => db.Set<Digest>().Where(d => d.AudienceUnitCode == Province).Select(d => d.ClosesAt).SingleAsync());
        Assert.Equal(DigestWindow.Default, closesAt - (await world.InDbAsync(db => db.Set<Digest>().SingleAsync(d => d.AudienceUnitCode == Province))).OpenedAt);
        clock.AdvanceTo(closesAt.AddSeconds(1));
        var digest = await Eventually.UntilAsync(
            () => Task.FromResult(world.Smtp.To(ProvinceMail).Where(m => (m.Subject ?? "").StartsWith("Tổng hợp", StringComparison.Ordinal)).ToList()),
            m => m.Count >= 1, "the province's digest of submissions");
        Assert.Equal("Tổng hợp báo cáo đã nộp: 2 đơn vị", Assert.Single(digest).Subject);
        Assert.Contains($"Xã Nghĩa Hưng (mã {EarlyCommune}), nộp lúc ", digest[0].TextBody);
        Assert.Contains($"Xã Nghĩa Sơn (mã {Commune}), nộp lúc ", digest[0].TextBody);
        Assert.Contains(", đúng hạn", digest[0].TextBody);
        Assert.Contains(", nộp muộn", digest[0].TextBody);
        await Eventually.UntilAsync(async () => (await world.DeliveriesAsync()).Count(d => d.GetProperty("status").GetString() != "delivered"),
            c => c == 0, "every delivery delivered");

        // The commune's officers: four notices each, newest first, the two sent after the restart marked late.
        foreach (var officer in new[] { "canbo.xa", "truong.xa" })
        {
            var notices = await world.InboxAsync(officer, AntqRoles.CommuneOfficer, Commune);
            Assert.Equal(["overdue", "overdue", "reminder", "reminder"], notices.Select(n => n.GetProperty("kind").GetString()));
            Assert.Equal([false, true, true, false], notices.Select(n => n.GetProperty("late").GetBoolean()));
            Assert.All(notices, n => Assert.Equal(Commune, n.GetProperty("orgUnitCode").GetString()));
            Assert.All(notices, n => Assert.Contains(DueDate.Describe(deadline), n.GetProperty("body").GetString()));
            Assert.All(notices, n => Assert.Contains("Xã Nghĩa Sơn", n.GetProperty("body").GetString()));
        }

        Assert.Empty(await world.InboxAsync("xem.xa", AntqRoles.Viewer, Commune));
        Assert.Empty(await world.InboxAsync("canbo.xa2", AntqRoles.CommuneOfficer, EarlyCommune));
        var province = await world.InboxAsync("canbo.tinh", AntqRoles.ProvinceOfficer, Province);
        Assert.Equal(["submitted", "escalation", "submitted"], province.Select(n => n.GetProperty("kind").GetString()));
        Assert.Equal([Commune, Commune, EarlyCommune], province.Select(n => n.GetProperty("orgUnitCode").GetString()));
        Assert.Contains("nộp muộn", province[0].GetProperty("body").GetString());
        Assert.Contains("Đề nghị Tỉnh Phú Thọ đôn đốc", province[1].GetProperty("body").GetString());

        // E-mail: one message per notice and address (the submissions' one digest for the province), each with the
        // Message-ID of its idempotency key.
        var deliveries = await world.DeliveriesAsync();
        var mail = world.Smtp.Messages();
        Assert.Equal(4 + 4 + 2, mail.Count);
        Assert.Equal(4, world.Smtp.To(CommuneMail).Count);
        Assert.Equal(4, world.Smtp.To(CommuneChiefMail).Count);
        Assert.Equal(2, world.Smtp.To(ProvinceMail).Count);
        Assert.Equal(mail.Count, mail.Select(m => m.MessageId).Distinct().Count());
        var emailKeys = deliveries.Where(d => d.GetProperty("channel").GetString() == "email").Select(d => d.GetProperty("idempotencyKey").GetString()!).ToList();
        Assert.Equal(emailKeys.Select(Delivery.MessageIdFor).Order(), mail.Select(m => m.MessageId).Order());
        Assert.Equal(2, world.Smtp.To(CommuneMail).Count(m => (m.Subject ?? "").StartsWith("[Gửi muộn]")));

        // Webhooks: one signed call per notice, each with its own idempotency key.
        var xa = world.Webhooks.CallsTo("/hook/xa");
        var tinh = world.Webhooks.CallsTo("/hook/tinh");
        Assert.Equal(4, xa.Count);
        Assert.Equal(3, tinh.Count);
        Assert.All(xa.Concat(tinh), c => Assert.True(c.SignatureValid));
        Assert.Equal(7, xa.Concat(tinh).Select(c => c.IdempotencyKey).Distinct().Count());
        Assert.Equal(["reminder", "reminder", "overdue", "overdue"], xa.Select(c => c.Body.GetProperty("kind").GetString()));
        var officerInbox = await world.InboxAsync("canbo.xa", AntqRoles.CommuneOfficer, Commune);
        Assert.Equal(officerInbox.Select(n => n.GetProperty("id").GetString()).Order(), xa.Select(c => c.Body.GetProperty("id").GetString()).Order());

        // The log: every e-mail and webhook delivered at the first attempt.
        Assert.All(deliveries.Where(d => d.GetProperty("channel").GetString() != "inapp"), d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
        Assert.Equal(deliveries.Count, deliveries.Select(d => d.GetProperty("idempotencyKey").GetString()).Distinct().Count());
    }

    static ReportSubmitted Submitted(string unit, DateTimeOffset at, DateTimeOffset deadline, bool onTime) => new()
    {
        ReportId = Guid.NewGuid(), OrgUnitCode = unit, ReportsToCode = Province, Period = Period, SubmittedAt = at, DueAt = deadline,
        OnTime = onTime, SubmittedBy = "canbo", OccurredAt = at,
    };

    static HashSet<string> Pending(JsonElement schedule) => schedule.GetProperty("notices").EnumerateArray()
        .Where(n => n.GetProperty("status").GetString() == "pending").Select(n => n.GetProperty("slot").GetString()!).ToHashSet();

    Task<List<JsonElement>> InboxCountAsync(string user, int count) =>
        Eventually.UntilAsync(() => world.InboxAsync(user, user == "canbo.tinh" ? AntqRoles.ProvinceOfficer : AntqRoles.CommuneOfficer, user == "canbo.tinh" ? Province : Commune),
            n => n.Count >= count, $"{count} notices in the inbox of {user}");
}
