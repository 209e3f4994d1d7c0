using System.Net;
using System.Text.Json;
using Antq.Notification.Api.Data;
using Antq.Notification.Api.Deliveries;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;

namespace Antq.Journeys;

/// <summary>
/// The administrators' status page (<c>GET /api/status</c> at the gateway) over the running platform: every service
/// answers for itself (readiness, version, outbox, dead letters, its queues on the real broker) and the gateway merges
/// them, with Notification's last failed deliveries at the top.
/// </summary>
[Collection(OpenSeasonCollection.Name)]
public sealed class StatusJourney(OpenSeason season)
{
    const string Period = OpenSeason.Period;

    [Fact]
    public async Task An_administrator_sees_every_service_ready_with_its_version_outbox_dead_letters_queues_and_the_last_failed_deliveries()
    {
        using (var refused = await season.Province01.GetAsync("api/status"))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // A submission: Reporting's outbox publishes it, Notification's consumer takes it and delivers to PV01.
        var (code, _, _, officer) = await season.CommuneAsync(31);
        await Season.SubmitAsync(officer, code, Period, Season.Report(Period, seed: 3131));
        var notice = await Season.NoticeAsync(season.Province01, "submitted", code, Period);

        // One of its deliveries given up on, as the dispatcher leaves it after its last attempt.
        var noticeId = Guid.Parse(notice.GetProperty("id").GetString()!);
        const string error = "SmtpCommandException: 550 5.1.1 mailbox unavailable";
        var failed = await season.InAsync<NotificationDbContext, long>(season.Notification, async db =>
        {
            var delivery = await db.Set<Delivery>().AsTracking().FirstAsync(d => d.NoticeId == noticeId);
            delivery.Status = DeliveryStatuses.Failed;
            delivery.Attempts = 8;
            delivery.LastAttemptAt = season.Clock.GetUtcNow();
            delivery.LastError = error;
            await db.SaveChangesAsync();
            return delivery.Id;
        });

        JsonElement status = default;
        await Eventually.UntilAsync(async () =>
        {
            status = await Season.GetAsync(season.Admin, "api/status");
            // The broker's management API samples its queues' figures every few seconds: a platform started a moment
            // ago may still show a queue without the consumer that is already reading it.
            return status.GetProperty("services").EnumerateArray().All(s => s.GetProperty("ready").GetBoolean())
                && status.GetProperty("totals").GetProperty("outboxUnsent").GetInt64() == 0
                && status.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "notification")
                    .GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("name").GetString() == "notification-report-submitted"
                        && q.GetProperty("consumers").GetInt64() >= 1);
        }, TimeSpan.FromSeconds(60), "every service ready, every outbox sent and the broker's figures of Notification's queue up to date");

        var services = status.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("service").GetString()!);
        Assert.Equal(["classification", "gateway", "identity", "notification", "plan", "portal", "reporting"], services.Keys.Order());
        foreach (var (name, service) in services)
        {
            Assert.True(service.GetProperty("up").GetBoolean(), name);
            Assert.False(string.IsNullOrEmpty(service.GetProperty("version").GetString()), $"{name} names its version");
            Assert.Equal(JsonValueKind.Array, service.GetProperty("problems").ValueKind);
            Assert.Empty(service.GetProperty("problems").EnumerateArray());
            Assert.All(service.GetProperty("checks").EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetString()));
        }

        // Reporting's outbox: sent, nothing waiting, so no oldest row; its consumers' queues with a consumer each.
        var reporting = services["reporting"];
        var outbox = Assert.Single(reporting.GetProperty("outboxes").EnumerateArray());
        Assert.Equal("ReportingDbContext", outbox.GetProperty("outbox").GetString());
        Assert.Equal(0, outbox.GetProperty("unsent").GetInt64());
        Assert.Equal(JsonValueKind.Null, outbox.GetProperty("oldestUnsentAt").ValueKind);
        Assert.Equal(0, reporting.GetProperty("deadLetters").GetInt64());

        var queues = services["notification"].GetProperty("queues").EnumerateArray().ToDictionary(q => q.GetProperty("name").GetString()!);
        var submitted = queues["notification-report-submitted"];
        Assert.True(submitted.GetProperty("consumers").GetInt64() >= 1, $"Notification reads its queue of submissions: {submitted}");
        Assert.True(submitted.GetProperty("ready").GetInt64() >= 0);
        Assert.DoesNotContain(queues.Keys, q => !q.StartsWith("notification-", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, services["gateway"].GetProperty("queues").ValueKind);

        // The failed delivery, at the top, with its error and attempts.
        var top = status.GetProperty("failedDeliveries").EnumerateArray().First(d => d.GetProperty("id").GetInt64() == failed);
        Assert.Equal(8, top.GetProperty("attempts").GetInt32());
        Assert.Equal(error, top.GetProperty("lastError").GetString());
        Assert.Equal("submitted", top.GetProperty("noticeKind").GetString());
        Assert.Equal(JsonValueKind.Array, status.GetProperty("closings").ValueKind);
        Assert.Equal(0, status.GetProperty("totals").GetProperty("down").GetInt32());
    }
}
