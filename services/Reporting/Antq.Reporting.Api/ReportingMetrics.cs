using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Antq.Reporting.Api;

/// <summary>
/// Reporting's own work (meter <c>Antq.Reporting</c>, served at <c>/metrics</c>; see docs/observability.md):
/// <c>antq.reporting.submissions</c>, <c>antq.reporting.returns</c>, <c>antq.reporting.acceptances</c> (steps that
/// committed), <c>antq.reporting.rollup.write.duration</c> (a step's write of the roll-up cells of every ancestor),
/// <c>antq.reporting.closings</c> and <c>antq.reporting.closing.duration</c> (periods closed at a unit), and
/// <c>antq.reporting.closings.pending</c> / <c>antq.reporting.closings.pending_age</c>: units whose deadline has
/// passed that the closing job's last pass left unclosed, and how long past its deadline the oldest is. The last two
/// come from what the job found on its own poll: a scrape asks the database nothing.
/// </summary>
public static class ReportingMetrics
{
    public const string MeterName = "Antq.Reporting";

    static readonly Meter Meter = new(MeterName);

    static readonly Counter<long> Submissions = Meter.CreateCounter<long>("antq.reporting.submissions", "{report}",
        "Reports submitted (committed), by whether they came on time.");

    static readonly Counter<long> Returns = Meter.CreateCounter<long>("antq.reporting.returns", "{report}",
        "Reports returned to their unit by the level above (committed).");

    static readonly Counter<long> Acceptances = Meter.CreateCounter<long>("antq.reporting.acceptances", "{report}",
        "Reports accepted by the level above (committed).");

    static readonly Histogram<double> RollupWrite = Meter.CreateHistogram<double>("antq.reporting.rollup.write.duration", "s",
        "Time to write a step and its values into the roll-up cells of every ancestor (add: a submission; subtract: a return).");

    static readonly Counter<long> Closings = Meter.CreateCounter<long>("antq.reporting.closings", "{closing}",
        "Periods closed at a unit when its deadline passed, by period kind.");

    static readonly Histogram<double> ClosingDuration = Meter.CreateHistogram<double>("antq.reporting.closing.duration", "s",
        "Time to close a period at one unit: freeze the snapshot, prepare its consolidated draft, publish PeriodClosed.");

    static long pending;
    static DateTimeOffset? oldestPendingDueAt;
    static TimeProvider clock = TimeProvider.System;

    static ReportingMetrics()
    {
        Meter.CreateObservableGauge("antq.reporting.closings.pending", () => Volatile.Read(ref pending), "{unit}",
            "Units whose deadline has passed and which the closing job's last pass left unclosed.");
        Meter.CreateObservableGauge("antq.reporting.closings.pending_age", () =>
                oldestPendingDueAt is { } due ? Math.Max(0, (long)(clock.GetUtcNow() - due).TotalSeconds) : 0L, "s",
            "How long past its deadline the oldest unit still unclosed at the last pass is (0 when none).");
    }

    public static void Submitted(bool onTime) => Submissions.Add(1, new KeyValuePair<string, object?>("antq.report.on_time", onTime));

    public static void Returned() => Returns.Add(1);

    public static void Accepted() => Acceptances.Add(1);

    public static void RollupWritten(long startedTimestamp, bool add) =>
        RollupWrite.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("antq.rollup.change", add ? "add" : "subtract"));

    public static void PeriodClosed(string periodKind, long startedTimestamp)
    {
        var kind = new KeyValuePair<string, object?>("antq.period.kind", periodKind);
        Closings.Add(1, kind);
        ClosingDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, kind);
    }

    /// <summary>Due units the closing job has not closed (at a pass's start: all it found; at its end: those it did not close, which another replica may have), and the earliest deadline among them.</summary>
    public static void ClosingsPending(int left, DateTimeOffset? earliestDueAt, TimeProvider platformClock)
    {
        clock = platformClock;
        oldestPendingDueAt = left > 0 ? earliestDueAt : null;
        Volatile.Write(ref pending, left);
    }
}
