using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Contracts.Plan;
using Antq.Contracts.Reporting;
using Antq.Notification.Api.Digests;
using Antq.Notification.Api.Recipients;
using Antq.Notification.Api.Reminders;
using Antq.Notification.IntegrationTests.Infrastructure;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.IntegrationTests;

/// <summary>The service with its reminder hour (07:30) and quiet hours (21:00-07:00) as shipped.</summary>
public sealed class WorkingHoursWorld : NotificationWorld
{
    protected override void Configure(NotificationService service)
    {
        base.Configure(service);
        service.Settings["Notification:Reminders:RemindAt"] = "07:30";
        service.Settings["Notification:Reminders:QuietHours"] = "21:00-07:00";
    }
}

/// <summary>
/// Reminders at a working hour on the shifted clock: a deadline at midnight two days ahead, the clock moved through the
/// evening, the night and the morning; and each account's own hours and digest window, set through the API the portal uses.
/// </summary>
public sealed class WorkingHoursTests(WorkingHoursWorld world) : IClassFixture<WorkingHoursWorld>
{
    const string Period = "2026-H1";

    [Fact]
    public async Task A_reminder_reaches_the_inbox_at_0730_Vietnam_time_and_nothing_arrives_between_21_and_07()
    {
        const string province = "40";
        const string commune = "16501";
        await world.UnitsAsync(province, "Tỉnh Nghệ An", (commune, "Xã Quỳnh Lưu"));
        await world.UserAsync("cb.quynhluu", AntqRoles.CommuneOfficer, commune);
        await world.UserAsync("truong.quynhluu", AntqRoles.CommuneOfficer, commune);
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Recipients.CountAsync(r => r.OrgUnitCode == commune)), n => n == 2,
            "the copies of the commune's officers");
        // One officer wants reminders no earlier than 08:15, and a night that starts at 20:00.
        using (var truong = world.As("truong.quynhluu", AntqRoles.CommuneOfficer, commune))
        {
            using var put = await truong.PutAsJsonAsync("/api/notifications/preferences", new { quietHours = "20:00-07:00", remindAt = "08:15" });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // 20:00 this evening (Vietnam time); the deadline: 00:00 the day after tomorrow.
        var clock = world.Clock;
        var today = VietnamTime.Today(clock);
        clock.AdvanceTo(VietnamTime.At(VietnamTime.At(today, new TimeOnly(20, 0)) > clock.GetUtcNow() ? today : today.AddDays(1), new TimeOnly(20, 0)));
        var evening = VietnamTime.DayOf(clock.GetUtcNow());
        var deadline = VietnamTime.StartOfDay(evening.AddDays(2));
        var planId = Guid.NewGuid();
        await world.PublishAsync(new PlanIssued
        {
            PlanId = planId, Number = "7/KH-CAT", Title = "Kế hoạch năm 2026", IssuerCode = province, Year = 2026, IssuedOn = evening,
            Deadlines = [new PlanPeriodDeadline { Period = Period, DueAt = deadline }],
            // A day before (at the hour), two hours before (22:00: at night), an hour after (01:00: at night).
            ReminderPolicy = new PlanReminderPolicy { Reminders = ["-P1D", "-PT2H", "PT1H"], OverdueRepeat = "", EscalateAfter = "" },
            Targets = [], OccurredAt = clock.GetUtcNow(),
        });
        await world.PublishAsync(new DeadlinesChanged
        {
            Period = Period, OccurredAt = clock.GetUtcNow(),
            Deadlines = [new UnitDeadline { OrgUnitCode = commune, ReportsToCode = province, DueAt = deadline, PlanId = planId, Derived = false, Sequence = 1 }],
        });

        var tomorrow = evening.AddDays(1);
        // The deadline may arrive before the plan's policy: planned under the defaults first, then again under the plan's.
        var schedule = await Eventually.UntilAsync(() => world.ScheduleAsync(commune, Period),
            s => s.ValueKind == JsonValueKind.Object && Pending(s).Select(n => n.Slot).Order().SequenceEqual(["overdue:PT1H", "reminder:-P1D", "reminder:-PT2H"]),
            "the commune's schedule under the plan's policy");
        Assert.Equal(
            [
                ("reminder:-P1D", VietnamTime.At(tomorrow, new TimeOnly(7, 30))),
                ("reminder:-PT2H", VietnamTime.At(tomorrow, new TimeOnly(20, 59))), // 22:00 is night; its end, past the deadline
                ("overdue:PT1H", VietnamTime.At(evening.AddDays(2), new TimeOnly(7, 0))),
            ],
            Pending(schedule).OrderBy(n => n.DueAt).ToList());

        // Through this evening and the night: nothing.
        await WalkAsync(VietnamTime.At(tomorrow, new TimeOnly(7, 29)), expected: 0);

        // 07:30: the reminder, for the officer who set no hours of his own; the other sees it at 08:15.
        clock.AdvanceTo(VietnamTime.At(tomorrow, new TimeOnly(7, 30, 1)));
        var first = Assert.Single(await InboxAsync("cb.quynhluu", 1));
        Assert.Equal("07:30", VietnamTime.Format(first.GetProperty("createdAt").GetDateTimeOffset(), "HH:mm"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await world.InboxAsync("truong.quynhluu", AntqRoles.CommuneOfficer, commune));
        clock.AdvanceTo(VietnamTime.At(tomorrow, new TimeOnly(8, 15, 1)));
        await InboxAsync("truong.quynhluu", 1);

        // 20:59, the last minute before the night: the reminder that fell at 22:00. Then nothing until 07:00.
        clock.AdvanceTo(VietnamTime.At(tomorrow, new TimeOnly(20, 59, 1)));
        await InboxAsync("cb.quynhluu", 2);
        await WalkAsync(VietnamTime.At(evening.AddDays(2), new TimeOnly(6, 59)), expected: 2);
        clock.AdvanceTo(VietnamTime.At(evening.AddDays(2), new TimeOnly(7, 0, 1)));
        var inbox = await InboxAsync("cb.quynhluu", 3);
        Assert.All(inbox, n => Assert.False(QuietHours.Night.Contains(n.GetProperty("createdAt").GetDateTimeOffset()),
            $"\"{n.GetProperty("title").GetString()}\" reached the inbox at night"));
        // The officer with his own night (20:00-07:00) and hour sees the 20:59 one and the overdue one at 08:15.
        Assert.Single(await world.InboxAsync("truong.quynhluu", AntqRoles.CommuneOfficer, commune));
        clock.AdvanceTo(VietnamTime.At(evening.AddDays(2), new TimeOnly(8, 15, 1)));
        await InboxAsync("truong.quynhluu", 3);

        async Task WalkAsync(DateTimeOffset until, int expected)
        {
            while (clock.GetUtcNow() < until)
            {
                clock.AdvanceTo(clock.GetUtcNow().AddMinutes(30) < until ? clock.GetUtcNow().AddMinutes(30) : until);
                await Task.Delay(TimeSpan.FromMilliseconds(300)); // three of the dispatcher's clock readings
                var seen = await world.InboxAsync("cb.quynhluu", AntqRoles.CommuneOfficer, commune);
                Assert.True(seen.Count == expected, $"{seen.Count} notices at {VietnamTime.Timestamp(clock.GetUtcNow())}, expected {expected}");
            }
        }

        Task<List<JsonElement>> InboxAsync(string user, int count) =>
            Eventually.UntilAsync(() => world.InboxAsync(user, AntqRoles.CommuneOfficer, commune), n => n.Count >= count,
                $"{count} notices in the inbox of {user}");
    }

    [Fact]
    public async Task A_plan_that_sets_its_own_reminder_hour_has_its_reminders_at_that_hour()
    {
        const string province = "42";
        const string commune = "18001";
        await world.UnitsAsync(province, "Tỉnh Hà Tĩnh", (commune, "Xã Cẩm Xuyên"));
        var now = world.Clock.GetUtcNow();
        var deadline = VietnamTime.StartOfDay(VietnamTime.DayOf(now).AddDays(10));
        var planId = Guid.NewGuid();
        await world.PublishAsync(new PlanIssued
        {
            PlanId = planId, Number = "3/KH-CAT", Title = "Kế hoạch năm 2026", IssuerCode = province, Year = 2026, IssuedOn = VietnamTime.DayOf(now),
            Deadlines = [new PlanPeriodDeadline { Period = Period, DueAt = deadline }],
            ReminderPolicy = new PlanReminderPolicy { Reminders = ["-P3D", "P1D"], OverdueRepeat = "", EscalateAfter = "P2D", RemindAt = "09:15" },
            Targets = [], OccurredAt = now,
        });
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.PlanReminderSettings.AnyAsync(p => p.PlanId == planId)), found => found, "the plan's policy");
        await world.PublishAsync(new DeadlinesChanged
        {
            Period = Period, OccurredAt = now,
            Deadlines = [new UnitDeadline { OrgUnitCode = commune, ReportsToCode = province, DueAt = deadline, PlanId = planId, Derived = false, Sequence = 1 }],
        });

        var schedule = await Eventually.UntilAsync(() => world.ScheduleAsync(commune, Period),
            s => s.ValueKind == JsonValueKind.Object && Pending(s).Count() == 3, "the commune's schedule under the plan's policy");

        var day = VietnamTime.DayOf(deadline);
        Assert.Equal(
            [
                ("reminder:-P3D", VietnamTime.At(day.AddDays(-3), new TimeOnly(9, 15))),
                ("overdue:P1D", VietnamTime.At(day.AddDays(1), new TimeOnly(9, 15))),
                ("escalation", VietnamTime.At(day.AddDays(2), new TimeOnly(9, 15))),
            ],
            Pending(schedule).OrderBy(n => n.DueAt).ToList());
    }

    static IEnumerable<(string Slot, DateTimeOffset DueAt)> Pending(JsonElement schedule) => schedule.GetProperty("notices").EnumerateArray()
        .Where(n => n.GetProperty("status").GetString() == "pending")
        .Select(n => (n.GetProperty("slot").GetString()!, n.GetProperty("dueAt").GetDateTimeOffset()));

    [Fact]
    public async Task The_digest_window_an_officer_chooses_for_his_address_is_the_window_of_his_next_digest()
    {
        const string province = "44";
        const string commune = "19001";
        const string address = "canbo.qb@congan.vn";
        await world.UnitsAsync(province, "Tỉnh Quảng Trị", (commune, "Xã Bố Trạch"));
        await world.UserAsync("cb.quangtri", AntqRoles.ProvinceOfficer, province, email: address);
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Recipients.AnyAsync(r => r.UserName == "cb.quangtri" && r.Email == address)),
            found => found, "the officer's copy with his address");
        await world.PutContactPointAsync(province, new { emails = new[] { address } });
        using var officer = world.As("cb.quangtri", AntqRoles.ProvinceOfficer, province);

        var defaults = await officer.GetFromJsonAsync<JsonElement>("/api/notifications/preferences", NotificationWorld.Json);
        Assert.Equal("00:15:00", defaults.GetProperty("effectiveDigestWindow").GetString());
        Assert.Equal(address, defaults.GetProperty("emailAddress").GetString());

        // A wrong value is refused field by field, in Vietnamese.
        using (var bad = await officer.PutAsJsonAsync("/api/notifications/preferences", new { digestWindow = "mỗi giờ", remindAt = "23:00" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("Khoảng gom thư tổng hợp \"mỗi giờ\" không hợp lệ", problem.GetProperty("errors").GetProperty("digestWindow")[0].GetString());
            Assert.Contains("nằm trong giờ nghỉ 21:00-07:00", problem.GetProperty("errors").GetProperty("remindAt")[0].GetString());
        }

        // Hourly: the next digest to his address gathers for an hour.
        Assert.Equal("01:00:00", await PutWindowAsync("01:00:00"));
        var first = await SubmitAndOpenAsync(1);
        Assert.Equal(TimeSpan.FromHours(1), first.ClosesAt - first.OpenedAt);
        world.Clock.AdvanceTo(first.ClosesAt.AddSeconds(1));
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Set<Digest>().CountAsync(d => d.Recipient == address && d.Status == DigestStatuses.Sent)),
            sent => sent == 1, "the hourly digest sent");

        // Daily: the next one gathers for a day.
        Assert.Equal("1.00:00:00", await PutWindowAsync("1.00:00:00"));
        var second = await SubmitAndOpenAsync(2);
        Assert.Equal(TimeSpan.FromDays(1), second.ClosesAt - second.OpenedAt);

        async Task<string?> PutWindowAsync(string window)
        {
            using var put = await officer.PutAsJsonAsync("/api/notifications/preferences", new { digestWindow = window });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            return (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("effectiveDigestWindow").GetString();
        }

        async Task<Digest> SubmitAndOpenAsync(int count)
        {
            var now = world.Clock.GetUtcNow();
            await world.PublishAsync(new ReportSubmitted
            {
                ReportId = Guid.NewGuid(), OrgUnitCode = commune, ReportsToCode = province, Period = Period, SubmittedAt = now,
                DueAt = now.AddDays(5), OnTime = true, SubmittedBy = "canbo", OccurredAt = now,
            });
            return await Eventually.UntilAsync(
                () => world.InDbAsync(db => db.Set<Digest>().AsNoTracking().Where(d => d.Recipient == address).OrderBy(d => d.Id).ToListAsync()),
                digests => digests.Count == count, $"digest {count} to {address}").ContinueWith(t => t.Result[^1]);
        }
    }
}
