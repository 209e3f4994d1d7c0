using System.Diagnostics;
using HdrHistogram;

namespace Antq.Testing.Load;

/// <summary>What one run of <see cref="OpenLoop"/> saw.</summary>
public sealed record OpenLoopResult(double OfferedPerSecond, double AchievedPerSecond, long Started, long Completed, long Errors,
    long Dropped, double Seconds, double P50Ms, double P99Ms, double MaxMs)
{
    /// <summary>Kept up: every operation started on time and ended without error, at the offered rate, with p99 within the bound.</summary>
    public bool Sustained(double p99BoundMs) =>
        Errors == 0 && Dropped == 0 && Completed == Started && AchievedPerSecond >= 0.95 * OfferedPerSecond && P99Ms <= p99BoundMs;

    public override string ToString() =>
        $"offered {OfferedPerSecond:F1}/s achieved {AchievedPerSecond:F1}/s, {Completed}/{Started} done, {Errors} errors, {Dropped} dropped, " +
        $"p50 {P50Ms:F2} ms p99 {P99Ms:F2} ms max {MaxMs:F2} ms";
}

/// <summary>
/// A load generator at a fixed arrival rate (open loop): operation <c>i</c> is due at <c>i / rate</c> seconds and is started
/// then, whether or not the earlier ones have finished, so a slow system meets more work, as it would from many people,
/// instead of being given time to recover. Latency runs from the moment an operation was due (not from when the
/// generator got round to it: no coordinated omission) to its end, recorded in an HdrHistogram in microseconds.
/// </summary>
public static class OpenLoop
{
    /// <summary>
    /// Runs <paramref name="operation"/> (given its sequence number; true = success) at <paramref name="perSecond"/> for
    /// <paramref name="duration"/>, then waits up to <paramref name="drain"/> for the operations in flight. More than
    /// <paramref name="maxInFlight"/> at once are not started and count as dropped. Cancelling <paramref name="ct"/> stops
    /// the starting early; the operations in flight are still waited for.
    /// </summary>
    public static async Task<OpenLoopResult> RunAsync(double perSecond, TimeSpan duration, Func<long, Task<bool>> operation,
        TimeSpan? drain = null, int maxInFlight = 4000, CancellationToken ct = default)
    {
        var histogram = new LongHistogram(1, TimeSpan.FromMinutes(10).Ticks / 10, 3); // microseconds, up to 10 minutes
        long started = 0, completed = 0, errors = 0, dropped = 0, inFlight = 0;
        var pending = new List<Task>();
        var clock = Stopwatch.StartNew();
        var total = (long)Math.Floor(perSecond * duration.TotalSeconds);
        var interval = 1.0 / perSecond;

        async Task One(long sequence, double dueSeconds)
        {
            var ok = false;
            try
            {
                ok = await operation(sequence);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                ok = false;
            }
            finally
            {
                var latencyUs = (long)Math.Max(1, (clock.Elapsed.TotalSeconds - dueSeconds) * 1_000_000);
                lock (histogram) histogram.RecordValue(Math.Min(latencyUs, histogram.HighestTrackableValue));
                Interlocked.Increment(ref completed);
                if (!ok) Interlocked.Increment(ref errors);
                Interlocked.Decrement(ref inFlight);
            }
        }

        for (long i = 0; i < total && !ct.IsCancellationRequested; i++)
        {
            var due = i * interval;
            var wait = due - clock.Elapsed.TotalSeconds;
            try
            {
                if (wait > 0.002) await Task.Delay(TimeSpan.FromSeconds(wait), ct);
                else if (wait > 0) Thread.SpinWait(50);
            }
            catch (OperationCanceledException)
            {
                break; // stop starting, then let the operations in flight finish
            }

            if (Interlocked.Read(ref inFlight) >= maxInFlight)
            {
                dropped++;
                continue;
            }

            Interlocked.Increment(ref inFlight);
            started++;
            var (sequence, dueAt) = (i, due); // the loop variables change under the closure
            pending.Add(Task.Run(() => One(sequence, dueAt), CancellationToken.None));
        }

        var offeredSeconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(drain ?? TimeSpan.FromSeconds(30), CancellationToken.None));
        var seconds = clock.Elapsed.TotalSeconds;
        var done = Interlocked.Read(ref completed);
        lock (histogram)
        {
            return new OpenLoopResult(perSecond, done / Math.Max(seconds, offeredSeconds), started, done, Interlocked.Read(ref errors), dropped,
                Math.Round(seconds, 2), Ms(histogram.GetValueAtPercentile(50)), Ms(histogram.GetValueAtPercentile(99)), Ms(histogram.GetMaxValue()));
        }
    }

    /// <summary>
    /// Finds the highest rate that <see cref="OpenLoopResult.Sustained"/>: from <paramref name="start"/>, each step
    /// <paramref name="factor"/> times the last, each held for <paramref name="step"/>, until one is not sustained or
    /// <paramref name="ceiling"/> is passed; then one step halfway between the last good rate and the first bad one.
    /// Returns every step's result, in order, and the highest sustained rate (0 if none).
    /// </summary>
    public static async Task<(double Highest, List<OpenLoopResult> Steps)> FindHighestSustainedAsync(Func<long, Task<bool>> operation,
        double start, double factor, double ceiling, TimeSpan step, double p99BoundMs, Action<OpenLoopResult>? progress = null, CancellationToken ct = default)
    {
        var steps = new List<OpenLoopResult>();
        double good = 0, bad = 0;
        for (var rate = start; rate <= ceiling; rate *= factor)
        {
            var result = await RunAsync(rate, step, operation, TimeSpan.FromSeconds(20), ct: ct);
            steps.Add(result);
            progress?.Invoke(result);
            if (!result.Sustained(p99BoundMs)) { bad = rate; break; }
            good = rate;
            await Task.Delay(1000, ct); // let the queues of the last step drain
        }

        if (good > 0 && bad > 0)
        {
            var middle = (good + bad) / 2;
            await Task.Delay(2000, ct);
            var result = await RunAsync(middle, step, operation, TimeSpan.FromSeconds(20), ct: ct);
            steps.Add(result);
            progress?.Invoke(result);
            if (result.Sustained(p99BoundMs)) good = middle;
        }

        return (good, steps);
    }

    static double Ms(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}
