using System.ComponentModel.DataAnnotations;
using Antq.Settings;

namespace Antq.Notification.Api.Webhooks;

/// <summary>
/// Section <c>Notification:Webhooks</c>: where webhooks may go, how long one request may take, how many endpoints are
/// sent to at once. (The replay window is the receiver's: <see cref="WebhookSignature.Verify"/>, docs/webhooks.md.)
/// </summary>
public sealed class WebhookSettings : IValidatableObject
{
    /// <summary>
    /// Networks (CIDR, e.g. <c>10.20.0.0/16</c>) an administrator allows although they are loopback, private, link-local
    /// or otherwise internal (<see cref="WebhookAddressPolicy"/>). Empty by default: in production a webhook reaches only
    /// public addresses. Local mode (<c>deploy/antq up</c>) and the tests allow <c>127.0.0.0/8</c>, where their receivers listen.
    /// </summary>
    public string[]? AllowedNetworks { get; set; }

    /// <summary>How long one webhook request may take, connection included; a slower endpoint's attempt fails and backs off.</summary>
    [Positive]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many endpoints one batch of deliveries sends to at once (each endpoint gets its own deliveries in order).</summary>
    [Positive]
    public int MaxConcurrentEndpoints { get; set; } = 16;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!(AllowedNetworks ?? []).All(WebhookAddressPolicy.IsNetwork))
            yield return new ValidationResult("each entry must be a network in CIDR form (10.20.0.0/16) or an address", [nameof(AllowedNetworks)]);
    }
}
