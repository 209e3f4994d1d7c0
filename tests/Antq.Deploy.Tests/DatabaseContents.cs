using Npgsql;

namespace Antq.Deploy.Tests;

/// <summary>
/// What a database holds, table by table: its columns, its row count and a digest of every row (md5 of the rows' text
/// in a fixed order), so that two databases, or one before and after a change, can be compared row for row.
/// </summary>
public static class DatabaseContents
{
    /// <summary>Every table of the public schema with its columns, in their order.</summary>
    public static async Task<Dictionary<string, List<string>>> ColumnsAsync(string connectionString)
    {
        var tables = new Dictionary<string, List<string>>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns)) tables[table] = columns = [];
            columns.Add(reader.GetString(1));
        }

        return tables;
    }

    /// <summary>"rows:digest" of the given columns of a table.</summary>
    public static async Task<string> DigestAsync(string connectionString, string table, IEnumerable<string> columns)
    {
        var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT count(*), coalesce(md5(string_agg(r::text, E'\\n' ORDER BY r::text)), '') FROM (SELECT {list} FROM \"{table}\") AS r", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"{reader.GetInt64(0)}:{reader.GetString(1)}";
    }

    /// <summary>The digest of every table (all its columns but those <paramref name="except"/> names as "table.column").</summary>
    public static async Task<SortedDictionary<string, string>> DigestsAsync(string connectionString, params string[] except)
    {
        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (table, columns) in await ColumnsAsync(connectionString))
        {
            var kept = columns.Where(c => !except.Contains($"{table}.{c}")).ToList();
            digests[table] = await DigestAsync(connectionString, table, kept);
        }

        return digests;
    }

    public static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static async Task<string?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
