using System.Globalization;
using System.Text.Json;
using Antq.Calendar;

namespace Antq.Portal.Formatting;

/// <summary>
/// How the portal writes things for its users: Vietnamese words, numbers with Vietnamese separators (1.234,5). The
/// formats are spelled out here rather than taken from the vi-VN culture, so they do not depend on the machine's ICU
/// data. Dates, deadlines and periods are the platform's calendar (<see cref="VietnamTime"/>, <see cref="DueDate"/>,
/// <see cref="ReportingPeriod"/>).
/// </summary>
public static class Vn
{
    public static readonly NumberFormatInfo Numbers = new()
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = ".",
        NumberGroupSizes = [3],
        NegativeSign = "-",
    };

    /// <summary>08:30 15/06/2026, Vietnam time.</summary>
    public static string DateTime(DateTimeOffset at) => VietnamTime.Format(at, "HH:mm dd/MM/yyyy");

    public static string DateTime(DateTimeOffset? at) => at is { } value ? DateTime(value) : "";

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
