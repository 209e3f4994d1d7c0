using System.Globalization;
using System.Text.RegularExpressions;
using Antq.Calendar;

namespace Antq.Plan.Api.PlanText;

/// <summary>The report deadlines per period, the date for implementing plans, and where reports go.</summary>
public static partial class PlanTextReader
{
    // ---------------------------------------------------------------- deadlines

    const string DayMonth = @"(?<d>\d{1,2})\s*(?:[/.-]\s*(?<m>\d{1,2})(?:\s*[/.-]\s*(?<y>\d{4}))?|\s+thang\s+(?<m>\d{1,2})(?:\s*,?\s*nam\s+(?<y>\d{4}))?)(?![\d/])";

    /// <summary>"trước ngày 15/6", "trước 05/11", "chậm nhất ngày 15 tháng 6 năm 2024".</summary>
    [GeneratedRegex(@"\b(?<kw>truoc|cham nhat|han chot|han cuoi)(?:\s+(?:la|vao))*\s*(?:ngay\s*)?" + DayMonth)]
    private static partial Regex DeadlineMarker();

    enum DeadlineKind { SixMonths, Year, ImplementingPlans }

    static readonly (Regex Pattern, DeadlineKind Kind)[] DeadlineWords =
    [
        (new Regex(@"\b(?:0?6|sau)\s+thang\b|\bso ket\b|\bgiua nam\b|\bnua nam\b|\bnua dau nam\b", RegexOptions.CultureInvariant), DeadlineKind.SixMonths),
        (new Regex(@"\btong ket\b|\b(?:0?1|mot)\s+nam\b|\b12\s+thang\b|\bca nam\b|\bbao cao nam\b|\bh[aă]ng nam\b", RegexOptions.CultureInvariant), DeadlineKind.Year),
        (new Regex(@"\bke hoach\b(?!\s+(?:nay|so)\b)", RegexOptions.CultureInvariant), DeadlineKind.ImplementingPlans),
    ];

    sealed record Deadlines(
        IReadOnlyDictionary<string, Found<DateOnly>> Periods,
        Found<DateOnly>? ImplementingPlans,
        IReadOnlyList<(int Start, int End)> PeriodMarkers);

    static Deadlines ReadDeadlines(FoldedText t, List<int> bounds, int? planYear)
    {
        var s = t.Value;
        var periods = new SortedDictionary<string, Found<DateOnly>>(StringComparer.Ordinal);
        Found<DateOnly>? implementing = null;
        var markers = new List<(int, int)>();
        var matches = DeadlineMarker().Matches(s).ToList();
        for (var i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            var clauseStart = Math.Max(PreviousBound(bounds, m.Index), i > 0 ? matches[i - 1].Index + matches[i - 1].Length : 0);
            var clauseEnd = Math.Min(NextBound(bounds, m.Index + m.Length, s.Length), i + 1 < matches.Count ? matches[i + 1].Index : s.Length);
            var kind = NearestKind(s, Math.Max(clauseStart, m.Index - 200), m.Index, fromRight: true)
                ?? NearestKind(s, m.Index + m.Length, Math.Min(clauseEnd, m.Index + m.Length + 200), fromRight: false);
            if (kind is null) continue;

            var year = m.Groups["y"].Success ? m.Groups["y"].Value : null;
            if (!TryDate(m.Groups["d"].Value, m.Groups["m"].Value, year, planYear, out var date)) continue;
            // "chậm nhất ngày 15/6" lets the 15th pass: due before the 16th.
            if (m.Groups["kw"].Value != "truoc") date = date.AddDays(1);
            var found = new Found<DateOnly>(date, t.Span(m.Index, m.Index + m.Length));

            if (kind == DeadlineKind.ImplementingPlans)
            {
                implementing ??= found;
                continue;
            }

            var period = new ReportingPeriod(planYear ?? date.Year, kind == DeadlineKind.SixMonths ? PeriodKind.H1 : PeriodKind.Y).Code;
            if (periods.TryAdd(period, found)) markers.Add((m.Index, m.Index + m.Length));
        }

        return new Deadlines(periods, implementing, markers);
    }

    static DeadlineKind? NearestKind(string s, int from, int to, bool fromRight)
    {
        if (to <= from) return null;
        var window = s[from..to];
        DeadlineKind? best = null;
        var bestAt = fromRight ? -1 : int.MaxValue;
        foreach (var (pattern, kind) in DeadlineWords)
        {
            foreach (Match w in pattern.Matches(window))
            {
                var at = fromRight ? w.Index + w.Length : w.Index;
                if (fromRight ? at > bestAt : at < bestAt) { bestAt = at; best = kind; }
            }
        }

        return best;
    }

    static bool TryDate(string day, string month, string? year, int? defaultYear, out DateOnly date)
    {
        date = default;
        int? y = string.IsNullOrEmpty(year) ? defaultYear : int.Parse(year, CultureInfo.InvariantCulture);
        if (y is null) return false;
        var d = int.Parse(day, CultureInfo.InvariantCulture);
        var m = int.Parse(month, CultureInfo.InvariantCulture);
        if (m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y.Value, m)) return false;
        date = new DateOnly(y.Value, m, d);
        return true;
    }

    // ---------------------------------------------------------------- report recipient

    [GeneratedRegex(@"\b(?:gui ve|gui len|bao cao ve|gui|ve|len)\s+(?<org>(?:co quan\s+)?thuong truc|van phong|cong an|ban chi dao|bcd|uy ban|ubnd|phong|doi|lanh dao|dang uy|ban chi huy|bo cong an|cuc)\b")]
    private static partial Regex Recipient();

    [GeneratedRegex(@"\s+de\s|[.;](?=\s|$)|\s+truoc\b|\s+(?:dinh ky|trong thoi han|theo quy dinh)\b|\n\s*[-+]\s")]
    private static partial Regex RecipientEnd();

    static Found<string>? ReadReportTo(FoldedText t, List<int> bounds, IReadOnlyList<(int Start, int End)> markers)
    {
        if (markers.Count == 0) return null;
        var s = t.Value;
        var from = PreviousBound(bounds, markers.Min(m => m.Start));
        var to = NextBound(bounds, markers.Max(m => m.End), s.Length);
        var candidates = Recipient().Matches(s[..to], from).ToList();
        var pick = candidates.FirstOrDefault(c => c.Index >= markers[0].End) ?? candidates.FirstOrDefault();
        if (pick is null) return null;
        var start = pick.Groups["org"].Index;
        var stop = RecipientEnd().Match(t.Lines[..to], start) is { Success: true } e ? e.Index : to;
        while (stop > start && (char.IsWhiteSpace(s[stop - 1]) || s[stop - 1] is ',' or ':')) stop--;
        return stop > start ? new Found<string>(t.Text(start, stop), t.Span(start, stop)) : null;
    }
}
