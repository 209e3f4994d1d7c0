using Antq.Notification.Api;
using Antq.Notification.Api.Notices;
using Antq.Notification.Api.Preferences;
using Antq.Notification.Api.Reminders;
using Microsoft.Extensions.Configuration;
using static Antq.Notification.Tests.Walk;

namespace Antq.Notification.Tests;

/// <summary>Reminders at a working hour in Vietnam time, never at night: the settings, the plan's hour, each person's own.</summary>
public sealed class WorkingHoursTests
{
    static readonly DateTimeOffset Deadline = Vn(2026, 6, 15); // "trước ngày 15/06/2026", 00:00
    static readonly ReminderPolicy Defaults = new ReminderDefaults().ToPolicy();

    [Fact]
    public void By_default_reminders_overdue_notices_and_the_escalation_go_at_0730_not_at_the_deadlines_midnight()
    {
        var walk = new Walk(Vn(2026, 5, 1), Deadline, Defaults);

        walk.RunUntil(Vn(2026, 6, 23, 10), TimeSpan.FromMinutes(30));

        Assert.Equal(
        [
            "reminder 08/06 07:30",
            "reminder 12/06 07:30",
            "reminder 14/06 07:30",
            "reminder 14/06 08:00",
            "overdue 16/06 07:30",
            "escalation 18/06 07:30",
            "overdue 18/06 07:30",
            "overdue 20/06 07:30",
            "overdue 22/06 07:30",
        ], walk.Timeline);
        Assert.All(walk.Sent, n => Assert.False(n.Late));
        Assert.All(walk.Sent, n => Assert.False(QuietHours.Night.Contains(n.SentAt!.Value), $"{n.Kind} {n.Slot} sent at night"));
    }

    [Fact]
    public void Offsets_of_hours_keep_their_time_but_wait_out_the_night_and_a_reminder_never_passes_the_deadline()
    {
        var policy = ReminderPolicy.FromIso(["-PT2H", "-PT30M", "PT30M"], null, "PT1H") with { RemindAt = new TimeOnly(7, 30), Quiet = QuietHours.Night };

        var planned = ReminderSchedule.Plan(Deadline, policy).Select(p => $"{p.Slot} {p.DueAt.ToVietnam():dd/MM HH:mm}").ToList();

        Assert.Equal(
        [
            "reminder:-PT2H 14/06 20:59", // 22:00 is night, and the night's end would be past the deadline: just before it
            "reminder:-PT30M 14/06 20:59",
            "escalation 15/06 07:00",
            "overdue:PT30M 15/06 07:00",
        ], planned);
    }

    [Fact]
    public void A_deadline_in_the_afternoon_is_reminded_at_0730_and_a_day_late_is_chased_at_the_first_0730_after()
    {
        var afternoon = Vn(2026, 6, 15, 17);
        var policy = ReminderPolicy.FromIso(["-P1D", "P0D", "P1D"], null, null) with { RemindAt = new TimeOnly(7, 30), Quiet = QuietHours.Night };

        var planned = ReminderSchedule.Plan(afternoon, policy).Select(p => $"{p.Slot} {p.DueAt.ToVietnam():dd/MM HH:mm}").ToList();

        Assert.Equal(["reminder:-P1D 14/06 07:30", "overdue:PT0S 15/06 17:00", "overdue:P1D 17/06 07:30"], planned);
    }

    [Fact]
    public void A_plans_own_hour_replaces_the_settings_one()
    {
        var policy = Defaults with { RemindAt = new TimeOnly(9, 0) };

        var planned = ReminderSchedule.Plan(Deadline, policy);

        Assert.Contains(planned, p => p.Slot == "reminder:-P7D" && p.DueAt == Vn(2026, 6, 8, 9));
        Assert.Contains(planned, p => p.Kind == NoticeKinds.Escalation && p.DueAt == Vn(2026, 6, 18, 9));
        Assert.NotEqual(Defaults.Fingerprint, policy.Fingerprint);
    }

    [Fact]
    public void A_reminder_to_resubmit_goes_at_the_hour_of_the_next_day()
    {
        var walk = new Walk(Vn(2026, 6, 1), Deadline, Defaults);
        walk.RunUntil(Vn(2026, 6, 9, 16, 20), TimeSpan.FromHours(1));

        var created = walk.Schedule.Returned(walk.Now, Defaults, TimeSpan.FromDays(1), walk.Notices, walk.Now);

        Assert.Contains(created, n => UnitSchedule.IsResubmit(n) && n.DueAt == Vn(2026, 6, 11, 7, 30));
    }

    [Theory]
    [InlineData("2026-06-14T07:30:00+07:00", null, null, "2026-06-14T07:30:00+07:00")] // nothing of one's own
    [InlineData("2026-06-14T07:30:00+07:00", "08:15", null, "2026-06-14T08:15:00+07:00")] // held to one's hour
    [InlineData("2026-06-14T14:00:00+07:00", "08:15", null, "2026-06-14T14:00:00+07:00")] // already past it: at once
    [InlineData("2026-06-14T07:30:00+07:00", null, "22:00-08:00", "2026-06-14T08:00:00+07:00")] // one's own night
    [InlineData("2026-06-14T21:30:00+07:00", "09:00", "21:00-07:00", "2026-06-15T09:00:00+07:00")] // the night, then one's hour
    public void A_person_sees_a_reminder_at_their_own_hours(string sentAt, string? remindAt, string? quiet, string expected)
    {
        var own = new AccountPreferences { RemindAt = remindAt, QuietHours = quiet };

        Assert.Equal(DateTimeOffset.Parse(expected), own.Hold(DateTimeOffset.Parse(sentAt), defaultQuiet: null));
    }

    [Theory]
    [InlineData("21:00-07:00", true)]
    [InlineData("12:00–13:30", true)]
    [InlineData("", true)]
    [InlineData("21:00", false)]
    [InlineData("07:00-07:00", false)]
    [InlineData("25:00-07:00", false)]
    public void Quiet_hours_read_as_from_until(string text, bool valid) => Assert.Equal(valid, QuietHours.TryParse(text, out _));

    [Fact]
    public void Empty_settings_turn_the_reminder_hour_and_the_quiet_hours_off()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notification:Reminders:RemindAt"] = "",
            ["Notification:Reminders:QuietHours"] = "",
        }).Build();

        var policy = configuration.GetSection("Notification").Get<NotificationOptions>()!.Reminders.ToPolicy();

        Assert.Null(policy.RemindAt);
        Assert.Null(policy.Quiet);
        Assert.Equal(new TimeOnly(7, 30), Defaults.RemindAt);
        Assert.Equal(QuietHours.Night, Defaults.Quiet);
    }

    [Fact]
    public void A_setting_that_puts_the_reminder_hour_inside_the_night_is_refused()
    {
        var settings = new ReminderDefaults { RemindAt = "06:00", QuietHours = "21:00-07:00" };

        var errors = settings.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(settings)).ToList();

        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(ReminderDefaults.RemindAt)));
    }
}
