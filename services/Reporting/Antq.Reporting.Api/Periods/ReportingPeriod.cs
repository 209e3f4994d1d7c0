using System.Globalization;

namespace Antq.Reporting.Api.Periods;

/// <summary>A reporting period: <c>2026-H1</c> (sơ kết 6 tháng) or <c>2026-Y</c> (tổng kết năm).</summary>
public readonly record struct ReportingPeriod(int Year, PeriodKind Kind)
{
    public string Code => $"{Year}-{Kind}";

    public string VietnameseName => Kind == PeriodKind.H1 ? $"Sơ kết 6 tháng năm {Year}" : $"Tổng kết năm {Year}";

    public override string ToString() => Code;

    public static bool TryParse(string? text, out ReportingPeriod period)
    {
        period = default;
        if (text is null || text.Length is < 6 or > 7 || text[4] != '-') return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100) return false;
        switch (text[5..])
        {
            case "H1": period = new ReportingPeriod(year, PeriodKind.H1); return true;
            case "Y": period = new ReportingPeriod(year, PeriodKind.Y); return true;
            default: return false;
        }
    }

    public const string FormatMessage = "Kỳ báo cáo phải có dạng YYYY-H1 (sơ kết 6 tháng) hoặc YYYY-Y (tổng kết năm), ví dụ 2026-H1.";

    /// <summary>The data window (thời gian chốt số liệu) under the given settings.</summary>
    public (DateOnly From, DateOnly To) DataWindow(DataWindowOptions options)
    {
        var from = new DateOnly(Year - 1, options.StartMonth, options.StartDay);
        var to = Kind == PeriodKind.H1
            ? new DateOnly(Year, options.HalfYearEndMonth, options.HalfYearEndDay)
            : new DateOnly(Year, options.YearEndMonth, options.YearEndDay);
        return (from, to);
    }

    /// <summary>The hierarchy a period rolls up through: the one valid at the end of its data window.</summary>
    public DateOnly HierarchyDate(DataWindowOptions options) => DataWindow(options).To;
}

/// <summary>
/// The data window (Nghị định 09/2019/NĐ-CP). Configurable: these defaults are the documented ones (six-month from
/// 15/12 of the previous year to 14/06; annual from 15/12 of the previous year to 14/12), not a statement of law.
/// </summary>
public sealed class DataWindowOptions
{
    public int StartMonth { get; set; } = 12;
    public int StartDay { get; set; } = 15;
    public int HalfYearEndMonth { get; set; } = 6;
    public int HalfYearEndDay { get; set; } = 14;
    public int YearEndMonth { get; set; } = 12;
    public int YearEndDay { get; set; } = 14;
}
