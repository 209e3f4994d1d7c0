namespace Antq.Messaging.Copies;

/// <summary>The copies that heal through <see cref="Antq.Contracts.Copies.ReconcileCopy"/>, by the name both ends use.</summary>
public static class CopyNames
{
    /// <summary>Unit versions (Plan → Reporting, Classification, Notification): key the version's id, version its change sequence.</summary>
    public const string UnitTree = "unit-tree";

    /// <summary>Per-unit deadlines (Plan → Reporting, Notification): key "unit/period", version the deadline's sequence.</summary>
    public const string Deadlines = "deadlines";

    /// <summary>Issued plans' reminder policies (Plan → Notification): key the plan's id, version 1 (an issued plan does not change).</summary>
    public const string Plans = "plans";

    /// <summary>Users as recipients (Identity → Notification).</summary>
    public const string Recipients = "recipients";
}
