using System.Text;
using Antq.Notification.Api.Domain;

namespace Antq.Notification.Api.Digests;

/// <summary>The words of a digest e-mail, in Vietnamese: one line per unit, times in Vietnam time as dd/MM/yyyy HH:mm.</summary>
public static class DigestTexts
{
    /// <param name="items">The submissions, in the order they are listed.</param>
    public static NoticeText Render(IReadOnlyList<DigestItem> items, string audienceName, DateTimeOffset openedAt, DateTimeOffset closesAt, bool late)
    {
        var title = $"Tổng hợp báo cáo đã nộp: {items.Count} đơn vị";
        var body = new StringBuilder()
            .Append("Kính gửi ").Append(audienceName).Append(",\n\n")
            .Append("Từ ").Append(VietnamTime.DateAndTime(openedAt)).Append(" đến ").Append(VietnamTime.DateAndTime(closesAt))
            .Append(", ").Append(items.Count).Append(" đơn vị đã nộp báo cáo lên ").Append(audienceName).Append(':');
        foreach (var period in items.GroupBy(i => i.Period))
        {
            body.Append("\n\n").Append(Capitalize(NoticeTexts.ReportName(period.Key))).Append(':');
            var number = 0;
            foreach (var item in period) body.Append('\n').Append(++number).Append(". ").Append(Line(item));
        }

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
