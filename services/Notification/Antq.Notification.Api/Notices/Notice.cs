namespace Antq.Notification.Api.Notices;

/// <summary>
/// One notice (thông báo) about one unit's report for one period: a reminder, an overdue notice or an escalation from
/// the unit's schedule, or an event (submitted, returned, accepted, period closed). It waits until <see cref="DueAt"/>,
/// is sent once (its text fixed then, and fanned out to the inbox, e-mail and webhook deliveries) or is cancelled.
/// </summary>
public sealed class Notice
{
    public Guid Id { get; set; }

    /// <summary>One of <see cref="NoticeKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The unit whose report the notice is about.</summary>
    public required string OrgUnitCode { get; set; }

    public required string Period { get; set; }

    /// <summary>Its place in the schedule ("reminder:-P7D", "repeat:2", "escalation") or the event it reports.</summary>
    public required string Slot { get; set; }

    public DateTimeOffset DueAt { get; set; }

    /// <summary>The deadline it was planned for (hạn nộp); a notice of a deadline that moved is not sent.</summary>
    public DateTimeOffset? DeadlineAt { get; set; }

    /// <summary>The unit whose people receive it; set when it is sent for scheduled notices (the unit above for an escalation).</summary>
    public string? AudienceUnitCode { get; set; }

    public string Status { get; set; } = NoticeStatuses.Pending;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Sent noticeably after it fell due (the service was down or behind); its text says so.</summary>
    public bool Late { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>For a returned report, the reviewer's reason.</summary>
    public string? Reason { get; set; }

    /// <summary>When the event happened (submitted, returned, accepted).</summary>
    public DateTimeOffset? EventAt { get; set; }

    /// <summary>For a submitted report: whether it arrived before its deadline.</summary>
    public bool? OnTime { get; set; }

    /// <summary>For a period closed: on-time, late and missing units.</summary>
    public int[]? Counts { get; set; }

    public string? Title { get; set; }

    public string? Body { get; set; }

    public bool IsPending => Status == NoticeStatuses.Pending;

    public void Cancel(string reason)
    {
        if (!IsPending) return;
        Status = NoticeStatuses.Cancelled;
        CancelReason = reason;
    }

    /// <summary>Sent more than <paramref name="lateAfter"/> after it fell due: the service was down or behind.</summary>
    public bool IsLateAt(DateTimeOffset now, TimeSpan lateAfter) => now - DueAt > lateAfter;

    /// <summary>Records the sending, with the text every channel carries.</summary>
    public void MarkSent(DateTimeOffset now, bool late, string audienceUnitCode, NoticeText text)
    {
        Status = NoticeStatuses.Sent;
        SentAt = now.ToUniversalTime();
        Late = late;
        AudienceUnitCode = audienceUnitCode;
        Title = text.Title;
        Body = text.Body;
    }

    /// <summary>An event notice, due at once: it goes out on the dispatcher's next round.</summary>
    public static Notice Event(string kind, string orgUnitCode, string period, string audienceUnitCode, Guid eventId,
        DateTimeOffset eventAt, DateTimeOffset now)
    {
        var notice = Create(kind, orgUnitCode, period, $"{kind}:{eventId:N}", now, now);
        notice.AudienceUnitCode = audienceUnitCode;
        notice.EventAt = eventAt.ToUniversalTime();
        return notice;
    }

    /// <summary>
    /// A period closed at a level (Reporting's <c>PeriodClosed</c>): that level's officers get the counts of on-time,
    /// late and missing units.
    /// </summary>
    public static Notice PeriodClosed(string levelCode, string period, int onTime, int late, int missing, Guid eventId,
        DateTimeOffset closedAt, DateTimeOffset now)
    {
        var notice = Event(NoticeKinds.PeriodClosed, levelCode, period, levelCode, eventId, closedAt, now);
        notice.Counts = [onTime, late, missing];
        return notice;
    }

    public static Notice Create(string kind, string orgUnitCode, string period, string slot, DateTimeOffset dueAt, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Kind = kind,
        OrgUnitCode = orgUnitCode,
        Period = period,
        Slot = slot,
        DueAt = dueAt.ToUniversalTime(),
        CreatedAt = now.ToUniversalTime(),
    };
}

public static class NoticeStatuses
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Cancelled = "cancelled";
}

public sealed record NoticeText(string Title, string Body);
