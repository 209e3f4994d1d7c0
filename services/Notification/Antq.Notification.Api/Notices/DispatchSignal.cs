using Antq.Messaging;

namespace Antq.Notification.Api.Notices;

/// <summary>
/// Wakes the loop that sends notices when a commit of this replica wrote notices (new, cancelled, rescheduled): the
/// report consumers' notices, the planner's reminders. Only the first loop listens; the others join a closing's
/// thousands through <see cref="NoticeDispatcher"/>'s own word or their due time.
/// </summary>
public sealed class NoticeSignal : CommitSignal
{
    public static readonly string[] Tables = ["notices"];
}

/// <summary>Wakes the sending loops when a commit of this replica wrote deliveries (new, retried, claimed back).</summary>
public sealed class DeliverySignal : CommitSignal
{
    public static readonly string[] Tables = ["deliveries"];
}

/// <summary>Wakes the loop that sends digests when a commit of this replica opened or changed a digest.</summary>
public sealed class DigestSignal : CommitSignal
{
    public static readonly string[] Tables = ["digests"];
}

/// <summary>Wakes the schedule planner when a commit of this replica wrote deadlines or reminder policies.</summary>
public sealed class PlanSignal : CommitSignal
{
    public static readonly string[] Tables = ["due_reports", "plan_reminder_policies"];
}

/// <summary>
/// The four signals of the dispatching loops, one per kind of work: a commit wakes only the loop of what it wrote
/// (a notice inserted by a consumer wakes the notice step, not the planner, the digests or the deliveries). The loops'
/// own writes are quiet (<see cref="Quiet"/>); a step that leaves work for another kind says so itself.
/// </summary>
public sealed class DispatchSignals(NoticeSignal notices, DeliverySignal deliveries, DigestSignal digests, PlanSignal plans)
{
    public NoticeSignal Notices { get; } = notices;

    public DeliverySignal Deliveries { get; } = deliveries;

    public DigestSignal Digests { get; } = digests;

    public PlanSignal Plans { get; } = plans;

    /// <summary>Until disposed, the writes of this flow wake none of the loops (nor the outbox: they write no outbox row).</summary>
    public IDisposable Quiet() => new Scopes([Notices.Quiet(), Deliveries.Quiet(), Digests.Quiet(), Plans.Quiet()]);

    sealed class Scopes(IDisposable[] scopes) : IDisposable
    {
        public void Dispose()
        {
            for (var i = scopes.Length - 1; i >= 0; i--) scopes[i].Dispose();
        }
    }
}
