using System.Globalization;

namespace Antq.Portal.Components.Charts;

/// <summary>
/// What every chart of the portal shares: the drawing area of its SVG (in viewBox units; the SVG scales to the page) and
/// a value axis with round steps.
/// </summary>
/// <remarks>
/// The charts are SVG written by Razor on the server, not a JavaScript charting library: the page shows them before the
/// circuit connects and without scripts, they print as they are, axe-core checks them like any other markup, and the
/// numbers they draw are the ones the data table beside them prints (one model feeds both).
/// </remarks>
public static class ChartScale
{
    public const double Width = 640;

    /// <summary>A coordinate or length for the SVG markup (invariant, one decimal).</summary>
    public static string F(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// The top of a value axis that starts at zero and holds <paramref name="max"/>, with its ticks: steps of 1, 2 or 5
    /// times a power of ten, at most <paramref name="steps"/> of them (5 steps of 1 for an empty or tiny axis).
    /// </summary>
    public static (decimal Top, IReadOnlyList<decimal> Ticks) Nice(decimal max, int steps = 5)
    {
        if (max <= 0) max = 1;
        var raw = (double)max / steps;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1d, 2d, 5d, 10d }.Select(m => m * power).First(s => s >= raw);
        var stepM = (decimal)step;
        if (stepM < 1 && max >= 1) stepM = 1;
        var top = Math.Ceiling(max / stepM) * stepM;
        var ticks = new List<decimal>();
        for (var t = 0m; t <= top; t += stepM) ticks.Add(t);
        return (top, ticks);
    }

    /// <summary>Shortens a unit's name for an axis label; the full name stays in the data table and the bar's title.</summary>
    public static string Short(string name, int max = 26) => name.Length <= max ? name : name[..(max - 1)].TrimEnd() + "…";
}
