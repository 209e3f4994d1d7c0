using static Antq.Portal.Components.Charts.ChartScale;

namespace Antq.Portal.Components.Charts;

/// <summary>How the bars across units are ordered.</summary>
public enum BarOrder { ValueDescending, ValueAscending, Name }

/// <summary>A unit's value of the chosen indicator (null: no report counted yet).</summary>
public sealed record UnitValue(string Code, string Name, decimal? Value, int Reports);

public sealed record UnitBar(UnitValue Unit, int Rank, double Y, double Length);

/// <summary>
/// One indicator across the units below, as horizontal bars (names read along the left), in the order the user picked;
/// ordered by value, units without a figure come last (drawn as "chưa có số liệu"); by name, every unit in its place.
/// </summary>
public sealed class UnitBars
{
    public const double LabelWidth = 190, ValueWidth = 70, RowHeight = 22, BarHeight = 14, Top = 8, AxisHeight = 26;

    public required IReadOnlyList<UnitBar> Bars { get; init; }
    public required decimal XTop { get; init; }
    public required IReadOnlyList<decimal> Ticks { get; init; }

    /// <summary>How many units there are in all (the bars may show only the first of them).</summary>
    public required int Total { get; init; }

    public static double PlotWidth => ChartScale.Width - LabelWidth - ValueWidth;

    public double Height => Top + Bars.Count * RowHeight + AxisHeight;

    public double AxisY => Top + Bars.Count * RowHeight + 4;

    public static double X(decimal value, decimal top) => LabelWidth + PlotWidth * (double)(value / top);

    /// <summary>Sorted units, every one (for the table), in the order of the chart.</summary>
    public static IReadOnlyList<UnitValue> Sort(IEnumerable<UnitValue> units, BarOrder order)
    {
        var vietnamese = StringComparer.Create(new System.Globalization.CultureInfo("vi-VN"), false);
        if (order == BarOrder.Name) return [.. units.OrderBy(u => u.Name, vietnamese)];
        var known = units.Where(u => u.Value is not null);
        var sorted = order == BarOrder.ValueAscending
            ? known.OrderBy(u => u.Value).ThenBy(u => u.Name, vietnamese)
            : known.OrderByDescending(u => u.Value).ThenBy(u => u.Name, vietnamese);
        return [.. sorted, .. units.Where(u => u.Value is null).OrderBy(u => u.Name, vietnamese)];
    }

    /// <summary>The bars of the first <paramref name="show"/> units in <paramref name="order"/> (all when null), on one scale for all units.</summary>
    public static UnitBars Build(IEnumerable<UnitValue> units, BarOrder order, int? show = null)
    {
        var sorted = Sort(units, order);
        var (top, ticks) = Nice(sorted.Select(u => u.Value ?? 0).DefaultIfEmpty(0).Max());
        var shown = show is { } n ? sorted.Take(n) : sorted;
        var bars = shown.Select((u, i) => new UnitBar(u, i + 1, Top + i * RowHeight + (RowHeight - BarHeight) / 2,
            u.Value is { } v && v > 0 ? PlotWidth * (double)(v / top) : 0)).ToList();
        return new UnitBars { Bars = bars, XTop = top, Ticks = ticks, Total = sorted.Count };
    }
}
