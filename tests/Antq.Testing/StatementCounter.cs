using System.Collections.Concurrent;
using System.Diagnostics;

namespace Antq.Testing;

/// <summary>
/// Counts the statements this process sends to one database, from Npgsql's own trace (one activity per command, the
/// database in <c>db.namespace</c>): the service's context, its dispatchers, and connections it opens itself alike.
/// Other test classes run in parallel on databases of their own, which are not counted.
/// </summary>
public sealed class StatementCounter : IDisposable
{
    readonly ActivityListener listener;
    readonly ConcurrentQueue<(DateTime At, string Text)> statements = new();

    public StatementCounter(string database)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.namespace") as string != database) return;
                if (activity.GetTagItem("db.query.text") is not string text) return;
                statements.Enqueue((DateTime.UtcNow, text));
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public int Count => statements.Count;

    public IReadOnlyList<(DateTime At, string Text)> Statements => statements.ToArray();

    /// <summary>The statements grouped by text, most frequent first: what a failure message shows.</summary>
    public string Summary() => string.Join("\n", statements.GroupBy(s => Shorten(s.Text)).OrderByDescending(g => g.Count())
        .Select(g => $"{g.Count(),5} × {g.Key}"));

    static string Shorten(string text)
    {
        var flat = string.Join(' ', text.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 160 ? flat : flat[..160] + "…";
    }

    /// <summary>
    /// Whether <paramref name="sql"/> is one of the platform's safety polls, the only statements an idle service may
    /// send: an outbox's look for its next due row and its clean-up, Reporting's look for due closings, a Notification
    /// loop's look for its next due work and for stale schedules.
    /// </summary>
    public static bool IsSafetyPoll(string sql) =>
        sql.Contains("min(next_attempt_at)", StringComparison.Ordinal) // an outbox's next due time, or a Notification loop's (one statement for its kinds)
        || sql.StartsWith("DELETE FROM", StringComparison.Ordinal) // an outbox's clean-up
        || sql.Contains("FROM unit_deadlines d", StringComparison.Ordinal) // Reporting: due closings
        || sql.Contains("least(", StringComparison.Ordinal) // Notification before issue 22's split of its loops' wakes: one next due time
        || sql.Contains("FROM due_reports d", StringComparison.Ordinal) // Notification: stale schedules
        || sql.StartsWith("WITH old AS", StringComparison.Ordinal); // Notification: retention (a minute after start, then every 6 h)

    public void Dispose() => listener.Dispose();
}
