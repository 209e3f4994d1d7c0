using Antq.Notification.Api;
using Antq.Notification.Api.ContactPoints;
using Antq.Notification.Api.Deliveries;
using Antq.Notification.Api.Digests;
using Antq.Notification.Api.Notices;
using Antq.Notification.Api.Recipients;
using static Antq.Notification.Tests.Walk;

namespace Antq.Notification.Tests;

/// <summary>A digest's rules and words: one e-mail per window listing the units, in Vietnamese, sent once.</summary>
public sealed class DigestTests
{
    const string ProvinceName = "Tỉnh Phú Thọ";

    static Notice Submitted(string unit, DateTimeOffset at, bool? onTime, string period = Period)
    {
        var notice = Notice.Event(NoticeKinds.Submitted, unit, period, Province, Guid.NewGuid(), at, at);
        notice.OnTime = onTime;
        return notice;
    }

    [Fact]
    public void A_digest_of_a_deadline_day_at_a_province_lists_what_fits_in_a_notice_and_counts_the_rest()
    {
        var digest = Digest.Open(Province, "PV01@CongAn.vn", Vn(2026, 6, 14, 8), TimeSpan.FromMinutes(15));
        for (var i = 0; i < 166; i++)
            digest.Items.Add(DigestItem.For(Submitted($"{14000 + i}", Vn(2026, 6, 14, 8, i % 15), onTime: true), $"Phường Thử Nghiệm Số {i}"));

        var (notice, _) = digest.Close(ProvinceName, Vn(2026, 6, 14, 8, 20), TimeSpan.FromMinutes(1));

        Assert.Equal("[Gửi muộn] Tổng hợp báo cáo đã nộp: 166 đơn vị", notice.Title);
        Assert.InRange(notice.Body!.Length, 7000, DigestTexts.MaxBody);
        var listed = notice.Body.Split('\n').Count(l => l.Contains("(mã 1", StringComparison.Ordinal));
        Assert.InRange(listed, 50, 165);
        Assert.Contains($"… và {166 - listed} đơn vị khác.", notice.Body);
        Assert.EndsWith("lúc 08:15 ngày 14/06/2026.)", notice.Body);
    }

    [Fact]
    public void A_digest_lists_each_unit_with_its_code_the_vietnam_time_it_submitted_and_whether_on_time()
    {
        var digest = Digest.Open(Province, "PV01@CongAn.vn", Vn(2026, 6, 14, 8), TimeSpan.FromMinutes(15));
        digest.Items.Add(DigestItem.For(Submitted("26735", Vn(2026, 6, 14, 8, 9), onTime: true), "Xã Nghĩa Hưng"));
        digest.Items.Add(DigestItem.For(Submitted(Commune, Vn(2026, 6, 14, 8, 2), onTime: false), CommuneName));
        digest.Items.Add(DigestItem.For(Submitted("26736", Vn(2026, 6, 14, 8, 14), onTime: null, period: "2026-Y"), "Xã Nghĩa Phú"));

        var (notice, delivery) = digest.Close(ProvinceName, Vn(2026, 6, 14, 8, 15), TimeSpan.FromMinutes(5));

        Assert.Equal("Tổng hợp báo cáo đã nộp: 3 đơn vị", notice.Title);
        Assert.Equal(
            "Kính gửi Tỉnh Phú Thọ,\n\n" +
            "Từ 08:00 ngày 14/06/2026 đến 08:15 ngày 14/06/2026, 3 đơn vị đã nộp báo cáo lên Tỉnh Phú Thọ:\n\n" +
            "Báo cáo sơ kết 6 tháng đầu năm 2026:\n" +
            "1. Xã Nghĩa Sơn (mã 26734), nộp lúc 14/06/2026 08:02, nộp muộn\n" +
            "2. Xã Nghĩa Hưng (mã 26735), nộp lúc 14/06/2026 08:09, đúng hạn\n\n" +
            "Báo cáo tổng kết năm 2026:\n" +
            "1. Xã Nghĩa Phú (mã 26736), nộp lúc 14/06/2026 08:14, không có hạn nộp\n\n" +
            "Từng báo cáo có trong hộp thông báo của Hệ thống.",
            notice.Body);
        Assert.Equal(NoticeKinds.SubmittedDigest, notice.Kind);
        Assert.Equal(NoticeStatuses.Sent, notice.Status);
        Assert.False(notice.Late);
        Assert.Equal(Province, notice.AudienceUnitCode);
        Assert.Equal(DeliveryChannels.Email, delivery.Channel);
        Assert.Equal("pv01@congan.vn", delivery.Recipient);
        Assert.Equal(notice.Id, delivery.NoticeId);
        Assert.Equal((DigestStatuses.Sent, notice.Id), (digest.Status, digest.NoticeId));
    }

    [Fact]
    public void A_digest_takes_submissions_until_its_window_ends_and_is_sent_once()
    {
        var digest = Digest.Open(Province, "pv01@congan.vn", Vn(2026, 6, 14, 8), TimeSpan.FromMinutes(15));
        Assert.True(digest.Accepts(Vn(2026, 6, 14, 8, 14)));
        Assert.False(digest.Accepts(Vn(2026, 6, 14, 8, 15)));
        digest.Items.Add(DigestItem.For(Submitted(Commune, Vn(2026, 6, 14, 8, 1), true), CommuneName));

        digest.Close(ProvinceName, Vn(2026, 6, 14, 8, 15), TimeSpan.FromMinutes(5));

        Assert.False(digest.Accepts(Vn(2026, 6, 14, 8, 1)));
        Assert.Throws<InvalidOperationException>(() => digest.Close(ProvinceName, Vn(2026, 6, 14, 8, 16), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_digest_sent_long_after_its_window_says_it_is_late()
    {
        var digest = Digest.Open(Province, "pv01@congan.vn", Vn(2026, 6, 14, 8), TimeSpan.FromMinutes(15));
        digest.Items.Add(DigestItem.For(Submitted(Commune, Vn(2026, 6, 14, 8, 1), true), CommuneName));

        var (notice, _) = digest.Close(ProvinceName, Vn(2026, 6, 14, 9), TimeSpan.FromMinutes(5));

        Assert.True(notice.Late);
        Assert.Equal("[Gửi muộn] Tổng hợp báo cáo đã nộp: 1 đơn vị", notice.Title);
        Assert.EndsWith("(Thư gửi muộn: lẽ ra được gửi lúc 08:15 ngày 14/06/2026.)", notice.Body);
    }

    [Theory]
    [InlineData("00:15:00", 15)]
    [InlineData(" 00:30 ", 30)]
    [InlineData("PT45M", 45)]
    [InlineData("pt1h", 60)]
    [InlineData("1.00:00:00", 1440)]
    [InlineData("00:01:00", 1)]
    public void A_window_is_written_as_hours_minutes_seconds_or_iso_8601(string text, int minutes)
    {
        Assert.True(DigestWindow.TryParse(text, out var window));
        Assert.Equal(TimeSpan.FromMinutes(minutes), window);
    }

    [Theory]
    [InlineData("15")]
    [InlineData("mười lăm phút")]
    [InlineData("00:00:30")]
    [InlineData("1.00:00:01")]
    [InlineData("-00:15:00")]
    [InlineData("PT0S")]
    [InlineData("P2D")]
    public void A_window_too_short_too_long_or_unreadable_is_refused_in_vietnamese(string text)
    {
        Assert.False(DigestWindow.TryParse(text, out _));
        var (_, _, window, errors) = ContactPointsApi.Validate(new ContactPointRequest(["caxa@congan.vn"], null, null, text), hasSecret: false);
        Assert.Null(window);
        Assert.Equal(
            $"Khoảng gom thư tổng hợp \"{text.Trim()}\" không hợp lệ. Khoảng gom thư phải từ 1 phút đến 24 giờ, ghi dạng giờ:phút:giây " +
            "(ví dụ 00:15:00) hoặc theo ISO 8601 (ví dụ PT15M).",
            Assert.Single(errors["digestWindow"]));
    }

    [Fact]
    public void A_contact_point_without_a_window_of_its_own_takes_the_default()
    {
        var (_, _, window, errors) = ContactPointsApi.Validate(new ContactPointRequest(["caxa@congan.vn"], null, null, null), hasSecret: false);
        Assert.Empty(errors);
        Assert.Null(window);
        Assert.Equal(TimeSpan.FromMinutes(15), new Api.NotificationOptions().Digest.Window);
    }
}
