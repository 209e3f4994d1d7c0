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

    /// <summary>
    /// Users as recipients (Identity → Notification): key the user's id, version <see cref="RecipientVersion"/>, a hash
    /// of what the copy keeps, since a user carries no change number.
    /// </summary>
    public const string Recipients = "recipients";

    /// <summary>The same expression over Identity's users and Notification's recipients, whose columns bear the same names.</summary>
    public const string RecipientVersion =
        "('x' || substr(md5(concat_ws(chr(31), user_name, full_name, role, org_unit_code, coalesce(email, ''), active::text)), 1, 15))::bit(60)::bigint";
}
