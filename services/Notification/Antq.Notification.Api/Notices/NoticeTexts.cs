namespace Antq.Notification.Api.Notices;

/// <summary>
/// The words of every notice, in Vietnamese: dates dd/MM/yyyy, Vietnam time, deadlines "trước ngày 15/06/2026".
/// Fixed when the notice is sent, so the inbox, the e-mail and the webhook say the same thing.
/// </summary>
public static class NoticeTexts
{
    /// <summary>
    /// "2026-H1" → "báo cáo sơ kết 6 tháng đầu năm 2026"; "2026-Y" → "báo cáo tổng kết năm 2026" (the calendar's
    /// <see cref="ReportingPeriod.ReportName"/>); a code that is not a period → "báo cáo kỳ …".
    /// </summary>
    public static string ReportName(string period) =>
        ReportingPeriod.TryParseExact(period, out var parsed) ? parsed.ReportName : $"báo cáo kỳ {period}";

    /// <summary>
    /// The text of <paramref name="notice"/> sent at <paramref name="now"/>. <paramref name="unitName"/> names the unit
    /// the notice is about, <paramref name="audienceName"/> the unit that receives it.
    /// </summary>
    public static NoticeText Render(Notice notice, string unitName, string audienceName, DateTimeOffset now, bool late)
    {
        var report = ReportName(notice.Period);
        var deadline = notice.DeadlineAt is { } d ? DueDate.Describe(d) : null;
        var text = notice.Kind switch
        {
            NoticeKinds.Reminder when UnitSchedule.IsResubmit(notice) => new NoticeText(
                $"Nhắc nộp lại {report}",
                $"{Capitalize(report)} của {unitName} đã bị trả lại và chưa được nộp lại. Đề nghị chỉnh sửa và nộp lại." +
                (deadline is null ? "" : $" Hạn nộp: {deadline}.")),
            NoticeKinds.Reminder when notice.Slot == ReminderSchedule.LastDayMorningSlot => new NoticeText(
                $"Hôm nay là ngày cuối cùng nộp {report}",
                $"{unitName} chưa nộp {report}. Hạn nộp: {deadline}; hôm nay, {VietnamTime.Date(notice.DueAt)}, là ngày cuối cùng. " +
                "Đề nghị hoàn thành và nộp báo cáo trong ngày."),
            NoticeKinds.Reminder => new NoticeText(
                $"Nhắc hạn nộp {report}",
                $"{unitName} chưa nộp {report}. Hạn nộp: {deadline}{Remaining(notice.DeadlineAt, now)}."),
            NoticeKinds.Overdue => new NoticeText(
                $"Quá hạn nộp {report}",
                $"{unitName} chưa nộp {report}, đã quá hạn {Overdue(notice.DeadlineAt, now)} (hạn nộp: {deadline}). " +
                "Đề nghị khẩn trương hoàn thành và nộp báo cáo."),
            NoticeKinds.Escalation => new NoticeText(
                $"Đơn vị chưa nộp {report}: {unitName}",
                $"{unitName} chưa nộp {report}, đã quá hạn {Overdue(notice.DeadlineAt, now)} (hạn nộp: {deadline}). " +
                $"Đề nghị {audienceName} đôn đốc đơn vị nộp báo cáo."),
            NoticeKinds.Submitted => new NoticeText(
                $"{unitName} đã nộp {report}",
                $"{unitName} đã nộp {report} lúc {At(notice.EventAt ?? now)}" +
                (notice.OnTime switch { true => ", đúng hạn", false => ", nộp muộn", null => "" }) +
                (deadline is null ? "." : $" (hạn nộp: {deadline}).")),
            NoticeKinds.Returned => new NoticeText(
                $"{Capitalize(report)} bị trả lại",
                $"{Capitalize(report)} của {unitName} đã bị trả lại lúc {At(notice.EventAt ?? now)}. " +
                $"Lý do: {notice.Reason}. Đề nghị chỉnh sửa và nộp lại."),
            NoticeKinds.Accepted => new NoticeText(
                $"{Capitalize(report)} đã được tiếp nhận",
                $"{Capitalize(report)} của {unitName} đã được tiếp nhận lúc {At(notice.EventAt ?? now)}."),
            NoticeKinds.PeriodClosed => new NoticeText(
                $"Đã khóa kỳ {report} tại {unitName}",
                $"Kỳ {report} đã khóa tại {unitName} lúc {At(notice.EventAt ?? now)}: " +
                $"{Count(notice.Counts, 0)} đơn vị nộp đúng hạn, {Count(notice.Counts, 1)} đơn vị nộp muộn, {Count(notice.Counts, 2)} đơn vị chưa nộp."),
            _ => throw new ArgumentOutOfRangeException(nameof(notice), notice.Kind, "Unknown notice kind."),
        };

        return late
            ? new NoticeText($"[Gửi muộn] {text.Title}", $"{text.Body} (Thông báo gửi muộn: lẽ ra được gửi lúc {At(notice.DueAt)}.)")
            : text;
    }

    static string At(DateTimeOffset instant) => VietnamTime.DateAndTime(instant);

    static string Remaining(DateTimeOffset? deadline, DateTimeOffset now) =>
        deadline is { } d && d > now ? $" (còn {VietnamTime.Span(d - now)})" : " (đã hết hạn)";

    static string Overdue(DateTimeOffset? deadline, DateTimeOffset now) =>
        deadline is { } d && now > d ? VietnamTime.Span(now - d) : "0 phút";

    static int Count(int[]? counts, int index) => counts is { } c && c.Length > index ? c[index] : 0;

    static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
