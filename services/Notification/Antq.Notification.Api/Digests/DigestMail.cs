using Antq.Notification.Api.Data;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Digests;

/// <summary>A submission's e-mail waiting for its digest: the unit it went to, one address of its contact point, that contact point's window.</summary>
public sealed record Gathered(string AudienceUnitCode, string Recipient, TimeSpan Window, DigestItem Item);

/// <summary>
/// The digests' workflow, every change of a digest under its row lock: a submission's e-mail joins the open digest of
/// its unit and address or opens one (<see cref="GatherAsync"/>, in the transaction that sends the submission's notice);
/// a digest whose window has ended is sent (<see cref="SendDueAsync"/>, by the dispatcher; or by the next submission to
/// the same address, if it comes first). Sending writes the e-mail's notice and delivery, which
/// <see cref="DeliverySender"/> then sends like any other, with its lease, retries and idempotency key.
/// </summary>
public sealed class DigestMail(NotificationDbContext db, TimeProvider clock, IOptions<NotificationOptions> options, ILogger<DigestMail> logger)
{
    /// <summary>How many digests one transaction sends.</summary>
    const int PerTransaction = 25;

    readonly Dictionary<(string, DateOnly), string> names = [];

    /// <summary>How many deliveries (digest e-mails) this instance has written: the sending loops are told of them.</summary>
    public int DeliveriesQueued { get; private set; }

    /// <summary>How many digests this instance has opened: the loop that sends digests learns when they close.</summary>
    public int DigestsOpened { get; private set; }

    /// <summary>
    /// Adds each submission to its digest, in the caller's transaction. Digests are taken in one order (unit, address),
    /// so two batches that share some never wait on each other in a circle.
    /// </summary>
    public async Task GatherAsync(IReadOnlyCollection<Gathered> gathered, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var item in gathered.OrderBy(g => g.AudienceUnitCode, StringComparer.Ordinal)
                     .ThenBy(g => g.Recipient, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Item.SubmittedAt))
        {
            var (digest, opened) = await db.LockOpenDigestAsync(item.AudienceUnitCode, item.Recipient, now, item.Window, ct);
            if (!digest.Accepts(now))
            {
                // Its window is over but the dispatcher has not sent it yet: it goes now, and this submission opens the next.
                await db.Entry(digest).Collection(d => d.Items).LoadAsync(ct);
                await CloseAsync(digest, now, ct);
                await db.SaveChangesAsync(ct);
                (digest, opened) = await db.LockOpenDigestAsync(item.AudienceUnitCode, item.Recipient, now, item.Window, ct);
            }

            if (opened) DigestsOpened++;

            item.Item.DigestId = digest.Id;
            db.Add(item.Item);
        }
    }

    /// <summary>Sends up to <paramref name="max"/> digests whose window has ended; returns how many.</summary>
    public async Task<int> SendDueAsync(int max, CancellationToken ct)
    {
        var sent = 0;
        while (sent < max)
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = clock.GetUtcNow();
            var due = await db.LockDueDigestsAsync(now, Math.Min(PerTransaction, max - sent), ct);
            if (due.Count == 0) break;
            var ids = due.Select(d => d.Id).ToList();
            await db.Set<DigestItem>().Where(i => ids.Contains(i.DigestId)).LoadAsync(ct);
            foreach (var digest in due) await CloseAsync(digest, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            sent += due.Count;
        }

        return sent;
    }

    async Task CloseAsync(Digest digest, DateTimeOffset now, CancellationToken ct)
    {
        var (notice, delivery) = digest.Close(await NameAsync(digest.AudienceUnitCode, VietnamTime.DayOf(now), ct), now,
            options.Value.Dispatcher.LateAfter);
        db.Add(notice);
        db.Add(delivery);
        DeliveriesQueued++;
        logger.LogInformation("Digest {DigestId} of {Audience} to {Recipient} sent with {Count} submissions{Late}",
            digest.Id, digest.AudienceUnitCode, digest.Recipient, digest.Items.Count, notice.Late ? " late" : "");
    }

    async Task<string> NameAsync(string code, DateOnly day, CancellationToken ct)
    {
        if (!names.TryGetValue((code, day), out var name))
            names[(code, day)] = name = (await db.FindUnitAsOfAsync(code, day, ct))?.Name ?? code;
        return name;
    }
}
