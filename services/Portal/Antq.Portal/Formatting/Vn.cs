using System.Globalization;
using System.Text.Json;

namespace Antq.Portal.Formatting;

/// <summary>
/// How the portal writes things for its users: Vietnamese words, dates as dd/MM/yyyy in Vietnam time, numbers with
/// Vietnamese separators (1.234,5). The formats are spelled out here rather than taken from the vi-VN culture, so
/// they do not depend on the machine's ICU data.
/// </summary>
public static class Vn
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static readonly NumberFormatInfo Numbers = new()
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = ".",
        NumberGroupSizes = [3],
        NegativeSign = "-",
    };

    public static DateTimeOffset Now(TimeProvider clock) => clock.GetUtcNow().ToOffset(Offset);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Now(clock).DateTime);

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset at) => at.ToOffset(Offset).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset at) => at.ToOffset(Offset).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset? at) => at is { } value ? DateTime(value) : "";

    /// <summary>A deadline is an instant (00:00 of the day, Vietnam time): "Hạn nộp: trước ngày 15/06/2026".</summary>
    public static string Deadline(DateTimeOffset dueAt) => $"Hạn nộp: {DeadlineText(dueAt)}";

    /// <summary>"trước ngày 15/06/2026"; an instant inside a day reads "trước 08:30 ngày 15/06/2026" (as the Plan service writes it).</summary>
    public static string DeadlineText(DateTimeOffset dueAt)
    {
        var local = dueAt.ToOffset(Offset);
        return local.TimeOfDay == TimeSpan.Zero
            ? $"trước ngày {local.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}"
            : $"trước {local.ToString("HH:mm", CultureInfo.InvariantCulture)} ngày {local.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Whole days left until the deadline (negative when overdue), counted in Vietnam calendar days.</summary>
    public static int DaysLeft(DateTimeOffset dueAt, TimeProvider clock)
    {
        var now = Now(clock);
        if (dueAt <= now) return -(int)Math.Ceiling((now - dueAt).TotalDays);
        return (int)Math.Ceiling((dueAt - now).TotalDays);
    }

    public static string DaysLeftText(DateTimeOffset dueAt, TimeProvider clock)
    {
        var days = DaysLeft(dueAt, clock);
        return days switch
        {
            < 0 => $"Quá hạn {-days} ngày",
            0 => "Hết hạn hôm nay",
            1 => "Còn 1 ngày",
            _ => $"Còn {days} ngày",
        };
    }

    public static string Number(decimal? value, int maxDecimals = 2)
    {
        if (value is not { } v) return "–";
        var rounded = Math.Round(v, maxDecimals);
        var format = rounded == decimal.Truncate(rounded) ? "#,##0" : "#,##0." + new string('#', maxDecimals);
        return rounded.ToString(format, Numbers);
    }

    public static string Number(int value) => value.ToString("#,##0", Numbers);

    /// <summary>A value of a report: a number, or có/không for a yes/no indicator.</summary>
    public static string Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => "Có",
        JsonValueKind.False => "Không",
        JsonValueKind.Number when element.TryGetDecimal(out var d) => Number(d, 4),
        JsonValueKind.Null or JsonValueKind.Undefined => "–",
        _ => element.ToString(),
    };

    /// <summary>
    /// Reads a number typed the Vietnamese way ("1.234,5") or the computer way ("1234.5"). A comma is the decimal
    /// separator and dots group thousands; without a comma, dots in groups of three are thousands too.
    /// </summary>
    public static bool TryParseNumber(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().Replace(" ", "").Replace("\u00a0", "");
        if (s.Contains(','))
        {
            s = s.Replace(".", "").Replace(',', '.');
        }
        else if (s.Count(c => c == '.') > 1 || System.Text.RegularExpressions.Regex.IsMatch(s, @"^-?\d{1,3}(\.\d{3})+$"))
        {
            s = s.Replace(".", "");
        }

        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    public static string Role(string? role) => role switch
    {
        "Admin" => "Quản trị",
        "ProvinceOfficer" => "Cán bộ tỉnh",
        "DistrictOfficer" => "Cán bộ huyện",
        "CommuneOfficer" => "Công an xã",
        "Viewer" => "Chỉ xem",
        null or "" => "",
        _ => role,
    };

    public static readonly IReadOnlyList<string> Roles = ["Admin", "ProvinceOfficer", "DistrictOfficer", "CommuneOfficer", "Viewer"];

    public static string ReportStatus(string? status) => status switch
    {
        "draft" => "Đang soạn",
        "submitted" => "Đã nộp",
        "returned" => "Bị trả lại",
        "accepted" => "Đã tiếp nhận",
        "missing" => "Chưa nộp",
        null or "" => "Chưa có báo cáo",
        _ => status,
    };

    /// <summary>"2026-H1" → "Sơ kết 6 tháng đầu năm 2026"; "2026-Y" → "Tổng kết năm 2026".</summary>
    public static string Period(string period)
    {
        var parts = period.Split('-');
        if (parts.Length != 2) return period;
        return parts[1] switch
        {
            "H1" => $"Sơ kết 6 tháng đầu năm {parts[0]}",
            "Y" => $"Tổng kết năm {parts[0]}",
            _ => period,
        };
    }

    /// <summary>The periods a unit works on now: this year's six-month and annual reports (next year's after 14/12).</summary>
    public static IReadOnlyList<string> CurrentPeriods(TimeProvider clock)
    {
        var today = Today(clock);
        var year = today.Month == 12 && today.Day >= 15 ? today.Year + 1 : today.Year;
        return [$"{year}-H1", $"{year}-Y"];
    }

    /// <summary>The period to show first: the six-month report until the end of July, then the annual one.</summary>
    public static string DefaultPeriod(TimeProvider clock)
    {
        var today = Today(clock);
        var periods = CurrentPeriods(clock);
        return today.Month <= 7 && today.Year.ToString(CultureInfo.InvariantCulture) == periods[0][..4] ? periods[0] : periods[1];
    }

    public static IReadOnlyList<string> SelectablePeriods(TimeProvider clock)
    {
        var year = int.Parse(CurrentPeriods(clock)[0][..4], CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, 3).SelectMany(i => new[] { $"{year - i}-Y", $"{year - i}-H1" })];
    }

    /// <summary>Names of the catalogue's sections (the catalogue names them only by letter).</summary>
    public static string Section(string? code) => code switch
    {
        "A" => "A. Triển khai, quán triệt thực hiện phong trào",
        "B" => "B. Tuyên truyền, phát động phong trào",
        "C" => "C. Quần chúng cung cấp nguồn tin",
        "D" => "D. Xây dựng khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục \"An toàn về an ninh, trật tự\"",
        "E" => "E. Phân loại phong trào",
        "F" => "F. Mô hình tự quản, điển hình tiên tiến",
        "G" => "G. Ngày hội, diễn đàn",
        "H" => "H. Hòa giải, cảm hóa, giáo dục tại cộng đồng",
        "I" => "I. Vận động giao nộp vũ khí, vật liệu nổ",
        "J" => "J. Tình hình tội phạm, tệ nạn xã hội",
        "K" => "K. Khen thưởng, kinh phí",
        null or "" => "Chỉ tiêu khác",
        _ => $"Mục {code}",
    };

    public static string Comparator(string comparator) => comparator switch
    {
        ">=" or "gte" => "≥",
        "<=" or "lte" => "≤",
        ">" or "gt" => ">",
        "<" or "lt" => "<",
        "==" or "=" or "eq" => "=",
        _ => comparator,
    };

    public static string NoticeKind(string kind) => kind switch
    {
        "reminder" => "Nhắc hạn",
        "overdue" => "Quá hạn",
        "escalation" => "Báo cấp trên",
        "submitted" => "Đã nộp",
        "returned" => "Trả lại",
        "accepted" => "Tiếp nhận",
        "periodClosed" => "Khóa kỳ",
        _ => kind,
    };
}
