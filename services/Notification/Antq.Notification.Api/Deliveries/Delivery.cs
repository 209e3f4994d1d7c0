using System.Security.Cryptography;
using System.Text;

namespace Antq.Notification.Api.Deliveries;

/// <summary>
/// One notice to one recipient over one channel. Its <see cref="IdempotencyKey"/> (notice, channel, recipient) is
/// unique, so a notice fanned out twice still has one delivery per recipient. The attempt is recorded (and committed)
/// before anything is sent and the result after: a crash in between leaves a row in <c>sending</c> whose lease runs
/// out, and the retry carries the same key to the receiver (Message-ID, Idempotency-Key).
/// </summary>
public sealed class Delivery
{
    public long Id { get; set; }

    public Guid NoticeId { get; set; }

    /// <summary>One of <see cref="DeliveryChannels"/>.</summary>
    public required string Channel { get; set; }

    /// <summary>A user id (in-app), an e-mail address or a webhook URL.</summary>
    public required string Recipient { get; set; }

    /// <summary>For a webhook, the unit whose secret signs it.</summary>
    public string? OrgUnitCode { get; set; }

    public required string IdempotencyKey { get; set; }

    public string Status { get; set; } = DeliveryStatuses.Pending;

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public string? LastError { get; set; }

    public static Delivery Create(Guid noticeId, string channel, string recipient, DateTimeOffset now) => new()
    {
        NoticeId = noticeId,
        Channel = channel,
        Recipient = recipient,
        IdempotencyKey = KeyFor(noticeId, channel, recipient),
        CreatedAt = now,
        NextAttemptAt = now,
    };

    /// <summary>"{notice}:{channel}:{recipient}"; an e-mail address counts case-insensitively.</summary>
    public static string KeyFor(Guid noticeId, string channel, string recipient) =>
        $"{noticeId:N}:{channel}:{(channel == DeliveryChannels.Email ? recipient.ToLowerInvariant() : recipient)}";

    /// <summary>The Message-ID of an e-mail delivery, derived from the key alone: every resend carries the same one.</summary>
    public static string MessageIdFor(string idempotencyKey)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32];
        return $"{hash}@thongbao.antq";
    }

    /// <summary>
    /// Claims the delivery for one attempt: the lease keeps other replicas off it while it is sent; if this one dies
    /// mid-send, the lease runs out and another retries with the same key.
    /// </summary>
    public void BeginAttempt(DateTimeOffset now, TimeSpan lease)
    {
        Status = DeliveryStatuses.Sending;
        Attempts++;
        LastAttemptAt = now;
        NextAttemptAt = now + lease;
    }

    public void Succeeded(DateTimeOffset now)
    {
        Status = DeliveryStatuses.Delivered;
        DeliveredAt = now;
        LastError = null;
    }

    /// <summary>Back-off doubling from <paramref name="firstDelay"/> up to <paramref name="maxDelay"/>; gives up after <paramref name="maxAttempts"/>.</summary>
    public void Failed(DateTimeOffset now, string error, TimeSpan firstDelay, TimeSpan maxDelay, int maxAttempts)
    {
        LastError = error.Length <= 2000 ? error : error[..2000];
        if (Attempts >= maxAttempts)
        {
            Status = DeliveryStatuses.Failed;
            return;
        }

        Status = DeliveryStatuses.Pending;
        var delay = firstDelay.TotalSeconds * Math.Pow(2, Math.Min(Attempts - 1, 20));
        NextAttemptAt = now + TimeSpan.FromSeconds(Math.Min(delay, maxDelay.TotalSeconds));
    }
}

public static class DeliveryChannels
{
    public const string InApp = "inapp";
    public const string Email = "email";
    public const string Webhook = "webhook";
}

public static class DeliveryStatuses
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
