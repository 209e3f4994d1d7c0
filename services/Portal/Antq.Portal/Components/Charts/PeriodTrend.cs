using Antq.Calendar;
using static Antq.Portal.Components.Charts.ChartScale;

namespace Antq.Portal.Components.Charts;

/// <summary>
/// A figure of the same period last year (cùng kỳ năm trước) as the roll-up API gives it mapped onto today's unit: whether it
/// went through the 2025 lineage (the unit's predecessors, not the unit itself) and whether it is only an approximation
/// (a predecessor that went into the unit only in part).
/// </summary>
public sealed record LastYearFigure(decimal? Value, bool Mapped, bool Approximate, string? Note)
{
    /// <summary>
    /// The indicator's figure in a mapped roll-up: mapped when the figures came from predecessors other than the unit
    /// itself (communes merged in 2025); approximate when the service says a predecessor went in only in part.
    /// </summary>
    public static LastYearFigure From(Antq.Portal.Api.MappedRollup mapped, string indicator) => new(
        mapped.Values.TryGetValue(indicator, out var value) ? value.Value : null,
        mapped.Predecessors?.Any(p => p.Code != mapped.OrgUnit.Code) == true,
        mapped.Approximate,
        mapped.Approximate ? mapped.Note ?? "Có đơn vị tiền thân chỉ sáp nhập một phần." : null);
}

/// <summary>One period of the trend: the unit's figure and that of the same period a year earlier.</summary>
public sealed record TrendPoint(string Period, decimal? Value, LastYearFigure? LastYear)
{
    public string Label => ReportingPeriod.TryParse(Period, out var p) ? (p.IsSixMonth ? $"6 tháng {p.Year}" : $"Năm {p.Year}") : Period;

    /// <summary>The period a year before (2026-H1 → 2025-H1).</summary>
    public static string YearBefore(string period) =>
        ReportingPeriod.TryParse(period, out var p) ? new ReportingPeriod(p.Year - 1, p.Kind).Code : period;

    /// <summary>The change on last year in per cent, null when either side is missing or last year was zero.</summary>
    public decimal? ChangePercent => Value is { } now && LastYear?.Value is { } before && before != 0 ? Math.Round((now - before) / before * 100m, 1) : null;
}

/// <summary>
/// The unit's trend over its periods: for each, a bar of its figure and, beside it, a paler bar of the same period last
/// year; a last-year figure that is an approximation is hatched and labelled "ước tính".
/// </summary>
public sealed class PeriodTrend
{
    public const double Height = 250, Left = 48, Right = 12, Top = 24, Bottom = 40, Gap = 4;

    public required IReadOnlyList<TrendPoint> Points { get; init; }
    public required decimal YTop { get; init; }
    public required IReadOnlyList<decimal> Ticks { get; init; }

    public bool AnyApproximate => Points.Any(p => p.LastYear?.Approximate == true);
    public bool AnyMapped => Points.Any(p => p.LastYear?.Mapped == true);

    double GroupWidth => (ChartScale.Width - Left - Right) / Math.Max(1, Points.Count);
    public double BarWidth => Math.Min(48, (GroupWidth - 3 * Gap) / 2);

    /// <summary>The left edge of the period's bar (<paramref name="lastYear"/>: of last year's bar, drawn first).</summary>
    public double BarX(int index, bool lastYear)
    {
        var centre = Left + (index + 0.5) * GroupWidth;
        return lastYear ? centre - Gap / 2 - BarWidth : centre + Gap / 2;
    }

    public double GroupCentre(int index) => Left + (index + 0.5) * GroupWidth;

    public double Y(decimal value) => Top + (Height - Top - Bottom) * (1 - (double)(value / YTop));

    public double BarHeight(decimal? value) => value is { } v && v > 0 ? Y(0) - Y(v) : 0;

    /// <summary>Periods in calendar order (2025-H1, 2025-Y, 2026-H1 …), one scale for both series.</summary>
    public static PeriodTrend Build(IEnumerable<TrendPoint> points)
    {
        var ordered = points.OrderBy(p => ReportingPeriod.TryParse(p.Period, out var r) ? r.Year * 10 + (r.IsSixMonth ? 0 : 1) : 0).ToList();
        var max = ordered.SelectMany(p => new[] { p.Value ?? 0, p.LastYear?.Value ?? 0 }).DefaultIfEmpty(0).Max();
        var (top, ticks) = Nice(max);
        return new PeriodTrend { Points = ordered, YTop = top, Ticks = ticks };
    }

    /// <summary>The periods of the trend ending at <paramref name="period"/>: it and the <paramref name="count"/> − 1 before it.</summary>
    public static IReadOnlyList<string> PeriodsUpTo(string period, int count = 4)
    {
        if (!ReportingPeriod.TryParse(period, out var p)) return [period];
        var list = new List<string>();
        var current = p;
        for (var i = 0; i < count; i++)
        {
            list.Insert(0, current.Code);
            current = current.IsSixMonth ? ReportingPeriod.Annual(current.Year - 1) : ReportingPeriod.SixMonth(current.Year);
        }

        return list;
    }
}
