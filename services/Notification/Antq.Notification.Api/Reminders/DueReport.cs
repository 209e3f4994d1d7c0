namespace Antq.Notification.Api.Reminders;

/// <summary>
/// A report a unit owes for a period and its deadline (hạn nộp), the Notification service's copy of the Plan service's
/// deadlines, kept from <c>DeadlinesChanged</c>: the basis of reminders. Per unit and period the copy keeps the
/// deadline with the highest sequence, whatever order messages arrive in. <see cref="DueAt"/> null: no deadline any more.
/// </summary>
public sealed class DueReport
{
    public required string OrgUnitCode { get; set; }

    /// <summary>YYYY-H1 or YYYY-Y.</summary>
    public required string Period { get; set; }

    /// <summary>The unit the report goes to, which is told when it is late.</summary>
    public required string ReportsToCode { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>The plan whose reminder policy applies (<see cref="PlanReminderSettings"/>).</summary>
    public Guid? PlanId { get; set; }

    public bool Derived { get; set; }

    public long Sequence { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
