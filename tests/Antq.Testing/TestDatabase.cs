using Npgsql;

namespace Antq.Testing;

/// <summary>A fresh PostgreSQL database on the test server, dropped on dispose. One per test class keeps tests apart.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string label)
    {
        var name = $"t_{Sanitize(label)}_{Guid.NewGuid():N}"; // at most 51 characters: PostgreSQL allows 63
        await using (var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdmin) { Database = name, MaxPoolSize = 30 };
        return new TestDatabase(name, builder.ConnectionString);
    }

    /// <summary>
    /// The database refuses new connections and its open ones are ended, as in an outage of its server (or maintenance)
    /// that other databases of the shared server do not see; <paramref name="allowed"/> true ends it.
    /// </summary>
    public async Task SetConnectionsAllowedAsync(bool allowed)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
        await connection.OpenAsync();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", connection))
            await alter.ExecuteNonQueryAsync();
        if (allowed) return;
        await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name", connection);
        terminate.Parameters.AddWithValue("name", Name);
        await terminate.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    static string Sanitize(string label) =>
        new string(label.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(16).ToArray());
}
