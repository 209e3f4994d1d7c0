namespace Antq.Notification.Api.Recipients;

/// <summary>
/// A person who can receive notices: the Notification service's copy of an Identity user, kept from
/// <c>UserChanged</c>. Notices for a unit go to its active recipients by role.
/// </summary>
public sealed class Recipient
{
    public Guid UserId { get; set; }

    public required string UserName { get; set; }

    public required string FullName { get; set; }

    public required string Role { get; set; }

    public required string OrgUnitCode { get; set; }

    public string? Email { get; set; }

    public bool Active { get; set; }

    /// <summary>When the Identity service made the change this copy reflects; an older change never overwrites a newer one.</summary>
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>Applies a change if it is newer than what this copy already reflects. Returns whether it did.</summary>
    public bool Apply(string userName, string fullName, string role, string orgUnitCode, string? email, bool active, DateTimeOffset changedAt)
    {
        if (changedAt < ChangedAt) return false;
        (UserName, FullName, Role, OrgUnitCode, Email, Active, ChangedAt) = (userName, fullName, role, orgUnitCode, email, active, changedAt);
        return true;
    }
}
