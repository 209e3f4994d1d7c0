using System.Globalization;
using System.Xml;

namespace Antq.Notification.Api.Digests;

/// <summary>
/// How long a digest gathers submissions: <c>Notification:Digest:Window</c>, or a contact point's own. Written
/// <c>hh:mm:ss</c> (00:15:00) or as an ISO 8601 duration (PT15M); from one minute to a day.
/// </summary>
public static class DigestWindow
{
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan Shortest = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static bool IsValid(TimeSpan window) => window >= Shortest && window <= Longest;

    /// <summary>The window <paramref name="text"/> writes, if it is one and within bounds.</summary>
    public static bool TryParse(string? text, out TimeSpan window)
    {
        window = default;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0) return false;
        if (trimmed[0] is 'P' or 'p')
        {
            try { window = XmlConvert.ToTimeSpan(trimmed.ToUpperInvariant()); }
            catch (Exception ex) when (ex is FormatException or OverflowException) { return false; }
        }
        else if (!trimmed.Contains(':') || !TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out window))
        {
            // A bare number would read as days: "15" is refused rather than taken for fifteen days.
            return false;
        }

        return IsValid(window);
    }

    /// <summary>00:15:00.</summary>
    public static string Format(TimeSpan window) => window.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>What a contact point's window must be, said to the person who set a wrong one.</summary>
    public const string Error =
        "Khoảng gom thư phải từ 1 phút đến 24 giờ, ghi dạng giờ:phút:giây (ví dụ 00:15:00) hoặc theo ISO 8601 (ví dụ PT15M).";
}
