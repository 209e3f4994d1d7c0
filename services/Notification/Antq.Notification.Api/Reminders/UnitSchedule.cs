namespace Antq.Notification.Api.Reminders;

/// <summary>
/// The reminder schedule of one unit's report for one period: the deadline and policy it was planned from, and where
/// the report stands. Its operations decide which notices are pending; the caller loads the unit's notices, calls one,
/// and saves the changes and the notices returned. All changes of one schedule are serialized by its row.
/// </summary>
public sealed class UnitSchedule
{
    public required string OrgUnitCode { get; set; }

    public required string Period { get; set; }

    public DateTimeOffset? DeadlineAt { get; set; }

    public string? ReportsToCode { get; set; }

    public Guid? PlanId { get; set; }

    /// <summary>The sequence of the deadline it was planned from; a newer deadline replans it.</summary>
    public long DeadlineSequence { get; set; }

    /// <summary>The policy it was planned under (<see cref="ReminderPolicy.Fingerprint"/>); a changed policy replans it.</summary>
    public string? PolicyFingerprint { get; set; }

    public string ReportStatus { get; set; } = ReportStatuses.Missing;

    /// <summary>When the event that set <see cref="ReportStatus"/> happened; an older event never overrides a newer one.</summary>
    public DateTimeOffset? ReportStatusAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>No report, or one returned and not yet resubmitted: reminders and overdue notices go on.</summary>
    public bool AwaitsReport => ReportStatus is ReportStatuses.Missing or ReportStatuses.Returned;

    public static UnitSchedule For(string orgUnitCode, string period) => new() { OrgUnitCode = orgUnitCode, Period = period };

    /// <summary>
    /// A deadline (new, moved, withdrawn) or its policy (a plan issued or superseded) arrived. Pending notices that no
    /// longer fit are cancelled; the ones the new schedule calls for that are still ahead are created. Notices already
    /// sent for the same deadline are not sent again.
    /// </summary>
    /// <param name="policyKey">What the policy was read from, so that a change of it is noticed (default: the policy's fingerprint).</param>
    public IReadOnlyList<Notice> ApplyDeadline(DateTimeOffset? deadline, string? reportsToCode, Guid? planId, long sequence,
        ReminderPolicy policy, IReadOnlyCollection<Notice> notices, DateTimeOffset now, string? policyKey = null)
    {
        DeadlineAt = deadline?.ToUniversalTime();
        ReportsToCode = reportsToCode;
        PlanId = planId;
        DeadlineSequence = sequence;
        PolicyFingerprint = policyKey ?? policy.Fingerprint;
        UpdatedAt = now;
        return Reschedule(policy, notices, now, deadline is null ? "deadline-withdrawn" : "deadline-changed");
    }

    /// <summary>The report arrived: everything still pending for it stops at once.</summary>
    public bool Submitted(DateTimeOffset at, IReadOnlyCollection<Notice> notices, DateTimeOffset now) =>
        SetStatus(ReportStatuses.Submitted, at, notices, now, ReportStatuses.Submitted);

    public bool Accepted(DateTimeOffset at, IReadOnlyCollection<Notice> notices, DateTimeOffset now) =>
        SetStatus(ReportStatuses.Accepted, at, notices, now, ReportStatuses.Accepted);

    /// <summary>
    /// The report came back to be fixed: a reminder to resubmit after <paramref name="resubmitAfter"/>, and the rest of
    /// the schedule that is still ahead (reminders before the deadline, or the overdue chain after it).
    /// </summary>
    public IReadOnlyList<Notice> Returned(DateTimeOffset at, ReminderPolicy policy, TimeSpan resubmitAfter,
        IReadOnlyCollection<Notice> notices, DateTimeOffset now)
    {
        if (!SetStatus(ReportStatuses.Returned, at, notices, now, ReportStatuses.Returned)) return [];
        var created = Reschedule(policy, notices, now, ReportStatuses.Returned).ToList();
        var resubmitAt = WorkingHours.NotBefore(now + resubmitAfter, WorkingHours.IsWholeDays(resubmitAfter), policy.RemindAt, policy.Quiet);
        var resubmit = Notice.Create(NoticeKinds.Reminder, OrgUnitCode, Period, $"{ResubmitPrefix}{at.UtcTicks}", resubmitAt, now);
        resubmit.DeadlineAt = DeadlineAt;
        created.Add(resubmit);
        return created;
    }

    /// <summary>
    /// A due notice is about to go out. Returns false (and cancels it) when the schedule no longer wants it: the
    /// report arrived, or it was planned for a deadline that has since moved. When it goes out and is an overdue
    /// repeat, <paramref name="next"/> is the following one of the chain.
    /// </summary>
    public bool Fire(Notice notice, ReminderPolicy policy, DateTimeOffset now, out Notice? next)
    {
        next = null;
        if (!NoticeKinds.IsScheduled(notice.Kind)) return true;
        if (!AwaitsReport)
        {
            notice.Cancel(ReportStatus);
            return false;
        }

        if (IsResubmit(notice)) return true;
        if (notice.DeadlineAt != DeadlineAt || DeadlineAt is not { } deadline)
        {
            notice.Cancel("deadline-changed");
            return false;
        }

        if (ReminderSchedule.RepeatNumber(notice.Slot) is { } number &&
            ReminderSchedule.NextRepeat(deadline, policy, number, now) is { } following)
        {
            next = Notice.Create(following.Kind, OrgUnitCode, Period, following.Slot, following.DueAt, now);
            next.DeadlineAt = deadline;
        }

        return true;
    }

    const string ResubmitPrefix = "resubmit:";

    /// <summary>A reminder to resubmit a returned report: it follows the return, not the deadline.</summary>
    public static bool IsResubmit(Notice notice) => notice.Slot.StartsWith(ResubmitPrefix, StringComparison.Ordinal);

    bool SetStatus(string status, DateTimeOffset at, IReadOnlyCollection<Notice> notices, DateTimeOffset now, string reason)
    {
        if (ReportStatusAt is { } previous && at < previous) return false;
        ReportStatus = status;
        ReportStatusAt = at.ToUniversalTime();
        UpdatedAt = now;
        foreach (var notice in notices.Where(n => n.IsPending && NoticeKinds.IsScheduled(n.Kind)))
        {
            notice.Cancel(reason);
        }

        return true;
    }

    List<Notice> Reschedule(ReminderPolicy policy, IReadOnlyCollection<Notice> notices, DateTimeOffset now, string reason)
    {
        var pending = notices.Where(n => n.IsPending && NoticeKinds.IsScheduled(n.Kind)).ToList();
        if (!AwaitsReport || DeadlineAt is not { } deadline)
        {
            pending.ForEach(n => n.Cancel(reason));
            return [];
        }

        // The level above that returned a report knows it is missing: it is not told again.
        var wanted = ReminderSchedule.Plan(deadline, policy)
            .Where(p => p.DueAt > now && !(ReportStatus == ReportStatuses.Returned && p.Kind == NoticeKinds.Escalation))
            .ToList();
        // Past the first repeat already: the chain resumes from the next repeat still ahead.
        if (policy.OverdueRepeat is not null && ReminderSchedule.RepeatAt(deadline, policy, 1) <= now &&
            ReminderSchedule.NextRepeat(deadline, policy, 0, now) is { } repeat)
        {
            wanted.Add(repeat);
        }

        var sent = notices.Where(n => n.Status == NoticeStatuses.Sent && n.DeadlineAt == deadline).Select(n => n.Slot).ToHashSet();
        var created = new List<Notice>();
        foreach (var notice in pending)
        {
            var keep = notice.DeadlineAt == deadline && wanted.Any(w => w.Slot == notice.Slot && w.DueAt == notice.DueAt);
            // A resubmit reminder stays while the report is still out.
            if (!keep && !IsResubmit(notice)) notice.Cancel(reason);
        }

        foreach (var plan in wanted)
        {
            if (sent.Contains(plan.Slot)) continue;
            if (pending.Any(n => n.IsPending && n.Slot == plan.Slot)) continue;
            var notice = Notice.Create(plan.Kind, OrgUnitCode, Period, plan.Slot, plan.DueAt, now);
            notice.DeadlineAt = deadline;
            created.Add(notice);
        }

        return created;
    }
}

/// <summary>Where a unit's report stands, as Notification knows it from Reporting's events.</summary>
public static class ReportStatuses
{
    public const string Missing = "missing";
    public const string Submitted = "submitted";
    public const string Returned = "returned";
    public const string Accepted = "accepted";
}
