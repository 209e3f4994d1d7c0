using Antq.Notification.Api.Notices;
using static Antq.Notification.Tests.Walk;

namespace Antq.Notification.Tests;

/// <summary>The words officers read: Vietnamese with diacritics, dd/MM/yyyy, Vietnam time, "trước ngày 15/06/2026".</summary>
public sealed class NoticeTextTests
{
    static readonly DateTimeOffset Deadline = Vn(2026, 6, 15);

    static Notice Scheduled(string kind, string slot, DateTimeOffset due) =>
        new() { Id = Guid.NewGuid(), Kind = kind, OrgUnitCode = Commune, Period = Period, Slot = slot, DueAt = due, DeadlineAt = Deadline };

    [Fact]
    public void A_reminder_gives_the_deadline_and_the_days_left()
    {
        var text = NoticeTexts.Render(Scheduled(NoticeKinds.Reminder, "reminder:-P7D", Vn(2026, 6, 8)), CommuneName, CommuneName, Vn(2026, 6, 8), late: false);
        Assert.Equal("Nhắc hạn nộp báo cáo sơ kết 6 tháng đầu năm 2026", text.Title);
        Assert.Equal("Xã Nghĩa Sơn chưa nộp báo cáo sơ kết 6 tháng đầu năm 2026. Hạn nộp: trước ngày 15/06/2026 (còn 7 ngày).", text.Body);
    }

    [Fact]
    public void The_last_morning_says_today_is_the_last_day()
    {
        var text = NoticeTexts.Render(Scheduled(NoticeKinds.Reminder, "last-day-morning", Vn(2026, 6, 14, 8)), CommuneName, CommuneName, Vn(2026, 6, 14, 8), false);
        Assert.Equal("Hôm nay là ngày cuối cùng nộp báo cáo sơ kết 6 tháng đầu năm 2026", text.Title);
        Assert.Contains("Hạn nộp: trước ngày 15/06/2026; hôm nay, 14/06/2026, là ngày cuối cùng.", text.Body);
    }

    [Fact]
    public void An_overdue_notice_says_by_how_long()
    {
        var text = NoticeTexts.Render(Scheduled(NoticeKinds.Overdue, "repeat:1", Vn(2026, 6, 18)), CommuneName, CommuneName, Vn(2026, 6, 18), false);
        Assert.Equal("Quá hạn nộp báo cáo sơ kết 6 tháng đầu năm 2026", text.Title);
        Assert.Equal("Xã Nghĩa Sơn chưa nộp báo cáo sơ kết 6 tháng đầu năm 2026, đã quá hạn 3 ngày (hạn nộp: trước ngày 15/06/2026). " +
                     "Đề nghị khẩn trương hoàn thành và nộp báo cáo.", text.Body);
    }

    [Fact]
    public void An_escalation_names_the_missing_unit_to_the_level_above()
    {
        var text = NoticeTexts.Render(Scheduled(NoticeKinds.Escalation, "escalation", Vn(2026, 6, 18)), CommuneName, "Tỉnh Phú Thọ", Vn(2026, 6, 18), false);
        Assert.Equal("Đơn vị chưa nộp báo cáo sơ kết 6 tháng đầu năm 2026: Xã Nghĩa Sơn", text.Title);
        Assert.EndsWith("Đề nghị Tỉnh Phú Thọ đôn đốc đơn vị nộp báo cáo.", text.Body);
    }

    [Fact]
    public void A_late_notice_says_when_it_should_have_gone()
    {
        var text = NoticeTexts.Render(Scheduled(NoticeKinds.Reminder, "reminder:-P1D", Vn(2026, 6, 14)), CommuneName, CommuneName, Vn(2026, 6, 14, 9, 30), late: true);
        Assert.StartsWith("[Gửi muộn] Nhắc hạn nộp", text.Title);
        Assert.EndsWith("(Thông báo gửi muộn: lẽ ra được gửi lúc 00:00 ngày 14/06/2026.)", text.Body);
        Assert.Contains("(còn 14 giờ)", text.Body);
    }

    [Fact]
    public void Submitted_returned_and_accepted_say_what_happened_and_when()
    {
        var at = Vn(2026, 6, 12, 10, 15);
        var submitted = Notice.Event(NoticeKinds.Submitted, Commune, "2026-Y", Province, Guid.NewGuid(), at, at);
        submitted.OnTime = false;
        submitted.DeadlineAt = Vn(2025, 12, 15);
        Assert.Equal("Xã Nghĩa Sơn đã nộp báo cáo tổng kết năm 2026 lúc 10:15 ngày 12/06/2026, nộp muộn (hạn nộp: trước ngày 15/12/2025).",
            NoticeTexts.Render(submitted, CommuneName, "Tỉnh Phú Thọ", at, false).Body);

        var returned = Notice.Event(NoticeKinds.Returned, Commune, Period, Commune, Guid.NewGuid(), at, at);
        returned.Reason = "Thiếu số liệu mô hình tự quản";
        var text = NoticeTexts.Render(returned, CommuneName, CommuneName, at, false);
        Assert.Equal("Báo cáo sơ kết 6 tháng đầu năm 2026 bị trả lại", text.Title);
        Assert.Equal("Báo cáo sơ kết 6 tháng đầu năm 2026 của Xã Nghĩa Sơn đã bị trả lại lúc 10:15 ngày 12/06/2026. " +
                     "Lý do: Thiếu số liệu mô hình tự quản. Đề nghị chỉnh sửa và nộp lại.", text.Body);

        var accepted = Notice.Event(NoticeKinds.Accepted, Commune, Period, Commune, Guid.NewGuid(), at, at);
        Assert.Equal("Báo cáo sơ kết 6 tháng đầu năm 2026 đã được tiếp nhận", NoticeTexts.Render(accepted, CommuneName, CommuneName, at, false).Title);
    }

    [Fact]
    public void A_closed_period_gives_the_counts_to_that_level()
    {
        var at = Vn(2026, 6, 15);
        var notice = Notice.PeriodClosed(Province, Period, 120, 7, 3, Guid.NewGuid(), at, at);
        Assert.Equal(Province, notice.AudienceUnitCode);
        Assert.EndsWith("120 đơn vị nộp đúng hạn, 7 đơn vị nộp muộn, 3 đơn vị chưa nộp.", NoticeTexts.Render(notice, "Tỉnh Phú Thọ", "Tỉnh Phú Thọ", at, false).Body);
    }

    [Theory]
    [InlineData(2026, 6, 15, 0, 0, "trước ngày 15/06/2026")]
    [InlineData(2026, 6, 15, 14, 35, "trước 14:35 ngày 15/06/2026")]
    public void Deadlines_are_written_in_vietnam_time(int y, int m, int d, int h, int min, string expected)
    {
        Assert.Equal(expected, DueDate.Describe(Vn(y, m, d, h, min)));
        // The same instant given in UTC reads the same.
        Assert.Equal(expected, DueDate.Describe(Vn(y, m, d, h, min).ToUniversalTime()));
    }

    [Theory]
    [InlineData("2026-H1", "báo cáo sơ kết 6 tháng đầu năm 2026")]
    [InlineData("2026-Y", "báo cáo tổng kết năm 2026")]
    public void Periods_are_named_as_the_reports_are(string period, string name) => Assert.Equal(name, NoticeTexts.ReportName(period));
}
