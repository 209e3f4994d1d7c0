using Antq.Testing;
using Npgsql;

namespace Antq.Bench;

/// <summary>
/// Where PostgreSQL's time goes during a step, from <c>pg_stat_statements</c> (loaded by <c>deploy/antq</c>'s server):
/// reset before the step, read after it, per database of the platform, per operation of the step. Absent (an older
/// server started without the library), the profile says so and the step goes on.
/// </summary>
static class StatementProfile
{
    /// <summary>One statement's share of a step, per operation (named as they appear in the results' JSON).</summary>
    public sealed record StatementRow(string service, double calls_per_op, double exec_ms_per_op, double rows_per_op, string query);

    public static async Task<bool> ResetAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
            await connection.OpenAsync();
            await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection)) await create.ExecuteNonQueryAsync();
            await using var reset = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
            await reset.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e)
        {
            Console.Error.WriteLine($"pg_stat_statements unavailable ({e.MessageText}); no statement profile");
            return false;
        }
    }

    /// <summary>The <paramref name="top"/> statements by total time in these databases, per operation (<paramref name="operations"/>).</summary>
    public static async Task<StatementRow[]> TopAsync(IReadOnlyDictionary<string, string> databases, long operations, int top = 12)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT d.datname, s.calls, s.total_exec_time, s.rows, left(regexp_replace(s.query, '\s+', ' ', 'g'), 180)
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = ANY(@databases)
            ORDER BY s.total_exec_time DESC
            LIMIT @top
            """, connection);
        command.Parameters.AddWithValue("databases", databases.Values.ToArray());
        command.Parameters.AddWithValue("top", top);
        var byName = databases.ToDictionary(d => d.Value, d => d.Key);
        var rows = new List<StatementRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var per = Math.Max(1, operations);
            rows.Add(new StatementRow(
                byName.GetValueOrDefault(reader.GetString(0), reader.GetString(0)),
                Math.Round(reader.GetInt64(1) / (double)per, 2),
                Math.Round(reader.GetDouble(2) / per, 3),
                Math.Round(reader.GetInt64(3) / (double)per, 1),
                reader.GetString(4)));
        }

        return [.. rows];
    }

    public static IReadOnlyDictionary<string, string> DatabasesOf(PlatformProcesses platform, params string[] services) =>
        services.ToDictionary(s => s, s => new NpgsqlConnectionStringBuilder(platform.ConnectionStringOf(s)).Database!);
}
