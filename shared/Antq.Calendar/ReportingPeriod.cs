using System.Globalization;

namespace Antq.Calendar;

/// <summary>The two kinds of period; the names are the suffixes of the period codes.</summary>
public enum PeriodKind
{
    /// <summary>Six-month (sơ kết 6 tháng): <c>2026-H1</c>.</summary>
    H1,

    /// <summary>Annual (tổng kết năm): <c>2026-Y</c>.</summary>
    Y,
}

/// <summary>
/// A reporting period (kỳ báo cáo): <c>2026-H1</c>, the six-month report (báo cáo sơ kết 6 tháng đầu năm 2026), or
/// <c>2026-Y</c>, the annual report (báo cáo tổng kết năm 2026). Its data window and hierarchy date come from the
/// <see cref="DataWindowOptions"/>.
/// </summary>
public readonly record struct ReportingPeriod(int Year, PeriodKind Kind)
{
    public const int MinYear = 2000;
    public const int MaxYear = 2100;

    /// <summary>What the services answer to a period code they cannot read.</summary>
    public const string FormatMessage = "Kỳ báo cáo phải có dạng YYYY-H1 (sơ kết 6 tháng) hoặc YYYY-Y (tổng kết năm), ví dụ 2026-H1.";

    public static ReportingPeriod SixMonth(int year) => new(year, PeriodKind.H1);

    public static ReportingPeriod Annual(int year) => new(year, PeriodKind.Y);

    /// <summary>Both periods of a year, six-month first.</summary>
    public static IReadOnlyList<ReportingPeriod> OfYear(int year) => [SixMonth(year), Annual(year)];

    /// <summary>2026-H1, 2026-Y.</summary>
    public string Code => Kind == PeriodKind.H1 ? $"{Year}-H1" : $"{Year}-Y";

    public bool IsSixMonth => Kind == PeriodKind.H1;

    /// <summary>The time the period covers: "6 tháng đầu năm 2026", "năm 2026".</summary>
    public string Name => Kind == PeriodKind.H1 ? $"6 tháng đầu năm {Year}" : $"năm {Year}";

    /// <summary>As a heading: "Sơ kết 6 tháng đầu năm 2026", "Tổng kết năm 2026".</summary>
    public string Title => Kind == PeriodKind.H1 ? $"Sơ kết {Name}" : $"Tổng kết {Name}";

    /// <summary>Inside a sentence: "báo cáo sơ kết 6 tháng đầu năm 2026", "báo cáo tổng kết năm 2026".</summary>
    public string ReportName => Kind == PeriodKind.H1 ? $"báo cáo sơ kết {Name}" : $"báo cáo tổng kết {Name}";

    /// <summary>The kind of report, without a year: "sơ kết 6 tháng", "tổng kết năm".</summary>
    public static string KindName(PeriodKind kind) => kind == PeriodKind.H1 ? "sơ kết 6 tháng" : "tổng kết năm";

    /// <summary>The window of facts the period's reports count (<see cref="DataWindowOptions.Of"/>).</summary>
    public DataWindow DataWindow(DataWindowOptions window) => window.Of(this);

    /// <summary>
    /// The day whose unit tree the period's reports roll up through and its deadlines follow: the last day of its data
    /// window.
    /// </summary>
    public DateOnly HierarchyDate(DataWindowOptions window) => window.Of(this).To;

    /// <summary>
    /// The periods of <paramref name="years"/> whose hierarchy a change of units effective on <paramref name="day"/>
    /// can reach: those whose data window ends on or after that day. A unit opened (or closed) on the day is in (or out
    /// of) the tree of every such period and of no earlier one: a unit added on 6 December 2026 belongs to the 2026
    /// annual period (window ending 14 December) but not to 2026-H1 (ended 14 June); one added on 15 December 2026 to
    /// no period of 2026, and to both of 2027.
    /// </summary>
    public static IReadOnlyList<ReportingPeriod> ReachedFrom(DateOnly day, IEnumerable<int> years, DataWindowOptions window) =>
        [.. years.Distinct().Order().SelectMany(OfYear).Where(p => p.HierarchyDate(window) >= day)];

    /// <summary>
    /// A period as a person typed it: "2026-H1" or "2026-Y", the letters in either case, spaces around ignored; year
    /// 2000 to 2100.
    /// </summary>
    public static bool TryParse(string? text, out ReportingPeriod period) => TryRead(text.AsSpan().Trim(), StringComparison.OrdinalIgnoreCase, out period);

    /// <summary>
    /// A period code exactly as the platform writes it (<see cref="Code"/>): "2026-H1", "2026-Y", nothing else. For
    /// identifiers in routes and messages, where "2026-y" is not the same resource.
    /// </summary>
    public static bool TryParseExact(string? text, out ReportingPeriod period) => TryRead(text.AsSpan(), StringComparison.Ordinal, out period);

    static bool TryRead(ReadOnlySpan<char> s, StringComparison letters, out ReportingPeriod period)
    {
        period = default;
        if (s.Length < 6 || s[4] != '-') return false;
        if (!int.TryParse(s[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < MinYear or > MaxYear) return false;
        var suffix = s[5..];
        if (suffix.Equals("H1", letters)) period = SixMonth(year);
        else if (suffix.Equals("Y", letters)) period = Annual(year);
        else return false;
        return true;
    }

    /// <exception cref="FormatException">With <see cref="FormatMessage"/>.</exception>
    public static ReportingPeriod Parse(string? text) => TryParse(text, out var period) ? period : throw new FormatException(FormatMessage);

    /// <summary>Names the text that is not a period: "Kỳ báo cáo "2026-H2" không hợp lệ; dùng YYYY-H1 (6 tháng) …".</summary>
    public static string InvalidMessage(string? text, int exampleYear = 2026) =>
        $"Kỳ báo cáo \"{text}\" không hợp lệ; dùng YYYY-H1 (6 tháng) hoặc YYYY-Y (năm), ví dụ {exampleYear}-H1.";

    /// <summary>The <see cref="Title"/> of a period code; a code that is not one is shown as it is.</summary>
    public static string TitleOf(string code) => TryParse(code, out var period) ? period.Title : code;

    public override string ToString() => Code;
}
