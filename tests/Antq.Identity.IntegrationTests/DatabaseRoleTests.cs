using Antq.ServiceDefaults;
using Antq.Testing;
using Npgsql;

namespace Antq.Identity.IntegrationTests;

/// <summary>
/// Least privilege in PostgreSQL (docs/security.md): the service works as its own role, which the owner — the
/// connection <c>ConnectionStrings:identityMigrations</c>, used only to migrate — grants the rows of its database and
/// nothing more. The audit is insert-only for that role, and another service's database is closed to it.
/// </summary>
public sealed class DatabaseRoleTests
{
    [Fact]
    public async Task The_service_role_writes_the_audit_but_cannot_rewrite_it_nor_enter_another_services_database()
    {
        await using var role = await TestRole.CreateAsync("identity");
        await using var otherRole = await TestRole.CreateAsync("reporting");
        await using var identity = await IdentityService.CreateAsync(_ => { });
        await using var other = await TestDatabase.CreateAsync("reporting");
        identity.Factory.Settings["ConnectionStrings:identity"] = role.ConnectionStringFor(identity.Database);
        identity.Factory.Settings["ConnectionStrings:identityMigrations"] = identity.Database.ConnectionString;
        // What Reporting's start does on its own database for its own role.
        await ServiceRole.GrantAsync(other.ConnectionString, otherRole.ConnectionStringFor(other), [], CancellationToken.None);

        // The service migrates (as the owner), seeds its admin and signs in (as its role): the sign-in is audited.
        await identity.GetAdminTokenAsync();
        await using var connection = new NpgsqlConnection(role.ConnectionStringFor(identity.Database) + ";Pooling=false");
        await connection.OpenAsync();
        Assert.Equal(role.Name, await ScalarAsync(connection, "SELECT current_user"));
        var audited = Convert.ToInt64(await ScalarAsync(connection, "SELECT count(*) FROM audit_entries"));
        Assert.True(audited > 0, "the sign-in left no audit row");
        Assert.Equal(1, await ExecuteAsync(connection,
            "INSERT INTO audit_entries (id, at, actor, action, subject, service) VALUES (gen_random_uuid(), now(), 'kiemthu', 'test', 'kiemthu', 'identity')"));

        foreach (var statement in new[]
                 {
                     "UPDATE audit_entries SET actor = 'ke-gian'",
                     "DELETE FROM audit_entries",
                     "TRUNCATE audit_entries",
                     "ALTER TABLE audit_entries DISABLE TRIGGER ALL",
                     "CREATE TABLE hidden (id int)",
                     "DELETE FROM __ef_migrations_history",
                 })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, statement));
            Assert.True(refused.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{statement}: {refused.SqlState} {refused.MessageText}");
        }

        Assert.Equal(audited + 1, Convert.ToInt64(await ScalarAsync(connection, "SELECT count(*) FROM audit_entries")));
        // Its other tables are its to change.
        Assert.Equal(1, await ExecuteAsync(connection, "UPDATE users SET full_name = full_name WHERE user_name = 'admin'"));

        await using var elsewhere = new NpgsqlConnection(role.ConnectionStringFor(other) + ";Pooling=false");
        var closed = await Assert.ThrowsAsync<PostgresException>(() => elsewhere.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, closed.SqlState);
        await using var own = new NpgsqlConnection(otherRole.ConnectionStringFor(other) + ";Pooling=false");
        await own.OpenAsync();
    }

    static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
