using System.Xml;

namespace Antq.Notification.Api.Reminders;

/// <summary>One notice a schedule calls for: its kind, its place in the schedule (the slot) and when it falls due.</summary>
public sealed record PlannedNotice(string Kind, string Slot, DateTimeOffset DueAt);

/// <summary>The pure arithmetic of a reminder schedule: which notices a deadline and a policy call for, and when.</summary>
public static class ReminderSchedule
{
    public const string LastDayMorningSlot = "last-day-morning";
    public const string EscalationSlot = "escalation";
    const string RepeatPrefix = "repeat:";

    /// <summary>
    /// The notices for <paramref name="deadline"/> under <paramref name="policy"/>: the reminders, the overdue notices
    /// at their offsets, the first repeated overdue notice and the escalation, in order of their due time. The chain of
    /// repeats goes on from the first one with <see cref="NextRepeat"/> each time one is sent.
    /// </summary>
    public static IReadOnlyList<PlannedNotice> Plan(DateTimeOffset deadline, ReminderPolicy policy)
    {
        var planned = new List<PlannedNotice>();
        foreach (var offset in policy.Offsets)
        {
            var kind = offset < TimeSpan.Zero ? NoticeKinds.Reminder : NoticeKinds.Overdue;
            var wholeDays = WorkingHours.IsWholeDays(offset);
            var due = offset < TimeSpan.Zero
                ? WorkingHours.Before(deadline + offset, deadline, wholeDays, policy.RemindAt, policy.Quiet)
                : WorkingHours.NotBefore(deadline + offset, wholeDays, policy.RemindAt, policy.Quiet);
            planned.Add(new PlannedNotice(kind, $"{kind}:{XmlConvert.ToString(offset)}", due));
        }

        if (policy.LastDayMorningAt is { } morning)
        {
            planned.Add(new PlannedNotice(NoticeKinds.Reminder, LastDayMorningSlot, LastDayMorning(deadline, morning)));
        }

        if (policy.OverdueRepeat is not null)
        {
            planned.Add(new PlannedNotice(NoticeKinds.Overdue, $"{RepeatPrefix}1", RepeatAt(deadline, policy, 1)));
        }

        if (policy.EscalateAfter is { } escalateAfter)
        {
            planned.Add(new PlannedNotice(NoticeKinds.Escalation, EscalationSlot,
                WorkingHours.NotBefore(deadline + escalateAfter, WorkingHours.IsWholeDays(escalateAfter), policy.RemindAt, policy.Quiet)));
        }

        return planned.DistinctBy(p => p.Slot).OrderBy(p => p.DueAt).ThenBy(p => p.Slot, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The morning of the last day on which the report is still on time: <paramref name="at"/> (Vietnam time) on the
    /// day before a deadline at 00:00, or on the deadline's own day if it falls later than that time of day.
    /// </summary>
    public static DateTimeOffset LastDayMorning(DateTimeOffset deadline, TimeOnly at)
    {
        var lastDay = DueDate.LastDayOnTime(deadline);
        var instant = VietnamTime.At(lastDay, at);
        return instant < deadline ? instant : VietnamTime.At(lastDay.AddDays(-1), at);
    }

    /// <summary>Where the repeats start, from the deadline: the last overdue offset, or zero if the policy has none.</summary>
    static TimeSpan RepeatAnchor(ReminderPolicy policy) => policy.Offsets.Where(o => o >= TimeSpan.Zero).DefaultIfEmpty(TimeSpan.Zero).Max();

    /// <summary>
    /// When repeat number <paramref name="number"/> goes: its place in the chain, moved to the reminder hour (if the
    /// chain counts in whole days) and out of the quiet hours. Never earlier than its place, so the chain keeps its order.
    /// </summary>
    public static DateTimeOffset RepeatAt(DateTimeOffset deadline, ReminderPolicy policy, int number)
    {
        var fromDeadline = RepeatAnchor(policy) + (policy.OverdueRepeat ?? throw new InvalidOperationException("The policy does not repeat.")) * number;
        return WorkingHours.NotBefore(deadline + fromDeadline, WorkingHours.IsWholeDays(fromDeadline), policy.RemindAt, policy.Quiet);
    }

    /// <summary>
    /// The repeat after number <paramref name="sent"/>, never due at or before <paramref name="after"/>: a service that
    /// was down for a week sends one late notice, then goes on from the next repeat still ahead, not seven at once.
    /// </summary>
    public static PlannedNotice? NextRepeat(DateTimeOffset deadline, ReminderPolicy policy, int sent, DateTimeOffset after)
    {
        if (policy.OverdueRepeat is not { } repeat) return null;
        var number = sent + 1;
        var due = RepeatAt(deadline, policy, number);
        if (due <= after)
        {
            number += (int)Math.Ceiling((after - due).Ticks / (double)repeat.Ticks);
            due = RepeatAt(deadline, policy, number);
            while (due <= after) { number++; due = RepeatAt(deadline, policy, number); }
        }

        return new PlannedNotice(NoticeKinds.Overdue, $"{RepeatPrefix}{number}", due);
    }

    /// <summary>The number of a repeat slot ("repeat:3" → 3), or null for any other slot.</summary>
    public static int? RepeatNumber(string slot) =>
        slot.StartsWith(RepeatPrefix, StringComparison.Ordinal) && int.TryParse(slot.AsSpan(RepeatPrefix.Length), out var n) ? n : null;
}
