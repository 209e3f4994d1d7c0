using System.Collections;
using Antq.Classification.Api.Data;
using Antq.Identity.Api.Data;
using Antq.Notification.Api.Data;
using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Antq.Deploy.Tests.Upgrade;

/// <summary>
/// The upgrade path: the databases of a platform run by the first release (v0.1.0) take main's migrations, as the
/// services apply them when they start, and every row they held is still there, equal, column for column; what a
/// migration turns into another shape is followed to its new shape; and main's model reads every row of every table.
/// </summary>
public sealed class UpgradeTests
{
    /// <summary>What main's migrations may take away from the first release's databases, and why. Anything else gone fails.</summary>
    static readonly Dictionary<string, string> Reshaped = new()
    {
        // SignInLockoutPerAddress: failed sign-ins are counted per account and address in sign_in_lockouts; a lockout in
        // force when the platform is upgraded is lifted (an account's counter is a transient, not a record).
        ["identity/users.failed_logins"] = "a lockout counter, now per address",
        ["identity/users.locked_until"] = "a lockout in force, now per address",
        // ReportChangeSets: the history lines became change sets; followed line by line below.
        ["reporting/report_events"] = "the report history, now report_changes",
    };

    [Fact]
    public async Task The_first_releases_databases_migrate_to_main_with_every_report_rollup_and_audit_row_intact()
    {
        await using var platform = await ReleasePlatform.LoadAsync("upgrade");
        var db = platform.Databases.ToDictionary(d => d.Key, d => d.Value.ConnectionString);

        // What the release made: a season that the rest of this test would find nothing in is no test.
        Assert.True(await DatabaseContents.CountAsync(db["reporting"], "SELECT count(*) FROM reports") >= 5, "the fixture holds too few reports");
        Assert.True(await DatabaseContents.CountAsync(db["reporting"], "SELECT count(*) FROM rollup_cells") > 0, "the fixture holds no roll-up");
        Assert.True(await DatabaseContents.CountAsync(db["reporting"], "SELECT count(*) FROM period_closings") > 0, "the fixture holds no closing");
        Assert.True(await DatabaseContents.CountAsync(db["reporting"], "SELECT count(*) FROM report_events WHERE action = 'returned'") > 0, "the fixture holds no returned report");
        Assert.True(await DatabaseContents.CountAsync(db["identity"], "SELECT count(*) FROM audit_entries") > 0, "the fixture holds no audit row");

        var before = new Dictionary<string, (Dictionary<string, List<string>> Columns, Dictionary<string, string> Digests)>();
        foreach (var (service, cs) in db)
        {
            var columns = await DatabaseContents.ColumnsAsync(cs);
            var digests = new Dictionary<string, string>();
            foreach (var (table, list) in columns)
            {
                if (table == "__ef_migrations_history" || Reshaped.ContainsKey($"{service}/{table}")) continue;
                digests[table] = await DatabaseContents.DigestAsync(cs, table, list.Where(c => !Reshaped.ContainsKey($"{service}/{table}.{c}")));
            }

            before[service] = (columns, digests);
        }

        var historyBefore = await LinesAsync(db["reporting"],
            """SELECT report_id::text, action, field, old_value, new_value, "by", at::text FROM report_events""");

        await platform.MigrateToMainAsync();

        var problems = new List<string>();
        foreach (var (service, cs) in db)
        {
            var after = await DatabaseContents.ColumnsAsync(cs);
            foreach (var (table, digest) in before[service].Digests)
            {
                if (!after.TryGetValue(table, out var columns)) { problems.Add($"{service}: the table {table} is gone"); continue; }
                var kept = before[service].Columns[table].Where(c => !Reshaped.ContainsKey($"{service}/{table}.{c}")).ToList();
                var lost = kept.Except(columns).ToList();
                if (lost.Count > 0) { problems.Add($"{service}: {table} lost {string.Join(", ", lost)}"); continue; }
                var now = await DatabaseContents.DigestAsync(cs, table, kept);
                if (now != digest) problems.Add($"{service}: the rows of {table} changed ({digest} before, {now} after)");
            }
        }

        Assert.True(problems.Count == 0, "The upgrade from " + ReleasePlatform.Release + " lost or changed rows:\n" + string.Join("\n", problems));

        // Every history line of every report is in a change set: a save's lines in its items, a lifecycle step alone.
        var historyAfter = await LinesAsync(db["reporting"],
            """
            SELECT c.report_id::text, e.i->>'kind', e.i->>'field', e.i->>'old', e.i->>'new', c."by", c.at::text
            FROM report_changes c CROSS JOIN LATERAL jsonb_array_elements(c.items) AS e(i) WHERE c.action = 'saved'
            UNION ALL
            SELECT c.report_id::text, c.action, NULL, NULL, c.detail, c."by", c.at::text FROM report_changes c WHERE c.action <> 'saved'
            """);
        Assert.NotEmpty(historyBefore);
        Assert.Equal(historyBefore, historyAfter);

        // Main's model reads every row of every table it maps.
        await ReadsEverythingAsync<IdentityDbContext>(db["identity"]);
        await ReadsEverythingAsync<PlanDbContext>(db["plan"]);
        await ReadsEverythingAsync<ReportingDbContext>(db["reporting"]);
        await ReadsEverythingAsync<ClassificationDbContext>(db["classification"]);
        await ReadsEverythingAsync<NotificationDbContext>(db["notification"]);
    }

    /// <summary>Rows as text, sorted: a multiset to compare.</summary>
    static async Task<List<string>> LinesAsync(string connectionString, string sql)
    {
        var lines = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : reader.GetValue(i).ToString())));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Materialises every entity type with a table of its own through the model, so a column main maps but the migration did not make (or made of another type) fails.</summary>
    static async Task ReadsEverythingAsync<TContext>(string connectionString) where TContext : DbContext
    {
        var options = new DbContextOptionsBuilder<TContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options;
        await using var context = (TContext)Activator.CreateInstance(typeof(TContext), options)!;
        var set = typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!;
        var read = 0;
        foreach (var entity in context.Model.GetEntityTypes())
        {
            if (entity.IsOwned() || entity.GetTableName() is null || entity.HasSharedClrType || entity.BaseType is not null) continue;
            var query = (IEnumerable)set.MakeGenericMethod(entity.ClrType).Invoke(context, null)!;
            try
            {
                foreach (var _ in query) read++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{typeof(TContext).Name} cannot read {entity.GetTableName()} after the upgrade: {ex.Message}");
            }
        }

        Assert.True(read > 0, $"{typeof(TContext).Name} read no row at all after the upgrade");
    }
}
