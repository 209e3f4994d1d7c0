using Antq.Notification.Api.Notices;
using Antq.Notification.Api.Reminders;
using Microsoft.Extensions.Time.Testing;

namespace Antq.Notification.Tests;

/// <summary>
/// One commune's report for one period on a controllable clock, driven the way the dispatcher drives it: at each step,
/// every due notice is offered to the schedule and, if it still wants it, sent with its text.
/// </summary>
sealed class Walk
{
    public const string Commune = "26734";
    public const string CommuneName = "Xã Nghĩa Sơn";
    public const string Province = "25";
    public const string Period = "2026-H1";
    public static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(5);

    public Walk(DateTimeOffset start, DateTimeOffset deadline, ReminderPolicy policy)
    {
        Clock = new FakeTimeProvider(start);
        Policy = policy;
        Notices.AddRange(Schedule.ApplyDeadline(deadline, Province, Guid.NewGuid(), 1, policy, Notices, Clock.GetUtcNow()));
    }

    public FakeTimeProvider Clock { get; }

    public ReminderPolicy Policy { get; set; }

    public UnitSchedule Schedule { get; } = UnitSchedule.For(Commune, Period);

    public List<Notice> Notices { get; } = [];

    public List<Notice> Sent { get; } = [];

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Moves the clock in steps of <paramref name="step"/> up to <paramref name="end"/>, sending what falls due.</summary>
    public void RunUntil(DateTimeOffset end, TimeSpan step)
    {
        while (Now < end)
        {
            Clock.Advance(Now + step <= end ? step : end - Now);
            FireDue();
        }
    }

    /// <summary>The service was down: the clock jumps, then the first round sends what fell due meanwhile.</summary>
    public void JumpTo(DateTimeOffset instant)
    {
        Clock.SetUtcNow(instant);
        FireDue();
    }

    public void FireDue()
    {
        var now = Now;
        foreach (var notice in Notices.Where(n => n.IsPending && n.DueAt <= now).OrderBy(n => n.DueAt).ToList())
        {
            if (!Schedule.Fire(notice, Policy, now, out var next)) continue;
            var audience = notice.Kind == NoticeKinds.Escalation ? Province : Commune;
            var late = notice.IsLateAt(now, LateAfter);
            notice.MarkSent(now, late, audience, NoticeTexts.Render(notice, CommuneName, audience == Province ? "Công an tỉnh Phú Thọ" : CommuneName, now, late));
            Sent.Add(notice);
            if (next is not null) Notices.Add(next);
        }
    }

    /// <summary>What went out, as "kind at dd/MM HH:mm" in Vietnam time.</summary>
    public IEnumerable<string> Timeline => Sent.Select(n => $"{n.Kind} {n.SentAt!.Value.ToVietnam():dd/MM HH:mm}");

    public static DateTimeOffset Vn(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, VietnamTime.Offset);
}
