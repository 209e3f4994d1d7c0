using System.Diagnostics;

namespace Antq.Messaging;

/// <summary>Why a dispatcher's sleep ended.</summary>
public enum Wake
{
    /// <summary>A commit of this process wrote work for it.</summary>
    Signalled,

    /// <summary>The earliest due time it knew of has come.</summary>
    Due,

    /// <summary>The safety poll: nothing woke it for the longest it sleeps.</summary>
    Poll,
}

/// <summary>
/// How a dispatcher sleeps between rounds: until a commit signals work, until the earliest due time it knows of comes
/// on the application's clock, or for at most the safety poll in real time, whichever is first. The due time is
/// compared with the application's clock, which tests and local seasons move forward by days: a sleep computed once
/// from "due - now" would oversleep such a jump, so with a clock that can move the sleep is cut into slices of
/// <c>clockCheck</c> and the clock read after each (in process, no database).
/// </summary>
public static class DispatchSleep
{
    /// <summary>How often a sleeper looks at a clock that can be moved, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultClockCheck = TimeSpan.FromSeconds(1);

    /// <param name="signalled">The signal's <see cref="CommitSignal.Next"/>, taken before the round that preceded this sleep.</param>
    /// <param name="dueAt">The earliest due time of the work waiting, on <paramref name="clock"/>; null when nothing waits.</param>
    /// <param name="longest">The safety poll: the longest sleep, in real time.</param>
    /// <param name="clockCheck">Null when <paramref name="clock"/> runs with real time and is never moved.</param>
    public static async Task<Wake> UntilAsync(Task signalled, DateTimeOffset? dueAt, TimeSpan longest, TimeProvider clock, TimeSpan? clockCheck,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (signalled.IsCompleted) return Wake.Signalled;
            var left = longest - Stopwatch.GetElapsedTime(started);
            var step = left;
            if (dueAt is { } due)
            {
                var untilDue = due - clock.GetUtcNow();
                if (untilDue <= TimeSpan.Zero) return Wake.Due;
                if (untilDue < step) step = untilDue;
                if (clockCheck is { } check && check < step) step = check;
            }

            if (left <= TimeSpan.Zero) return Wake.Poll;

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(step, stop.Token);
            var first = await Task.WhenAny(signalled, delay);
            await stop.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
            if (first == signalled) return Wake.Signalled;
        }
    }

    /// <summary>The system clock is never moved; any other clock (the platform's in local mode and tests, a test's own) may be.</summary>
    public static TimeSpan? ClockCheckFor(TimeProvider clock, TimeSpan check) => ReferenceEquals(clock, TimeProvider.System) ? null : check;
}
