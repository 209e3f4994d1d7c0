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
