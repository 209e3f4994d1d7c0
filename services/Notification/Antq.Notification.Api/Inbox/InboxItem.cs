namespace Antq.Notification.Api.Inbox;

/// <summary>A notice in one person's in-app inbox; at most one per notice and person.</summary>
public sealed class InboxItem
{
    public Guid Id { get; set; }

    public Guid NoticeId { get; set; }

    public Notice? Notice { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// A reminder held for this person's own hours (<see cref="AccountPreferences"/>) shows from then; null: at once.
    /// </summary>
    public DateTimeOffset? VisibleAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}
