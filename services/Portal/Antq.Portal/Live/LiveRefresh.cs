namespace Antq.Portal.Live;

/// <summary>
/// One page's refresh on change: the first change starts a reload at once; changes that arrive while it runs are folded
/// into one more reload after it, so a burst of submissions (a deadline morning) costs a page at most two reads, not one
/// per submission.
/// </summary>
public sealed class LiveRefresh(Func<Task> reload) : IDisposable
{
    readonly SemaphoreSlim gate = new(1, 1);
    readonly List<IDisposable> subscriptions = [];
    int pending;

    /// <summary>When the page last took a change (null: not yet).</summary>
    public DateTimeOffset? LastChangeAt { get; private set; }

    /// <summary>Watches a unit in these periods; a second call moves the watch (another period chosen).</summary>
    public void Watch(LiveUpdates updates, string orgUnitCode, params IEnumerable<string> periods)
    {
        Unwatch();
        foreach (var period in periods) subscriptions.Add(updates.Watch(period, orgUnitCode, OnChangeAsync));
    }

    void Unwatch()
    {
        foreach (var subscription in subscriptions) subscription.Dispose();
        subscriptions.Clear();
    }

    Task OnChangeAsync(LiveChange change)
    {
        LastChangeAt = change.OccurredAt;
        if (Interlocked.Exchange(ref pending, 1) == 1) return Task.CompletedTask;   // a reload is already queued
        _ = Task.Run(RunAsync);
        return Task.CompletedTask;
    }

    async Task RunAsync()
    {
        await gate.WaitAsync();
        try
        {
            Interlocked.Exchange(ref pending, 0);
            await reload();
        }
        catch (Exception)
        {
            // A read that failed (the API briefly away, or the page closed while it read) leaves the figures the page
            // shows; the next change reads again. Nothing awaits this task, so nothing else would see the exception.
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => Unwatch();
}
