namespace Antq.Notification.IntegrationTests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls <paramref name="read"/> until <paramref name="done"/> holds; fails with the last value after <paramref name="timeout"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}; last value: {Describe(value)}");
            await Task.Delay(100);
        }
    }

    static string Describe<T>(T value) => value is System.Collections.IEnumerable list and not string
        ? $"[{string.Join(", ", list.Cast<object>())}]"
        : value?.ToString() ?? "null";
}
