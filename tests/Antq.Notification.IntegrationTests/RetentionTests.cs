using Antq.Notification.Api;
using Antq.Notification.Api.Deliveries;
using Antq.Notification.Api.Digests;
using Antq.Notification.Api.Inbox;
using Antq.Notification.Api.Notices;
using Antq.Notification.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Antq.Notification.IntegrationTests;

/// <summary>The retention job every second (real time), so that the test sees it act on the shifted clock.</summary>
public sealed class RetentionWorld : NotificationWorld
{
    protected override void Configure(NotificationService service)
    {
        base.Configure(service);
        service.Settings["Notification:Retention:Interval"] = "00:00:01";
    }
}

/// <summary>Notices, deliveries, inbox items and digests older than the retention period go; nothing newer, nothing pending.</summary>
public sealed class RetentionTests(RetentionWorld world) : IClassFixture<RetentionWorld>
{
    static Notice SentNotice(string unit, string slot, DateTimeOffset createdAt, DateTimeOffset? sentAt, string status = NoticeStatuses.Sent)
    {
        var notice = Notice.Create(NoticeKinds.Accepted, unit, "2025-Y", slot, createdAt, createdAt);
        notice.Status = status;
        notice.SentAt = sentAt;
        return notice;
    }

    [Fact]
    public async Task What_is_older_than_the_retention_goes_and_nothing_newer_as_the_clock_moves_on()
    {
        var retention = world.Service.Services.GetRequiredService<IOptions<NotificationOptions>>().Value.Retention.Period;
        Assert.Equal(TimeSpan.FromDays(400), retention); // the documented default
        var now = world.Clock.GetUtcNow();
        var day = TimeSpan.FromDays(1);
        var cutoff = now - retention;

        var oldSent = SentNotice("50101", "a", cutoff - 30 * day, cutoff - day);
        var oldCancelled = SentNotice("50101", "b", cutoff - day, null, NoticeStatuses.Cancelled);
        var sentJustInside = SentNotice("50101", "c", cutoff - 100 * day, cutoff + day); // created long ago, sent within the period
        var recent = SentNotice("50101", "d", now - 10 * day, now - 10 * day);
        var oldPending = SentNotice("50101", "e", cutoff - 50 * day, null, NoticeStatuses.Pending); // a reminder planned far ahead
        oldPending.DueAt = now + 30 * day;
        var oldStillRetrying = SentNotice("50101", "f", cutoff - 10 * day, cutoff - 9 * day);
        Notice[] notices = [oldSent, oldCancelled, sentJustInside, recent, oldPending, oldStillRetrying];

        Delivery Delivered(Notice notice)
        {
            var delivery = Delivery.Create(notice.Id, DeliveryChannels.Email, $"{notice.Slot}@congan.vn", notice.CreatedAt);
            delivery.Status = DeliveryStatuses.Delivered;
            return delivery;
        }

        var retrying = Delivery.Create(oldStillRetrying.Id, DeliveryChannels.Webhook, "https://sms.example.vn/hook", oldStillRetrying.CreatedAt);
        retrying.NextAttemptAt = now + day;
        var oldDigest = Digest.Open("501", "tinh@congan.vn", cutoff - 2 * day, TimeSpan.FromMinutes(15));
        oldDigest.Status = DigestStatuses.Sent;
        oldDigest.SentAt = cutoff - 2 * day;
        oldDigest.Items.Add(DigestItem.For(oldSent, "Xã Một"));
        var newerDigest = Digest.Open("501", "tinh@congan.vn", cutoff + day, TimeSpan.FromMinutes(15));
        newerDigest.Status = DigestStatuses.Sent;
        newerDigest.SentAt = cutoff + day;
        newerDigest.Items.Add(DigestItem.For(sentJustInside, "Xã Một"));
        var openDigest = Digest.Open("501", "huyen@congan.vn", now, TimeSpan.FromMinutes(15));
        openDigest.Items.Add(DigestItem.For(recent, "Xã Một"));

        await world.InDbAsync(async db =>
        {
            db.AddRange(notices);
            db.AddRange(notices.Where(n => n != oldPending).Select(Delivered));
            db.Add(retrying);
            db.AddRange(notices.Select(n => new InboxItem { Id = Guid.NewGuid(), NoticeId = n.Id, UserId = Guid.NewGuid(), CreatedAt = n.CreatedAt }));
            db.AddRange(oldDigest, newerDigest, openDigest);
            return await db.SaveChangesAsync();
        });

        async Task<(HashSet<Guid> Notices, int Deliveries, int Inbox, HashSet<long> Digests, int Items)> LeftAsync() => await world.InDbAsync(async db => (
            (await db.Set<Notice>().Where(n => n.OrgUnitCode == "50101").Select(n => n.Id).ToListAsync()).ToHashSet(),
            await db.Set<Delivery>().CountAsync(d => notices.Select(n => n.Id).Contains(d.NoticeId)),
            await db.Set<InboxItem>().CountAsync(i => notices.Select(n => n.Id).Contains(i.NoticeId)),
            (await db.Set<Digest>().Where(d => d.AudienceUnitCode == "501").Select(d => d.Id).ToListAsync()).ToHashSet(),
            await db.Set<DigestItem>().CountAsync(i => notices.Select(n => n.Id).Contains(i.NoticeId))));

        // The job, on its next run, deletes the old sent and cancelled notices with their deliveries and inbox items, and the old digest.
        var left = await Eventually.UntilAsync(LeftAsync, l => l.Notices.Count == 4 && l.Digests.Count == 2, "the retention job to delete what is old");
        Assert.Equal(new HashSet<Guid> { sentJustInside.Id, recent.Id, oldPending.Id, oldStillRetrying.Id }, left.Notices);
        Assert.Equal(3 + 1, left.Deliveries); // one delivered each for the three sent that stay, and the one still retrying
        Assert.Equal(4, left.Inbox);
        Assert.Equal(new HashSet<long> { newerDigest.Id, openDigest.Id }, left.Digests);
        Assert.Equal(2, left.Items);

        // Two days on, what was just inside the period is outside: it goes too, and nothing else.
        world.Clock.Advance(2 * day);
        left = await Eventually.UntilAsync(LeftAsync, l => l.Notices.Count == 3 && l.Digests.Count == 1, "the next run to delete what has aged");
        Assert.Equal(new HashSet<Guid> { recent.Id, oldPending.Id, oldStillRetrying.Id }, left.Notices);
        Assert.Equal(new HashSet<long> { openDigest.Id }, left.Digests);
        Assert.Equal(1, left.Items);
        Assert.Equal(2 + 1, left.Deliveries);
        Assert.Equal(3, left.Inbox);
    }
}
