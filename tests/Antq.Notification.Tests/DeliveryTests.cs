using System.Text;
using System.Text.Json;
using Antq.Notification.Api;
using Antq.Notification.Api.ContactPoints;
using Antq.Notification.Api.Deliveries;
using Antq.Notification.Api.Notices;

namespace Antq.Notification.Tests;

/// <summary>Idempotency keys, the webhook's body, the e-mail's headers, retries, and contact point validation.</summary>
public sealed class DeliveryTests
{
    [Fact]
    public void Webhook_body_carries_the_notice_in_readable_json()
    {
        var notice = new Notice
        {
            Id = Guid.NewGuid(), Kind = NoticeKinds.Overdue, OrgUnitCode = "26734", Period = "2026-H1", Slot = "overdue:P1D",
            Title = "Quá hạn nộp báo cáo sơ kết 6 tháng đầu năm 2026", Body = "Xã Nghĩa Sơn chưa nộp",
        };
        var bytes = WebhookChannel.BodyOf(notice);
        var json = JsonDocument.Parse(bytes).RootElement;
        Assert.Equal(notice.Id, json.GetProperty("id").GetGuid());
        Assert.Equal("overdue", json.GetProperty("kind").GetString());
        Assert.Equal("26734", json.GetProperty("orgUnitCode").GetString());
        Assert.Equal("2026-H1", json.GetProperty("period").GetString());
        Assert.Equal(notice.Title, json.GetProperty("title").GetString());
        Assert.Equal(notice.Body, json.GetProperty("body").GetString());
        Assert.Contains("Quá hạn nộp", Encoding.UTF8.GetString(bytes)); // not \u escapes
    }

    [Fact]
    public void Idempotency_key_names_notice_channel_and_recipient_and_fixes_the_message_id()
    {
        var id = Guid.NewGuid();
        var delivery = Delivery.Create(id, DeliveryChannels.Email, "CAXa.NghiaSon@Example.vn", DateTimeOffset.UnixEpoch);
        Assert.Equal($"{id:N}:email:caxa.nghiason@example.vn", delivery.IdempotencyKey);
        Assert.Equal(delivery.IdempotencyKey, Delivery.KeyFor(id, DeliveryChannels.Email, "caxa.nghiason@example.vn"));
        Assert.NotEqual(delivery.IdempotencyKey, Delivery.KeyFor(id, DeliveryChannels.Webhook, "caxa.nghiason@example.vn"));
        Assert.NotEqual(delivery.IdempotencyKey, Delivery.KeyFor(Guid.NewGuid(), DeliveryChannels.Email, "caxa.nghiason@example.vn"));

        var message = EmailChannel.Build(new Outgoing(delivery, new Notice
        {
            Id = id, Kind = NoticeKinds.Reminder, OrgUnitCode = "26734", Period = "2026-H1", Slot = "reminder:-P7D", Title = "Nhắc hạn", Body = "Nội dung",
        }, null), new SmtpSettings());
        Assert.Equal(Delivery.MessageIdFor(delivery.IdempotencyKey), message.MessageId);
        Assert.Equal(delivery.IdempotencyKey, message.Headers[EmailChannel.IdempotencyHeader]);
        Assert.Equal("Nhắc hạn", message.Subject);
    }

    [Fact]
    public void A_failed_delivery_backs_off_doubling_then_gives_up()
    {
        var now = DateTimeOffset.UnixEpoch;
        var delivery = Delivery.Create(Guid.NewGuid(), DeliveryChannels.Webhook, "http://127.0.0.1/hook", now);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            delivery.BeginAttempt(now, TimeSpan.FromMinutes(2));
            Assert.Equal(DeliveryStatuses.Sending, delivery.Status);
            delivery.Failed(now, "HTTP 500", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), maxAttempts: 5);
            delays.Add(delivery.NextAttemptAt - now);
        }

        Assert.Equal([10, 20, 40, 60], delays.Take(4).Select(d => d.TotalSeconds));
        Assert.Equal(DeliveryStatuses.Failed, delivery.Status);
        Assert.Equal(5, delivery.Attempts);
    }

    [Fact]
    public void Contact_points_accept_addresses_and_http_urls_and_explain_what_is_wrong_in_vietnamese()
    {
        var (emails, url, window, errors) = ContactPointsApi.Validate(
            new ContactPointRequest(["caxa@congan.vn", " CAXA@congan.vn ", "khong-hop-le", "a@b"], "ftp://example.vn/hook", "ngắn"), hasSecret: false);
        Assert.Equal(["caxa@congan.vn"], emails);
        Assert.Null(url);
        Assert.Null(window);
        Assert.Equal("Địa chỉ e-mail \"khong-hop-le\" không hợp lệ.", Assert.Single(errors["emails[2]"]));
        Assert.True(errors.ContainsKey("emails[3]"));
        Assert.Contains("http:// hoặc https://", Assert.Single(errors["webhookUrl"]));
        Assert.Contains("từ 16 đến 200 ký tự", Assert.Single(errors["webhookSecret"]));

        var ok = ContactPointsApi.Validate(new ContactPointRequest(["caxa@congan.vn"], "https://sms.example.vn/hook", null), hasSecret: true);
        Assert.Empty(ok.Errors);
        Assert.Equal("https://sms.example.vn/hook", ok.Url);

        var noSecret = ContactPointsApi.Validate(new ContactPointRequest([], "https://sms.example.vn/hook", null), hasSecret: false);
        Assert.Contains("Cần khai báo khóa bí mật", Assert.Single(noSecret.Errors["webhookSecret"]));
    }
}
