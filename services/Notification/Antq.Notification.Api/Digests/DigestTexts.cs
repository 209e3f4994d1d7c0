using System.Text;

namespace Antq.Notification.Api.Digests;

/// <summary>The words of a digest e-mail, in Vietnamese: one line per unit, times in Vietnam time as dd/MM/yyyy HH:mm.</summary>
public static class DigestTexts
{
    /// <summary>The longest body a notice keeps (the column's length).</summary>
    public const int MaxBody = 8000;

    // Room for the closing lines: the count of units not listed, the pointer to the inbox, the late-mail note.
    const int Reserve = 300;

    /// <param name="items">The submissions, in the order they are listed.</param>
    public static NoticeText Render(IReadOnlyList<DigestItem> items, string audienceName, DateTimeOffset openedAt, DateTimeOffset closesAt, bool late)
    {
        var title = $"Tổng hợp báo cáo đã nộp: {items.Count} đơn vị";
        var body = new StringBuilder()
            .Append("Kính gửi ").Append(audienceName).Append(",\n\n")
            .Append("Từ ").Append(VietnamTime.DateAndTime(openedAt)).Append(" đến ").Append(VietnamTime.DateAndTime(closesAt))
            .Append(", ").Append(items.Count).Append(" đơn vị đã nộp báo cáo lên ").Append(audienceName).Append(':');
        var listed = 0;
        foreach (var period in items.GroupBy(i => i.Period))
        {
            var heading = "\n\n" + Capitalize(NoticeTexts.ReportName(period.Key)) + ":";
            var number = 0;
            foreach (var item in period)
            {
                var line = "\n" + (number + 1) + ". " + Line(item);
                // The body is kept (notices.body) within MaxBody: a deadline day's window at a province can hold a
                // hundred units and more; those beyond are counted, each is in the inbox.
                if (body.Length + (number == 0 ? heading.Length : 0) + line.Length > MaxBody - Reserve) break;
                if (number == 0) body.Append(heading);
                body.Append(line);
                number++;
                listed++;
            }
        }

        if (listed < items.Count) body.Append("\n\n… và ").Append(items.Count - listed).Append(" đơn vị khác.");

        body.Append("\n\nTừng báo cáo có trong hộp thông báo của Hệ thống.");
        if (late) body.Append($"\n(Thư gửi muộn: lẽ ra được gửi lúc {VietnamTime.DateAndTime(closesAt)}.)");
        return new NoticeText(late ? $"[Gửi muộn] {title}" : title, body.ToString());
    }

    /// <summary>"Xã Nghĩa Sơn (mã 26734), nộp lúc 15/06/2026 08:05, đúng hạn".</summary>
    public static string Line(DigestItem item) =>
        $"{item.UnitName} (mã {item.OrgUnitCode}), nộp lúc {Moment(item.SubmittedAt)}, " +
        item.OnTime switch { true => "đúng hạn", false => "nộp muộn", null => "không có hạn nộp" };

    /// <summary>15/06/2026 08:05, Vietnam time.</summary>
    public static string Moment(DateTimeOffset instant) => VietnamTime.Timestamp(instant);

    static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
