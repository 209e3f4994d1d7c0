using Antq.Testing;
using Npgsql;

namespace Antq.Bench;

/// <summary>
/// What PostgreSQL's sessions of the named databases are doing while a step runs, sampled from
/// <c>pg_stat_activity</c> every <see cref="Interval"/> (as an "active session history" does): each sample counts the
/// sessions that are not idle by state and wait event. The result is the average number of sessions in each
/// (state, wait) pair over the step: <c>active</c> with no wait is a statement running on a core or waiting for one;
/// <c>active</c> with <c>Lock:transactionid</c> or <c>Lock:tuple</c> waits for another transaction's row lock;
/// <c>LWLock:WALWrite</c> or <c>IO:WALSync</c> waits for the WAL at commit; <c>idle in transaction</c> with
/// <c>Client:ClientRead</c> is a transaction open while the service works or the next statement travels (a round trip).
/// The sampler's own query runs on its own connection, excluded, and costs about one statement per interval.
/// </summary>
static class WaitSampler
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>One (service, state, wait) pair: the average number of sessions in it, and its share of all non-idle sessions.</summary>
    public sealed record WaitShare(string service, string state, string wait, double sessions, double share);

    public static async Task<(T Result, WaitShare[] Waits, long Samples)> DuringAsync<T>(IReadOnlyDictionary<string, string> databases, Func<Task<T>> step)
    {
        using var stop = new CancellationTokenSource();
        var counts = new Dictionary<(string Database, string State, string Wait), long>();
        long samples = 0;
        var sampler = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT datname, state, coalesce(wait_event_type || ':' || wait_event, '-')
                FROM pg_stat_activity
                WHERE datname = ANY(@databases) AND pid <> pg_backend_pid() AND state IS NOT NULL AND state <> 'idle'
                """, connection);
            command.Parameters.AddWithValue("databases", databases.Values.ToArray());
            await command.PrepareAsync();
            while (!stop.IsCancellationRequested)
            {
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        var key = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                        counts[key] = counts.GetValueOrDefault(key) + 1;
                    }
                }

                samples++;
                try { await Task.Delay(Interval, stop.Token); }
                catch (OperationCanceledException) { break; }
            }
        });

        T result;
        try
        {
            result = await step();
        }
        finally
        {
            stop.Cancel();
            await sampler;
        }

        var byName = databases.ToDictionary(d => d.Value, d => d.Key);
        var all = Math.Max(1, counts.Values.Sum());
        var waits = counts
            .OrderByDescending(c => c.Value)
            .Select(c => new WaitShare(byName.GetValueOrDefault(c.Key.Database, c.Key.Database), c.Key.State, c.Key.Wait,
                Math.Round(c.Value / (double)Math.Max(1, samples), 3), Math.Round(c.Value / (double)all, 3)))
            .ToArray();
        return (result, waits, samples);
    }

    public static string Describe(IEnumerable<WaitShare> waits, int top = 8) =>
        string.Join("; ", waits.Take(top).Select(w => $"{w.service} {w.state} {w.wait}: {w.sessions:F2} sessions ({w.share:P0})"));
}
