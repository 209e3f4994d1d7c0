namespace Antq.Messaging.IntegrationTests.Infrastructure;

/// <summary>A clock the test moves, so back-off times are exact. Starts at a whole second near now (PostgreSQL keeps microseconds).</summary>
public sealed class ManualClock : TimeProvider
{
    DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
