namespace Antq.Notification.Api.Reminders;

/// <summary>
/// How a plan asks its deadlines to be reminded and chased, kept from <c>PlanIssued</c>. Offsets are ISO 8601
/// durations relative to the deadline ("-P7D" a reminder 7 days before, "P1D" an overdue notice a day after). A plan
/// replaced by a later version is marked <see cref="SupersededById"/>: its reminders stop.
/// </summary>
public sealed class PlanReminderSettings
{
    public Guid PlanId { get; set; }

    public required string IssuerCode { get; set; }

    public int Year { get; set; }

    public required string Number { get; set; }

    public List<string> Reminders { get; set; } = [];

    public required string OverdueRepeat { get; set; }

    public required string EscalateAfter { get; set; }

    /// <summary>The plan's own reminder hour ("07:30", Vietnam time); null: <c>Notification:Reminders:RemindAt</c>.</summary>
    public string? RemindAt { get; set; }

    public Guid? SupersedesId { get; set; }

    public Guid? SupersededById { get; set; }

    public DateTimeOffset IssuedAt { get; set; }
}
