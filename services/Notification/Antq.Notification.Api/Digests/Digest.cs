
namespace Antq.Notification.Api.Digests;

/// <summary>
/// A digest (thư tổng hợp) of the reports submitted to one unit, for one e-mail address of that unit's contact point.
/// The first submission after a quiet spell opens it for a window (the contact point's own, or
/// <c>Notification:Digest:Window</c>); every submission to the unit within the window joins it; when the window ends
/// one e-mail lists them all. The inbox and the webhook still get one notice per submission: only e-mail is gathered.
/// At most one digest per unit and address is open at a time, and it is sent once: closing it marks it sent in the
/// transaction that writes its e-mail's delivery, under its row lock.
/// </summary>
public sealed class Digest
{
    public long Id { get; set; }

    /// <summary>The unit the reports were submitted to, whose contact point holds <see cref="Recipient"/>.</summary>
    public required string AudienceUnitCode { get; set; }

    /// <summary>The e-mail address, in lower case (addresses count case-insensitively, as deliveries do).</summary>
    public required string Recipient { get; set; }

    public string Status { get; set; } = DigestStatuses.Open;

    /// <summary>When its first submission was sent out (the notice's time, on the platform's clock).</summary>
    public DateTimeOffset OpenedAt { get; set; }

    /// <summary>When its window ends and its e-mail goes.</summary>
    public DateTimeOffset ClosesAt { get; set; }

    /// <summary>The notice that carries its e-mail, once sent.</summary>
    public Guid? NoticeId { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public List<DigestItem> Items { get; set; } = [];

    public bool IsOpen => Status == DigestStatuses.Open;

    /// <summary>Open, and its window not yet over at <paramref name="now"/>: a submission joins it.</summary>
    public bool Accepts(DateTimeOffset now) => IsOpen && now < ClosesAt;

    public static Digest Open(string audienceUnitCode, string recipient, DateTimeOffset now, TimeSpan window) => new()
    {
        AudienceUnitCode = audienceUnitCode,
        Recipient = recipient.ToLowerInvariant(),
        OpenedAt = now.ToUniversalTime(),
        ClosesAt = (now + window).ToUniversalTime(),
    };

    /// <summary>
    /// The window is over: the e-mail's notice (text fixed now, sent at once, in no inbox) and its delivery, and the
    /// digest is sent. Closing a digest that is not open is a bug of the caller: it would send it twice.
    /// </summary>
    public (Notice Notice, Delivery Delivery) Close(string audienceName, DateTimeOffset now, TimeSpan lateAfter)
    {
        if (!IsOpen) throw new InvalidOperationException($"Digest {Id} is {Status}; only an open digest is sent.");
        if (Items.Count == 0) throw new InvalidOperationException($"Digest {Id} lists no submission.");
        var late = now - ClosesAt > lateAfter;
        var items = Items.OrderBy(i => i.SubmittedAt).ThenBy(i => i.OrgUnitCode, StringComparer.Ordinal).ToList();
        var notice = Notice.Create(NoticeKinds.SubmittedDigest, AudienceUnitCode, items[0].Period, $"digest:{Id}", ClosesAt, now);
        notice.EventAt = ClosesAt;
        notice.MarkSent(now, late, AudienceUnitCode, DigestTexts.Render(items, audienceName, OpenedAt, ClosesAt, late));
        var delivery = Delivery.Create(notice.Id, DeliveryChannels.Email, Recipient, now);
        Status = DigestStatuses.Sent;
        NoticeId = notice.Id;
        SentAt = now.ToUniversalTime();
        return (notice, delivery);
    }
}

/// <summary>One submission listed in a digest, with what its line says, taken when its notice was sent.</summary>
public sealed class DigestItem
{
    public long DigestId { get; set; }

    /// <summary>The submission's own notice (the one in the inbox).</summary>
    public Guid NoticeId { get; set; }

    public required string OrgUnitCode { get; set; }

    public required string UnitName { get; set; }

    public required string Period { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>Before its deadline; null when it had none.</summary>
    public bool? OnTime { get; set; }

    public static DigestItem For(Notice submitted, string unitName) => new()
    {
        NoticeId = submitted.Id,
        OrgUnitCode = submitted.OrgUnitCode,
        UnitName = unitName,
        Period = submitted.Period,
        SubmittedAt = (submitted.EventAt ?? submitted.DueAt).ToUniversalTime(),
        OnTime = submitted.OnTime,
    };
}

public static class DigestStatuses
{
    public const string Open = "open";
    public const string Sent = "sent";
}
