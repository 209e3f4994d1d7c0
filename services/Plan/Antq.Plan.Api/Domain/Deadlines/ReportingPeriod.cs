using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Antq.Plan.Api.Domain.Deadlines;

/// <summary>A reporting period: <c>2026-H1</c> (six-month, sơ kết 6 tháng) or <c>2026-Y</c> (annual, tổng kết năm).</summary>
public sealed partial record ReportingPeriod(int Year, bool SixMonth)
{
    public string Code => SixMonth ? $"{Year}-H1" : $"{Year}-Y";

    /// <summary>Both periods of a year, six-month first.</summary>
    public static IReadOnlyList<ReportingPeriod> OfYear(int year) => [new(year, true), new(year, false)];

    /// <summary>
    /// The last day of the period's data window (thời gian chốt số liệu): the hierarchy valid on that day is the one
    /// reports roll up through, so it is also the one deadlines follow.
    /// </summary>
    public DateOnly DataWindowEnd(DeadlineOptions options)
    {
        var (month, day) = SixMonth ? options.SixMonthWindowEnd : options.AnnualWindowEnd;
        return new DateOnly(Year, month, Math.Min(day, DateTime.DaysInMonth(Year, month)));
    }

    /// <summary>
    /// The periods of <paramref name="years"/> whose hierarchy a change of units effective on <paramref name="day"/>
    /// can reach: those whose data window ends on or after that day. A unit opened (or closed) on the day is in (or out
    /// of) the tree of every such period and of no earlier one: a unit added on 6 December 2026 belongs to the 2026
    /// annual period (window ending 14 December) but not to 2026-H1 (ended 14 June); one added on 15 December 2026 to
    /// no period of 2026, and to both of 2027.
    /// </summary>
    public static IReadOnlyList<ReportingPeriod> ReachedFrom(DateOnly day, IEnumerable<int> years, DeadlineOptions options) =>
        [.. years.Distinct().Order().SelectMany(OfYear).Where(p => p.DataWindowEnd(options) >= day)];

    public static bool TryParse(string? text, [NotNullWhen(true)] out ReportingPeriod? period)
    {
        period = null;
        var match = text is null ? Match.Empty : Pattern().Match(text.Trim());
        if (!match.Success) return false;
        var year = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (year < 2000 || year > 2100) return false;
        period = new ReportingPeriod(year, match.Groups[2].Value.Equals("H1", StringComparison.OrdinalIgnoreCase));
        return true;
    }

    public override string ToString() => Code;

    [GeneratedRegex(@"^(\d{4})-(H1|Y)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
