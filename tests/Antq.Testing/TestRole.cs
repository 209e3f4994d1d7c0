using Npgsql;

namespace Antq.Testing;

/// <summary>
/// A login role of its own on the test server, as <c>deploy/antq up</c> makes one per service (docs/security.md):
/// no rights of its own until a database's owner grants them. Roles belong to the whole server, so each has a
/// unique name and is dropped on dispose (after the databases it was granted on are gone).
/// </summary>
public sealed class TestRole : IAsyncDisposable
{
    TestRole(string name, string password)
    {
        Name = name;
        Password = password;
    }

    public string Name { get; }

    public string Password { get; }

    public static async Task<TestRole> CreateAsync(string label)
    {
        var name = $"t_{new string(label.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(16).ToArray())}_{Guid.NewGuid():N}";
        var password = Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'", connection);
        await command.ExecuteNonQueryAsync();
        return new TestRole(name, password);
    }

    /// <summary>A connection string to <paramref name="database"/> as this role.</summary>
    public string ConnectionStringFor(TestDatabase database) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = Name, Password = Password }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{Name}\"", connection);
        await command.ExecuteNonQueryAsync();
    }
}
