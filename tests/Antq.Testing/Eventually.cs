namespace Antq.Testing;

/// <summary>Polls a condition until it holds or a deadline passes; never a fixed sleep standing in for an assertion.</summary>
public static class Eventually
{
    static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task<bool> TryAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(Interval, cancellationToken);
        }

        return true;
    }

    public static async Task<bool> TryAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(Interval, cancellationToken);
        }

        return true;
    }

    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        if (!await TryAsync(condition, timeout)) throw new TimeoutException($"Not within {timeout.TotalSeconds:0.#} s: {what}");
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        if (!await TryAsync(condition, timeout)) throw new TimeoutException($"Not within {timeout.TotalSeconds:0.#} s: {what}");
    }
}
