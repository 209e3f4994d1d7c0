using Antq.Calendar;
using static Antq.Portal.Components.Charts.ChartScale;

namespace Antq.Portal.Components.Charts;

/// <summary>A counted report: when it was submitted and whether after its deadline.</summary>
public sealed record Submission(DateTimeOffset At, bool Late);

/// <summary>One step of the axis (a day, or an hour when everything happened within two days), Vietnam time.</summary>
public sealed record ProgressStep(DateTimeOffset Start, string Label, int Submitted, int Late, int Cumulative, int LateCumulative);

/// <summary>
/// Submissions over time against the deadline: how many of the <see cref="Expected"/> units had submitted by the end of
/// each step, drawn as a rising line, with the deadline as a vertical line and the number expected as a horizontal one.
/// </summary>
public sealed class SubmissionProgress
{
    public const double Height = 250, Left = 44, Right = 14, Top = 16, Bottom = 40;

    /// <summary>At most this many steps: an older first submission counts in the first step.</summary>
    public const int MaxSteps = 120;

    public required IReadOnlyList<ProgressStep> Steps { get; init; }
    public required bool Hourly { get; init; }
    public required int Expected { get; init; }
    public required DateTimeOffset? Deadline { get; init; }
    public required decimal YTop { get; init; }
    public required IReadOnlyList<decimal> Ticks { get; init; }

    /// <summary>Where the deadline line is drawn (null when the deadline is unknown or off the axis).</summary>
    public double? DeadlineX { get; init; }

    /// <summary>The cumulative line (points of an SVG polyline), up to now: the future is not drawn.</summary>
    public required string Line { get; init; }

    public required string LateLine { get; init; }

    public int Submitted => Steps.Count == 0 ? 0 : Steps[^1].Cumulative;
    public int Late => Steps.Count == 0 ? 0 : Steps[^1].LateCumulative;

    double StepWidth => (ChartScale.Width - Left - Right) / Math.Max(1, Steps.Count);

    /// <summary>The x of the end of step <paramref name="index"/>.</summary>
    public double X(int index) => Left + (index + 1) * StepWidth;

    public double Y(decimal value) => Top + (Height - Top - Bottom) * (1 - (double)(value / YTop));

    /// <summary>About eight labels along the axis, the first and the last always.</summary>
    public IEnumerable<(double X, string Label)> AxisLabels()
    {
        var every = Math.Max(1, (int)Math.Ceiling(Steps.Count / 8d));
        for (var i = 0; i < Steps.Count; i++)
        {
            if (i % every == 0 || i == Steps.Count - 1) yield return (Left + (i + 0.5) * StepWidth, Steps[i].Label);
        }
    }

    /// <summary>
    /// The axis runs from the first submission to the later of the last submission and the deadline (so an open period
    /// shows how much time is left), by day, or by hour when that span is at most two days. The line stops at
    /// <paramref name="now"/>. Null when nothing has been submitted.
    /// </summary>
    public static SubmissionProgress? Build(IEnumerable<Submission> submissions, int expected, DateTimeOffset? deadline, DateTimeOffset now)
    {
        var all = submissions.OrderBy(s => s.At).ToList();
        if (all.Count == 0) return null;
        var first = all[0].At.ToVietnam();
        var last = all[^1].At.ToVietnam();
        var end = deadline is { } d && d > last ? d.ToVietnam() : last;
        var hourly = end - first <= TimeSpan.FromDays(2);
        var step = hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var start = hourly
            ? new DateTimeOffset(first.Year, first.Month, first.Day, first.Hour, 0, 0, VietnamTime.Offset)
            : VietnamTime.StartOfDay(DateOnly.FromDateTime(first.DateTime));
        var count = (int)Math.Ceiling((end - start) / step);
        if (end == start + count * step) count++; // an end exactly on a boundary belongs to the next step
        count = Math.Max(1, count);
        if (count > MaxSteps)
        {
            start += (count - MaxSteps) * step;
            count = MaxSteps;
        }

        var steps = new List<ProgressStep>(count);
        int cumulative = 0, lateCumulative = 0, drawn = 0;
        for (var i = 0; i < count; i++)
        {
            var from = start + i * step;
            var to = from + step;
            var inStep = all.Where(s => (i == 0 || s.At >= from) && s.At < to).ToList();
            cumulative += inStep.Count;
            lateCumulative += inStep.Count(s => s.Late);
            var label = hourly ? VietnamTime.Format(from, "HH'h' dd/MM") : VietnamTime.Format(from, "dd/MM");
            steps.Add(new ProgressStep(from, label, inStep.Count, inStep.Count(s => s.Late), cumulative, lateCumulative));
            if (from <= now) drawn = i + 1;
        }

        var (top, ticks) = Nice(Math.Max(expected, cumulative));
        var chart = new SubmissionProgress
        {
            Steps = steps, Hourly = hourly, Expected = expected, Deadline = deadline, YTop = top, Ticks = ticks, Line = "", LateLine = "",
        };
        double? deadlineX = deadline is { } due && due >= start && due <= start + count * step
            ? Left + (due - start) / (count * step) * (ChartScale.Width - Left - Right)
            : null;
        return new SubmissionProgress
        {
            Steps = steps, Hourly = hourly, Expected = expected, Deadline = deadline, YTop = top, Ticks = ticks, DeadlineX = deadlineX,
            Line = Polyline(chart, steps.Take(Math.Max(1, drawn)).Select(s => s.Cumulative)),
            LateLine = Polyline(chart, steps.Take(Math.Max(1, drawn)).Select(s => s.LateCumulative)),
        };
    }

    /// <summary>A step line from zero at the axis' start: flat within a step, rising at its end.</summary>
    static string Polyline(SubmissionProgress chart, IEnumerable<int> values)
    {
        var points = new List<string> { $"{F(Left)},{F(chart.Y(0))}" };
        var previous = 0;
        var i = 0;
        foreach (var value in values)
        {
            var x = chart.X(i) - (chart.X(0) - Left);
            points.Add($"{F(x)},{F(chart.Y(previous))}");
            points.Add($"{F(x)},{F(chart.Y(value))}");
            previous = value;
            i++;
        }

        points.Add($"{F(chart.X(i - 1))},{F(chart.Y(previous))}");
        return string.Join(' ', points);
    }
}
