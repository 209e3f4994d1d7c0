using System.Diagnostics.Metrics;

namespace Antq.Notification.Api;

/// <summary>
/// Notification's own work (meter <c>Antq.Notification</c>, served at <c>/metrics</c>; see docs/observability.md):
/// <c>antq.notification.reminders.due</c> (scheduled notices — reminders, overdue notices, escalations — taken when
/// due) and <c>antq.notification.reminders.sent</c> (those of them that went out rather than being cancelled), by kind;
/// <c>antq.notification.deliveries</c> (results of e-mail and webhook attempts, by channel and outcome:
/// <c>delivered</c>, <c>retrying</c>, <c>failed</c> once given up) and <c>antq.notification.delivery.lag</c> (from a
/// delivery's making to its arrival, on the platform's clock). Recorded after the commit that makes them true.
/// </summary>
public static class NotificationMetrics
{
    public const string MeterName = "Antq.Notification";

    static readonly Meter Meter = new(MeterName);

    static readonly Counter<long> RemindersDue = Meter.CreateCounter<long>("antq.notification.reminders.due", "{notice}",
        "Scheduled notices (reminder, overdue, escalation) taken when due, by kind.");

    static readonly Counter<long> RemindersSent = Meter.CreateCounter<long>("antq.notification.reminders.sent", "{notice}",
        "Scheduled notices that went out when due (the others were cancelled: the report came, the schedule changed), by kind.");

    static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("antq.notification.deliveries", "{delivery}",
        "Results of delivery attempts by channel (email, webhook) and outcome (delivered, retrying, failed: given up).");

    static readonly Histogram<double> DeliveryLag = Meter.CreateHistogram<double>("antq.notification.delivery.lag", "s",
        "From a delivery's making (its notice sent) to its arrival, by channel.");

    /// <summary>A committed batch of due notices: <paramref name="sent"/> are those of <paramref name="taken"/> that went out.</summary>
    public static void Fired(IEnumerable<Notice> taken, IEnumerable<Notice> sent)
    {
        foreach (var notice in taken.Where(n => NoticeKinds.IsScheduled(n.Kind))) RemindersDue.Add(1, Kind(notice));
        foreach (var notice in sent.Where(n => NoticeKinds.IsScheduled(n.Kind))) RemindersSent.Add(1, Kind(notice));
    }

    /// <summary>A delivery's result, recorded.</summary>
    public static void Recorded(Delivery delivery, DateTimeOffset at)
    {
        var channel = new KeyValuePair<string, object?>("antq.notification.channel", delivery.Channel);
        // The outcome is the delivery's final status (delivered, failed), or "retrying" while it is neither.
        var outcome = delivery.Status is DeliveryStatuses.Delivered or DeliveryStatuses.Failed ? delivery.Status : "retrying";
        Deliveries.Add(1, channel, new KeyValuePair<string, object?>("antq.notification.outcome", outcome));
        if (outcome == DeliveryStatuses.Delivered) DeliveryLag.Record(Math.Max(0, (at - delivery.CreatedAt).TotalSeconds), channel);
    }

    static KeyValuePair<string, object?> Kind(Notice notice) => new("antq.notification.notice.kind", notice.Kind);
}
