using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Contracts.Reporting;
using Antq.Notification.Api.Deliveries;
using Antq.Notification.IntegrationTests.Infrastructure;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.IntegrationTests;

/// <summary>
/// Event notices, retries with back-off, a crash between sending and recording, and who may see and set what.
/// </summary>
public sealed class DeliveryTests(NotificationWorld world) : IClassFixture<NotificationWorld>, IAsyncLifetime
{
    const string Province = "31";
    const string Period = "2026-Y";

    public async Task InitializeAsync()
    {
        if (await world.InDbAsync(db => db.Recipients.AnyAsync())) return;
        await world.UnitsAsync(Province, "Thành phố Hải Phòng", ("11311", "Phường Hồng Bàng"), ("11312", "Phường Lê Chân"), ("11313", "Xã An Hưng"), ("11314", "Xã An Lão"));
        await world.UserAsync("cb.hongbang", AntqRoles.CommuneOfficer, "11311");
        await world.UserAsync("cb.lechan", AntqRoles.CommuneOfficer, "11312");
        await world.UserAsync("cb.anhung", AntqRoles.CommuneOfficer, "11313");
        await world.UserAsync("cb.cu", AntqRoles.CommuneOfficer, "11313", active: false);
        await world.UserAsync("cb.anlao", AntqRoles.CommuneOfficer, "11314");
        await world.UserAsync("pv01.haiphong", AntqRoles.ProvinceOfficer, Province);
        await world.WaitForCopiesAsync(units: 5, users: 6);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_returned_report_tells_the_sender_why_in_every_channel_and_a_failing_webhook_is_retried_with_the_same_key()
    {
        await world.PutContactPointAsync("11311", new
        {
            emails = new[] { "hongbang@congan.vn" },
            webhookUrl = world.Webhooks.Url("/hook/hongbang", "khoa-bi-mat-hong-bang", failFirst: 2),
            webhookSecret = "khoa-bi-mat-hong-bang",
        });
        var at = world.Clock.GetUtcNow();
        await world.PublishAsync(new ReportReturned
        {
            ReportId = Guid.NewGuid(), OrgUnitCode = "11311", ReportsToCode = Province, Period = Period,
            Reason = "Thiếu số liệu về mô hình tự quản", ReturnedBy = "pv01.haiphong", OccurredAt = at,
        });

        var calls = await Eventually.UntilAsync(() => Task.FromResult(world.Webhooks.CallsTo("/hook/hongbang")),
            c => c.Any(x => x.AnsweredStatus == 200), "the webhook to answer 200 after two failures", TimeSpan.FromSeconds(30));
        Assert.Equal([500, 500, 200], calls.Select(c => c.AnsweredStatus));
        Assert.Single(calls.Select(c => c.IdempotencyKey).Distinct());
        Assert.All(calls, c => Assert.True(c.SignatureValid));
        Assert.Equal("returned", calls[0].Body.GetProperty("kind").GetString());
        Assert.Contains("Lý do: Thiếu số liệu về mô hình tự quản.", calls[0].Body.GetProperty("body").GetString());

        var inbox = await world.InboxAsync("cb.hongbang", AntqRoles.CommuneOfficer, "11311");
        var notice = Assert.Single(inbox);
        Assert.Equal("Báo cáo tổng kết năm 2026 bị trả lại", notice.GetProperty("title").GetString());
        Assert.Equal(calls[0].Body.GetProperty("id").GetString(), notice.GetProperty("id").GetString());
        var mail = await Eventually.UntilAsync(() => Task.FromResult(world.Smtp.To("hongbang@congan.vn")), m => m.Count >= 1, "the e-mail");
        Assert.Equal("Báo cáo tổng kết năm 2026 bị trả lại", Assert.Single(mail).Subject);

        var log = await Eventually.UntilAsync(() => world.DeliveriesAsync(),
            l => l.Any(d => d.GetProperty("channel").GetString() == "webhook" && d.GetProperty("orgUnitCode").GetString() == "11311" && d.GetProperty("status").GetString() == "delivered"),
            "the delivery log to show the webhook delivered");
        var webhook = log.Single(d => d.GetProperty("channel").GetString() == "webhook" && d.GetProperty("orgUnitCode").GetString() == "11311");
        Assert.Equal(3, webhook.GetProperty("attempts").GetInt32());
        Assert.Equal(calls[0].IdempotencyKey, webhook.GetProperty("idempotencyKey").GetString());

        // The return also planned a reminder to resubmit.
        var schedule = await world.ScheduleAsync("11311", Period);
        Assert.Contains(schedule.GetProperty("notices").EnumerateArray(), n => n.GetProperty("slot").GetString()!.StartsWith("resubmit:") && n.GetProperty("status").GetString() == "pending");
    }

    [Fact]
    public async Task A_delivery_whose_result_was_never_recorded_goes_again_with_the_same_message_id_and_idempotency_key()
    {
        await world.PutContactPointAsync("11312", new
        {
            emails = new[] { "lechan@congan.vn" },
            webhookUrl = world.Webhooks.Url("/hook/lechan", "khoa-bi-mat-le-chan-1"),
            webhookSecret = "khoa-bi-mat-le-chan-1",
        });
        await world.PublishAsync(new ReportAccepted
        {
            ReportId = Guid.NewGuid(), OrgUnitCode = "11312", ReportsToCode = Province, Period = Period, AcceptedBy = "pv01.haiphong",
            OccurredAt = world.Clock.GetUtcNow(),
        });
        await Eventually.UntilAsync(() => Task.FromResult(world.Webhooks.CallsTo("/hook/lechan").Count + world.Smtp.To("lechan@congan.vn").Count), c => c == 2, "both deliveries");
        var noticeId = Guid.Parse(Assert.Single(await world.InboxAsync("cb.lechan", AntqRoles.CommuneOfficer, "11312")).GetProperty("id").GetString()!);

        // A replica died after recording its attempts and handing the messages over, before recording the result.
        await world.InDbAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE deliveries SET status = 'sending', next_attempt_at = now() - interval '1 second' WHERE notice_id = {noticeId} AND channel <> 'inapp'"));

        var mails = await Eventually.UntilAsync(() => Task.FromResult(world.Smtp.To("lechan@congan.vn")), m => m.Count == 2, "the e-mail sent again");
        var calls = await Eventually.UntilAsync(() => Task.FromResult(world.Webhooks.CallsTo("/hook/lechan")), c => c.Count == 2, "the webhook called again");
        // Sent again, as the protocol cannot tell us it arrived, but as the same message: a receiver can drop the repeat.
        Assert.Single(mails.Select(m => m.MessageId).Distinct());
        Assert.Single(mails.Select(m => m.Headers["X-Antq-Idempotency-Key"]).Distinct());
        Assert.Single(calls.Select(c => c.IdempotencyKey).Distinct());
        Assert.Single(calls.Select(c => c.Body.GetProperty("id").GetString()).Distinct());
        // The inbox item was written with the notice in one transaction: it is never repeated.
        Assert.Single(await world.InboxAsync("cb.lechan", AntqRoles.CommuneOfficer, "11312"));
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Set<Delivery>().Where(d => d.NoticeId == noticeId).Select(d => d.Status).ToListAsync()),
            s => s.Count == 3 && s.All(x => x == DeliveryStatuses.Delivered), "the deliveries recorded as delivered");
    }

    [Fact]
    public async Task A_user_sees_only_their_own_notices_and_marks_them_read()
    {
        await world.PublishAsync(new ReportAccepted
        {
            ReportId = Guid.NewGuid(), OrgUnitCode = "11313", ReportsToCode = Province, Period = Period, AcceptedBy = "pv01.haiphong",
            OccurredAt = world.Clock.GetUtcNow(),
        });
        var mine = await Eventually.UntilAsync(() => world.InboxAsync("cb.anhung", AntqRoles.CommuneOfficer, "11313"), n => n.Count == 1, "the notice in the inbox");
        var id = mine[0].GetProperty("id").GetString();
        Assert.False(mine[0].GetProperty("read").GetBoolean());
        Assert.Equal("accepted", mine[0].GetProperty("kind").GetString());
        Assert.Equal("11313", mine[0].GetProperty("orgUnitCode").GetString());
        Assert.Equal(Period, mine[0].GetProperty("period").GetString());

        // An inactive account of the same unit, and an officer of another unit, get nothing.
        Assert.Empty(await world.InboxAsync("cb.cu", AntqRoles.CommuneOfficer, "11313"));
        Assert.DoesNotContain(await world.InboxAsync("cb.hongbang", AntqRoles.CommuneOfficer, "11311"), n => n.GetProperty("id").GetString() == id);
        using (var other = world.As("cb.hongbang", AntqRoles.CommuneOfficer, "11311"))
        using (var response = await other.PostAsync($"/api/notifications/{id}/read", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("Không tìm thấy thông báo này trong hộp thông báo của bạn.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        using (var owner = world.As("cb.anhung", AntqRoles.CommuneOfficer, "11313"))
        using (var response = await owner.PostAsync($"/api/notifications/{id}/read", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        Assert.True((await world.InboxAsync("cb.anhung", AntqRoles.CommuneOfficer, "11313"))[0].GetProperty("read").GetBoolean());

        using var officer = world.As("cb.anhung", AntqRoles.CommuneOfficer, "11313");
        using var log = await officer.GetAsync("/api/notifications/deliveries");
        Assert.Equal(HttpStatusCode.Forbidden, log.StatusCode);
    }

    [Fact]
    public async Task A_period_closed_at_a_level_gives_its_officers_the_counts()
    {
        var at = world.Clock.GetUtcNow();
        await world.PublishAsync(new PeriodClosed
        {
            ClosingId = Guid.NewGuid(), OrgUnitCode = Province, Period = "2026-H1", DueAt = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.FromHours(7)),
            ClosedAt = at, Expected = 114, OnTime = 100, Late = 10, Missing = 4, MissingCodes = ["11311", "11312", "11313", "11314"], OccurredAt = at,
        });
        var inbox = await Eventually.UntilAsync(() => world.InboxAsync("pv01.haiphong", AntqRoles.ProvinceOfficer, Province),
            n => n.Any(x => x.GetProperty("kind").GetString() == "periodClosed"), "the period-closed notice");
        var notice = inbox.Single(x => x.GetProperty("kind").GetString() == "periodClosed");
        Assert.Equal("Đã khóa kỳ báo cáo sơ kết 6 tháng đầu năm 2026 tại Thành phố Hải Phòng", notice.GetProperty("title").GetString());
        Assert.EndsWith("100 đơn vị nộp đúng hạn, 10 đơn vị nộp muộn, 4 đơn vị chưa nộp.", notice.GetProperty("body").GetString());
        Assert.DoesNotContain(await world.InboxAsync("cb.anhung", AntqRoles.CommuneOfficer, "11313"), x => x.GetProperty("kind").GetString() == "periodClosed");
    }

    [Fact]
    public async Task Contact_points_are_set_by_the_units_officers_or_an_admin_and_checked_in_vietnamese()
    {
        using var own = world.As("cb.anlao", AntqRoles.CommuneOfficer, "11314");
        using var other = world.As("cb.hongbang", AntqRoles.CommuneOfficer, "11311");
        using var viewer = world.As("xem", AntqRoles.Viewer, "11314");

        using (var bad = await own.PutAsJsonAsync("/api/contact-points/11314", new { emails = new[] { "anlao@congan.vn", "sai địa chỉ" }, webhookUrl = "javascript:alert(1)" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Yêu cầu không hợp lệ", problem.GetProperty("title").GetString());
            var errors = problem.GetProperty("errors");
            Assert.Equal("Địa chỉ e-mail \"sai địa chỉ\" không hợp lệ.", errors.GetProperty("emails[1]")[0].GetString());
            Assert.Equal("Địa chỉ webhook phải là một URL đầy đủ bắt đầu bằng http:// hoặc https://.", errors.GetProperty("webhookUrl")[0].GetString());
        }

        using (var forbidden = await other.PutAsJsonAsync("/api/contact-points/11314", new { emails = new[] { "x@congan.vn" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            Assert.Contains("Chỉ cán bộ của đơn vị 11314", (await forbidden.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        using (var forbidden = await viewer.PutAsJsonAsync("/api/contact-points/11314", new { emails = new[] { "x@congan.vn" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using (var ok = await own.PutAsJsonAsync("/api/contact-points/11314", new { emails = new[] { "anlao@congan.vn" }, webhookUrl = "https://sms.example.vn/hook", webhookSecret = "mot-khoa-du-dai-16" }))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var saved = await own.GetFromJsonAsync<JsonElement>("/api/contact-points/11314");
        Assert.Equal(["anlao@congan.vn"], saved.GetProperty("emails").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("https://sms.example.vn/hook", saved.GetProperty("webhookUrl").GetString());
        Assert.True(saved.GetProperty("hasWebhookSecret").GetBoolean());
        Assert.False(saved.TryGetProperty("webhookSecret", out _));
        Assert.Equal("cb.anlao", saved.GetProperty("updatedBy").GetString());
    }
}
