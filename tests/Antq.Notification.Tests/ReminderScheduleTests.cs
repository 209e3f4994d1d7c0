using Antq.Notification.Api;
using Antq.Notification.Api.Notices;
using Antq.Notification.Api.Reminders;
using Microsoft.Extensions.Configuration;
using static Antq.Notification.Tests.Walk;

namespace Antq.Notification.Tests;

/// <summary>A commune walked through a whole six-month period on a controllable clock.</summary>
public sealed class ReminderScheduleTests
{
    static readonly DateTimeOffset Deadline = Vn(2026, 6, 15); // "trước ngày 15/06/2026"
    /// <summary>
    /// The default offsets at their exact instants, without the reminder hour and quiet hours: the arithmetic of offsets,
    /// repeats and replanning, which <see cref="WorkingHoursTests"/> then places at working hours.
    /// </summary>
    static readonly ReminderPolicy Defaults = new ReminderDefaults().ToPolicy() with { RemindAt = null, Quiet = null };

    [Fact]
    public void Default_offsets_remind_7_3_1_days_before_and_at_8_on_the_last_morning_then_chase_and_escalate()
    {
        var walk = new Walk(Vn(2026, 5, 1), Deadline, Defaults);

        walk.RunUntil(Vn(2026, 6, 23, 10), TimeSpan.FromMinutes(30));

        Assert.Equal(
        [
            "reminder 08/06 00:00",
            "reminder 12/06 00:00",
            "reminder 14/06 00:00",
            "reminder 14/06 08:00",
            "overdue 16/06 00:00",
            "escalation 18/06 00:00",
            "overdue 18/06 00:00",
            "overdue 20/06 00:00",
            "overdue 22/06 00:00",
        ], walk.Timeline);
        Assert.All(walk.Sent, n => Assert.False(n.Late));
        Assert.Equal(Province, Assert.Single(walk.Sent, n => n.Kind == NoticeKinds.Escalation).AudienceUnitCode);
        Assert.All(walk.Sent.Where(n => n.Kind != NoticeKinds.Escalation), n => Assert.Equal(Commune, n.AudienceUnitCode));
    }

    [Fact]
    public void Once_submitted_the_commune_hears_nothing_more()
    {
        var walk = new Walk(Vn(2026, 5, 1), Deadline, Defaults);
        walk.RunUntil(Vn(2026, 6, 19, 9), TimeSpan.FromHours(1));
        var before = walk.Sent.Count;
        Assert.Contains(walk.Notices, n => n.IsPending); // the next repeat is waiting

        walk.Schedule.Submitted(walk.Now, walk.Notices, walk.Now);
        Assert.DoesNotContain(walk.Notices, n => n.IsPending); // at once, not when each would have fallen due
        walk.RunUntil(Vn(2026, 7, 31), TimeSpan.FromHours(1));

        Assert.Equal(before, walk.Sent.Count);
        Assert.DoesNotContain(walk.Notices, n => n.IsPending);
        Assert.All(walk.Notices.Where(n => n.Status == NoticeStatuses.Cancelled), n => Assert.Equal("submitted", n.CancelReason));
    }

    [Fact]
    public void Submitting_before_the_deadline_stops_the_remaining_reminders_and_the_escalation()
    {
        var walk = new Walk(Vn(2026, 5, 1), Deadline, Defaults);
        walk.RunUntil(Vn(2026, 6, 10), TimeSpan.FromHours(1));
        walk.Schedule.Submitted(walk.Now, walk.Notices, walk.Now);
        walk.RunUntil(Vn(2026, 7, 31), TimeSpan.FromHours(1));

        Assert.Equal(["reminder 08/06 00:00"], walk.Timeline);
    }

    [Fact]
    public void A_plans_own_policy_reminds_before_and_chases_after_by_its_offsets()
    {
        var policy = ReminderPolicy.FromIso(["-P5D", "-PT12H", "PT12H", "P2D"], "P1D", "P4D");
        var walk = new Walk(Vn(2026, 5, 1), Deadline, policy);

        walk.RunUntil(Vn(2026, 6, 20, 1), TimeSpan.FromHours(1));

        Assert.Equal(
        [
            "reminder 10/06 00:00",
            "reminder 14/06 12:00",
            "overdue 15/06 12:00",
            "overdue 17/06 00:00",
            "overdue 18/06 00:00",
            "escalation 19/06 00:00",
            "overdue 19/06 00:00",
            "overdue 20/06 00:00",
        ], walk.Timeline);
        Assert.DoesNotContain(walk.Sent, n => n.Slot == ReminderSchedule.LastDayMorningSlot);
    }

    [Fact]
    public void A_returned_report_is_reminded_to_resubmit_and_chased_again_until_it_is()
    {
        var walk = new Walk(Vn(2026, 5, 1), Deadline, Defaults);
        walk.RunUntil(Vn(2026, 6, 13, 9), TimeSpan.FromHours(1));
        walk.Schedule.Submitted(walk.Now, walk.Notices, walk.Now);
        walk.RunUntil(Vn(2026, 6, 16, 15), TimeSpan.FromHours(1));
        Assert.Equal(2, walk.Sent.Count); // 08/06 and 12/06 only

        // Returned after the deadline: a reminder to resubmit a day later, then the overdue chain; no escalation, since
        // the level above returned it itself.
        walk.Notices.AddRange(walk.Schedule.Returned(walk.Now, walk.Policy, TimeSpan.FromDays(1), walk.Notices, walk.Now));
        walk.RunUntil(Vn(2026, 6, 19, 12), TimeSpan.FromHours(1));
        walk.Schedule.Submitted(walk.Now, walk.Notices, walk.Now);
        walk.RunUntil(Vn(2026, 7, 31), TimeSpan.FromHours(1));

        Assert.Equal(["reminder 08/06 00:00", "reminder 12/06 00:00", "reminder 17/06 15:00", "overdue 18/06 00:00"], walk.Timeline);
        Assert.StartsWith("Nhắc nộp lại", walk.Sent[2].Title);
    }

    [Fact]
    public void A_moved_deadline_moves_its_reminders_and_does_not_repeat_the_ones_already_sent()
    {
        var walk = new Walk(Vn(2026, 5, 1), Deadline, Defaults);
        walk.RunUntil(Vn(2026, 6, 9), TimeSpan.FromHours(1));

        var moved = Vn(2026, 6, 25);
        walk.Notices.AddRange(walk.Schedule.ApplyDeadline(moved, Province, walk.Schedule.PlanId, 2, Defaults, walk.Notices, walk.Now));
        walk.RunUntil(Vn(2026, 6, 24, 12), TimeSpan.FromHours(1));

        Assert.Equal(
        [
            "reminder 08/06 00:00",
            "reminder 18/06 00:00",
            "reminder 22/06 00:00",
            "reminder 24/06 00:00",
            "reminder 24/06 08:00",
        ], walk.Timeline);
        Assert.All(walk.Sent.Skip(1), n => Assert.Equal(moved, n.DeadlineAt));
        Assert.Contains("trước ngày 25/06/2026", walk.Sent[^1].Body);
    }

    [Fact]
    public void A_superseded_plan_cancels_everything_pending()
    {
        var walk = new Walk(Vn(2026, 5, 1), Deadline, Defaults);
        walk.RunUntil(Vn(2026, 6, 9), TimeSpan.FromHours(1));

        walk.Schedule.ApplyDeadline(null, Province, walk.Schedule.PlanId, 2, Defaults, walk.Notices, walk.Now);
        walk.RunUntil(Vn(2026, 7, 31), TimeSpan.FromHours(6));

        Assert.Equal(["reminder 08/06 00:00"], walk.Timeline);
        Assert.All(walk.Notices.Where(n => n.Status == NoticeStatuses.Cancelled), n => Assert.Equal("deadline-withdrawn", n.CancelReason));
    }

    [Fact]
    public void Notices_that_fell_due_while_the_service_was_down_go_out_once_marked_late_and_repeats_do_not_pile_up()
    {
        var walk = new Walk(Vn(2026, 5, 1), Deadline, Defaults);
        walk.RunUntil(Vn(2026, 6, 15, 12), TimeSpan.FromHours(1)); // all reminders sent on time

        walk.JumpTo(Vn(2026, 6, 21, 9, 30)); // down from 15/06 12:00 to 21/06 09:30
        walk.FireDue(); // a second round finds nothing more
        walk.RunUntil(Vn(2026, 6, 22, 1), TimeSpan.FromMinutes(30));

        var afterDeadline = walk.Sent.Where(n => n.DueAt >= Deadline).ToList();
        Assert.Equal(["overdue 21/06 09:30", "escalation 21/06 09:30", "overdue 21/06 09:30", "overdue 22/06 00:00"],
            afterDeadline.Select(n => $"{n.Kind} {n.SentAt!.Value.ToVietnam():dd/MM HH:mm}"));
        Assert.Equal([true, true, true, false], afterDeadline.Select(n => n.Late));
        Assert.Equal(["overdue:P1D", "escalation", "repeat:1", "repeat:3"], afterDeadline.Select(n => n.Slot));
        Assert.StartsWith("[Gửi muộn] ", afterDeadline[0].Title);
        Assert.Contains("lẽ ra được gửi lúc 00:00 ngày 16/06/2026", afterDeadline[0].Body);
        Assert.Equal(afterDeadline.Count, afterDeadline.Select(n => n.Slot).Distinct().Count());
    }

    [Fact]
    public void Last_morning_is_8_oclock_Vietnam_time_on_the_day_before_a_midnight_deadline()
    {
        Assert.Equal(Vn(2026, 6, 14, 8), ReminderSchedule.LastDayMorning(Vn(2026, 6, 15), new TimeOnly(8, 0)));
        Assert.Equal(new DateTimeOffset(2026, 6, 14, 1, 0, 0, TimeSpan.Zero), ReminderSchedule.LastDayMorning(Vn(2026, 6, 15), new TimeOnly(8, 0)));
        // A deadline at 17:00 leaves that day's morning.
        Assert.Equal(Vn(2026, 6, 15, 8), ReminderSchedule.LastDayMorning(Vn(2026, 6, 15, 17), new TimeOnly(8, 0)));
        // A deadline at 07:00 has its last morning the day before.
        Assert.Equal(Vn(2026, 6, 14, 8), ReminderSchedule.LastDayMorning(Vn(2026, 6, 15, 7), new TimeOnly(8, 0)));
    }

    [Fact]
    public void Planned_instants_are_stored_in_utc()
    {
        var planned = ReminderSchedule.Plan(Deadline, Defaults);
        var notices = UnitSchedule.For(Commune, Period).ApplyDeadline(Deadline, Province, null, 1, Defaults, [], Vn(2026, 5, 1));
        Assert.Equal(planned.Count, notices.Count);
        Assert.All(notices, n => Assert.Equal(TimeSpan.Zero, n.DueAt.Offset));
    }

    [Theory]
    [InlineData("-P7D", -7 * 24 * 60)]
    [InlineData("P1D", 24 * 60)]
    [InlineData("-PT30M", -30)]
    [InlineData("P1DT2H", 26 * 60)]
    public void Policy_offsets_are_iso_8601_durations(string iso, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), ReminderPolicy.ParseDuration(iso));

    [Fact]
    public void Configured_default_offsets_replace_the_built_in_ones_rather_than_adding_to_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notification:Reminders:Offsets:0"] = "-P5D",
            ["Notification:Reminders:OverdueRepeat"] = "P1D",
        }).Build();
        var policy = configuration.GetSection("Notification").Get<NotificationOptions>()!.Reminders.ToPolicy();
        Assert.Equal([TimeSpan.FromDays(-5)], policy.Offsets);
        Assert.Equal(TimeSpan.FromDays(1), policy.OverdueRepeat);
        Assert.Equal([-7, -3, -1, 1], new NotificationOptions().Reminders.ToPolicy().Offsets.Select(o => o.TotalDays));
    }

    [Fact]
    public void A_policy_that_does_not_parse_is_refused() =>
        Assert.Throws<FormatException>(() => ReminderPolicy.FromIso(["7 ngày"], "P2D", "P3D"));

    [Fact]
    public void The_repeat_after_a_long_gap_is_the_next_one_still_ahead()
    {
        var next = ReminderSchedule.NextRepeat(Deadline, Defaults, 1, Vn(2026, 6, 25, 1));
        Assert.NotNull(next);
        Assert.Equal("repeat:5", next.Slot);
        Assert.Equal(Vn(2026, 6, 26), next.DueAt);
        Assert.Equal("repeat:2", ReminderSchedule.NextRepeat(Deadline, Defaults, 1, Vn(2026, 6, 18))!.Slot);
    }
}
