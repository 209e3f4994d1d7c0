namespace Antq.Notification.IntegrationTests.Infrastructure;

/// <summary>
/// Real time plus an offset the test moves forward: deadlines minutes ahead fall due in seconds, while timers, polling
/// and the broker keep running in real time. The service under test gets it as its <see cref="TimeProvider"/>.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    long offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    /// <summary>Moves the clock forward to <paramref name="instant"/> (never back).</summary>
    public void AdvanceTo(DateTimeOffset instant)
    {
        var by = instant - GetUtcNow();
        if (by > TimeSpan.Zero) Advance(by);
    }
}
