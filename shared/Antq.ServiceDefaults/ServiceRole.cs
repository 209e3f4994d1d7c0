using Npgsql;

namespace Antq.ServiceDefaults;

/// <summary>
/// What a service's own database role may do in its database, granted by the database's owner after each migration
/// (docs/security.md, "Database roles"). The role reads and writes the rows of its tables and uses their sequences and
/// temporary tables; it cannot change a table's shape (the owner's), connect to another database (CONNECT is revoked
/// from PUBLIC and granted to the role alone), rewrite the migrations' history, or update, delete or truncate a row of
/// an insert-only table (the audit). Granting again at every start keeps it right after a migration adds a table and
/// after a restore (whose dumps carry no privileges).
/// </summary>
public static class ServiceRole
{
    /// <summary>One advisory lock for every service: two sessions granting on one object at once fail in PostgreSQL
    /// ("tuple concurrently updated"), and replicas start together.</summary>
    const long GrantLock = 0x616E74715F726F6C; // "antq_rol"

    public static async Task GrantAsync(string ownerConnectionString, string serviceConnectionString, IReadOnlyCollection<string> insertOnlyTables,
        CancellationToken cancellationToken)
    {
        var owner = new NpgsqlConnectionStringBuilder(ownerConnectionString);
        var service = new NpgsqlConnectionStringBuilder(serviceConnectionString);
        if (string.IsNullOrEmpty(service.Username) || string.Equals(service.Username, owner.Username, StringComparison.Ordinal)) return;
        if (!string.Equals(service.Database, owner.Database, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The owner's connection names database '{owner.Database}' and the service's '{service.Database}': both must name the service's own database.");
        }

        var role = Quote(service.Username);
        var database = Quote(owner.Database!);
        var sql = new List<string>
        {
            "SELECT pg_advisory_xact_lock(" + GrantLock + ")",
            $"REVOKE ALL ON DATABASE {database} FROM PUBLIC",
            $"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
            $"GRANT USAGE ON SCHEMA public TO {role}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            $"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
            // The history is there after any migration; a database nothing has migrated yet has none.
            "DO $$ BEGIN IF to_regclass('__ef_migrations_history') IS NOT NULL THEN " +
            $"REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE __ef_migrations_history FROM {role}; END IF; END $$",
        };
        sql.AddRange(insertOnlyTables.Select(table => $"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE {Quote(table)} FROM {role}"));

        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var statement in sql)
        {
            await using var command = new NpgsqlCommand(statement, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
