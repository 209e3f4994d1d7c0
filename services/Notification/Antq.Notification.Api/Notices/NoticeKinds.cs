namespace Antq.Notification.Api.Notices;

/// <summary>The kinds of notice, as they appear on the wire (inbox, webhook).</summary>
public static class NoticeKinds
{
    public const string Reminder = "reminder";
    public const string Overdue = "overdue";
    public const string Escalation = "escalation";
    public const string Submitted = "submitted";
    public const string Returned = "returned";
    public const string Accepted = "accepted";
    public const string PeriodClosed = "periodClosed";

    /// <summary>The e-mail listing the submissions of a digest's window (<see cref="Digests.Digest"/>): in no inbox, e-mail only.</summary>
    public const string SubmittedDigest = "submittedDigest";

    /// <summary>Kinds that come from a deadline's schedule and stop once the report arrives.</summary>
    public static bool IsScheduled(string kind) => kind is Reminder or Overdue or Escalation;
}
