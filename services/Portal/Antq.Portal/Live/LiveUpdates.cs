using System.Collections.Concurrent;

namespace Antq.Portal.Live;

/// <summary>What changed: a period's reports or roll-ups of these units.</summary>
public sealed record LiveChange(string Period, IReadOnlyCollection<string> OrgUnitCodes, DateTimeOffset OccurredAt);

/// <summary>
/// The portal's own switchboard for what the broker says has changed. Every replica hears every event (each has its own
/// temporary queue), and passes it to the open pages in this process that watch one of the units it names; a page
/// then reads the new figures through the API, as it did when it opened. Nothing here polls.
/// </summary>
public sealed class LiveUpdates(ILogger<LiveUpdates> logger)
{
    readonly ConcurrentDictionary<Guid, Watcher> watches = new();

    sealed record Watcher(string Period, string OrgUnitCode, Func<LiveChange, Task> OnChange);

    /// <summary>Pages open now, across every circuit of this replica.</summary>
    public int Watching => watches.Count;

    /// <summary>Calls <paramref name="onChange"/> whenever something changes for <paramref name="orgUnitCode"/> in <paramref name="period"/>, until disposed.</summary>
    public IDisposable Watch(string period, string orgUnitCode, Func<LiveChange, Task> onChange)
    {
        var id = Guid.NewGuid();
        watches[id] = new Watcher(period, orgUnitCode, onChange);
        return new Subscription(() => watches.TryRemove(id, out _));
    }

    /// <summary>Tells every page watching one of the change's units. A page that fails is logged, not the others.</summary>
    public async Task PublishAsync(LiveChange change)
    {
        var units = change.OrgUnitCodes as IReadOnlySet<string> ?? change.OrgUnitCodes.ToHashSet(StringComparer.Ordinal);
        foreach (var watch in watches.Values)
        {
            if (watch.Period != change.Period || !units.Contains(watch.OrgUnitCode)) continue;
            try
            {
                await watch.OnChange(change);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "A page watching {Unit} {Period} failed to take a change", watch.OrgUnitCode, watch.Period);
            }
        }
    }

    sealed class Subscription(Action dispose) : IDisposable
    {
        int disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) dispose();
        }
    }
}
