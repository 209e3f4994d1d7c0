using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Antq.ServiceDefaults;

/// <summary>
/// The platform's one clock: every service reads "now" through <see cref="TimeProvider"/>, which is this. In
/// production it is the system clock. In local mode and in tests it can be shifted (<c>Clock:Offset</c>, e.g.
/// <c>-1460.00:00:00</c>, runs on from there) or fixed (<c>Clock:FixedAt</c>, an instant with its offset), so that a
/// season of a past year can be played with its deadlines passing in order. Timers and delays keep running in real
/// time: a shifted clock makes a deadline pass, it does not make a poll wait longer. Tests move it with
/// <see cref="Advance"/> and <see cref="AdvanceTo"/>; it never goes back, so nothing sees time run backwards.
/// </summary>
public sealed class PlatformClock : TimeProvider
{
    long offsetTicks;
    long fixedTicks = -1;
    TaskCompletionSource moved = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PlatformClock(TimeSpan offset = default, DateTimeOffset? fixedAt = null)
    {
        offsetTicks = offset.Ticks;
        if (fixedAt is { } at) fixedTicks = at.UtcTicks;
    }

    /// <summary>True when the clock is not the system clock (shifted or fixed).</summary>
    public bool IsAdjusted => Interlocked.Read(ref offsetTicks) != 0 || Interlocked.Read(ref fixedTicks) >= 0;

    public override DateTimeOffset GetUtcNow()
    {
        var fixedAt = Interlocked.Read(ref fixedTicks);
        return fixedAt >= 0
            ? new DateTimeOffset(fixedAt, TimeSpan.Zero)
            : System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
    }

    /// <summary>Moves the clock forward (a fixed clock stays fixed, at the later instant).</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The platform's clock never goes back.");
        if (Interlocked.Read(ref fixedTicks) >= 0) Interlocked.Add(ref fixedTicks, by.Ticks);
        else Interlocked.Add(ref offsetTicks, by.Ticks);
        if (by > TimeSpan.Zero) Interlocked.Exchange(ref moved, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>
    /// Completes when the clock is next moved forward (<see cref="Advance"/>, <see cref="AdvanceTo"/>): a job that
    /// sleeps until its next poll wakes at once when a played season moves the clock past a deadline.
    /// </summary>
    public Task MovedAsync(CancellationToken cancellationToken = default) => Volatile.Read(ref moved).Task.WaitAsync(cancellationToken);

    /// <summary>Waits <paramref name="delay"/> of real time, or less when the clock is moved forward meanwhile.</summary>
    public static async Task DelayOrMovedAsync(TimeProvider clock, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (clock is not PlatformClock { IsAdjusted: true } platform)
        {
            await Task.Delay(delay, clock, cancellationToken);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(Task.Delay(delay, clock, stop.Token), platform.MovedAsync(stop.Token));
        await stop.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Moves the clock forward to <paramref name="instant"/>; an instant already passed changes nothing.</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        var by = instant - GetUtcNow();
        if (by > TimeSpan.Zero) Advance(by);
    }

    /// <summary>
    /// The clock the configuration asks for. <c>Clock:Offset</c> and <c>Clock:FixedAt</c> are honoured only in local
    /// mode (<c>ANTQ_MODE=local</c>) or in the Testing environment; anywhere else either of them stops the start, since
    /// a production platform whose clock lies would close periods and send reminders on the wrong days.
    /// </summary>
    public static bool IsLocal(IConfiguration configuration, IHostEnvironment environment) =>
        string.Equals(configuration["ANTQ_MODE"], "local", StringComparison.OrdinalIgnoreCase) || environment.IsEnvironment("Testing");

    public static PlatformClock FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var offsetText = configuration["Clock:Offset"];
        var fixedText = configuration["Clock:FixedAt"];
        if (!string.IsNullOrWhiteSpace(configuration[ClockControl.KeySetting]) && !IsLocal(configuration, environment))
            throw new InvalidOperationException(
                $"{ClockControl.KeySetting} is set, but ANTQ_MODE is '{configuration["ANTQ_MODE"] ?? "(unset)"}'. The clock can be moved only in " +
                "local mode (ANTQ_MODE=local) or in tests; remove the setting in production.");
        if (string.IsNullOrWhiteSpace(offsetText) && string.IsNullOrWhiteSpace(fixedText)) return new PlatformClock();

        if (!IsLocal(configuration, environment))
            throw new InvalidOperationException(
                $"Clock:Offset or Clock:FixedAt is set, but ANTQ_MODE is '{configuration["ANTQ_MODE"] ?? "(unset)"}'. The clock can be shifted or " +
                "fixed only in local mode (ANTQ_MODE=local) or in tests; remove the setting in production.");

        var offset = TimeSpan.Zero;
        if (!string.IsNullOrWhiteSpace(offsetText) && !TimeSpan.TryParse(offsetText, CultureInfo.InvariantCulture, out offset))
            throw new InvalidOperationException($"Clock:Offset holds '{offsetText}', which is not a time span (such as -1460.00:00:00).");
        DateTimeOffset? fixedAt = null;
        if (!string.IsNullOrWhiteSpace(fixedText))
        {
            if (!DateTimeOffset.TryParse(fixedText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
                throw new InvalidOperationException($"Clock:FixedAt holds '{fixedText}', which is not an instant (such as 2022-05-24T09:00:00+07:00).");
            fixedAt = at;
        }

        return new PlatformClock(offset, fixedAt);
    }
}
