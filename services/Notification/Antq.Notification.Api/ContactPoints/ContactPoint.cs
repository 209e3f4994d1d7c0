namespace Antq.Notification.Api.ContactPoints;

/// <summary>Where a unit's notices go besides its officers' inboxes: e-mail addresses and one webhook (for SMS or chat gateways).</summary>
public sealed class ContactPoint
{
    public required string OrgUnitCode { get; set; }

    public List<string> Emails { get; set; } = [];

    public string? WebhookUrl { get; set; }

    /// <summary>
    /// The key of the webhook's HMAC-SHA256 signature, encrypted (<see cref="Webhooks.WebhookSecrets"/>); never shown back,
    /// never written to the audit trail.
    /// </summary>
    public string? ProtectedWebhookSecret { get; set; }

    /// <summary>
    /// How long the digest of submissions to each of <see cref="Emails"/> gathers them; null: <c>Notification:Digest:Window</c>.
    /// </summary>
    public TimeSpan? DigestWindow { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}
