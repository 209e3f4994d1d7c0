using Antq.Contracts.Copies;
using Antq.Identity.Api.Data;
using Antq.Messaging;
using Antq.Messaging.Copies;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Identity.Api.Users;

/// <summary>
/// Notification's copy of the users (its recipients) sent its digest (<see cref="ReconcileCopy"/>): re-announce, through
/// the outbox, every user of each bucket where the copy differs, as it stands now. A user has no change number, so the
/// version compared is a hash of what the copy keeps; the re-announcement is stamped now, newer than anything the copy
/// holds, so it applies. Requests for the Plan service's copies are not ours.
/// </summary>
public sealed class ReconcileCopyConsumer(IdentityDbContext db, TimeProvider clock, ILogger<ReconcileCopyConsumer> logger) : IConsumer<ReconcileCopy>
{
    public const string UserRows = "SELECT id::text AS key, " + CopyNames.RecipientVersion + " AS version FROM users";

    public async Task Consume(ConsumeContext<ReconcileCopy> context)
    {
        var request = context.Message;
        if (request.Copy != CopyNames.Recipients) return;
        await db.HandleOnceAsync<ReconcileCopyConsumer>(context, async ct =>
        {
            var (buckets, keys) = await CopyDigest.DifferingKeysAsync(db, request, UserRows, ct);
            if (keys.Count == 0) return;
            var ids = keys.Select(Guid.Parse).ToList();
            var now = clock.GetUtcNow();
            foreach (var user in await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToListAsync(ct))
                db.AddOutboxMessage(UserChangedMessage.From(user, now), clock);
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Copy {Copy} of {RequestedBy} differs in {Buckets} of {BucketCount} buckets: {Users} users announced again",
                request.Copy, request.RequestedBy, buckets.Count, request.BucketCount, keys.Count);
        });
    }
}
