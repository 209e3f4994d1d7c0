using Antq.Messaging;

namespace Antq.Notification.Api.Dispatch;

/// <summary>
/// Wakes the dispatching loops of this replica when a commit wrote what they act on: notices (new, sent, cancelled,
/// rescheduled), deliveries (new, retried, claimed back), digests, and the deadlines and reminder policies that plan
/// notices. Registered in <see cref="NotificationServiceExtensions"/> with the tables it watches.
/// </summary>
public sealed class DispatchSignal : CommitSignal
{
    public static readonly string[] Tables = ["notices", "deliveries", "digests", "due_reports", "plan_reminder_policies"];
}
