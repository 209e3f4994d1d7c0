using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Antq.Deploy.Tests.Upgrade;
using Antq.Testing;
using Npgsql;

namespace Antq.Deploy.Tests;

/// <summary>
/// deploy/antq backup and restore, driven as an operator drives them, against the test servers: a platform with a
/// province's reports, closings and audit (the first release's season, upgraded to main) in databases and a virtual
/// host of its own, its keys in a state folder of its own. It is backed up, wiped (down --wipe, the databases and the
/// virtual host dropped), restored, and every row of every table, the keys and the broker's bindings are equal.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    ReleasePlatform platform = null!;
    TestVirtualHost vhost = null!;
    readonly string state = Directory.CreateTempSubdirectory("antq-backup-state-").FullName;
    readonly string folder = Directory.CreateTempSubdirectory("antq-backup-files-").FullName;

    public async Task InitializeAsync()
    {
        platform = await ReleasePlatform.LoadAsync("backup");
        await platform.MigrateToMainAsync();
        vhost = await TestVirtualHost.CreateAsync("backup");
        Directory.CreateDirectory(Path.Combine(state, "keys"));
        using var rsa = RSA.Create(2048);
        await File.WriteAllTextAsync(Path.Combine(state, "keys", "identity-signing.pem"), rsa.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(Path.Combine(state, "admin-password"), "Quan-tri-Sao-Luu-2026\n");
        await File.WriteAllTextAsync(Path.Combine(state, "demo-clock"), "2.03:04:05\n");
    }

    public async Task DisposeAsync()
    {
        await platform.DisposeAsync();
        await vhost.DisposeAsync();
        Directory.Delete(state, recursive: true);
        Directory.Delete(folder, recursive: true);
    }

    const int ReplayMinutes = 10;

    // The outbox and inbox columns a restore sets on purpose (the replay window, see deploy/backup.sh); checked apart.
    static readonly string[] Replayed = ["outbox_messages.sent_at", "outbox_messages.next_attempt_at", "outbox_messages.attempts", "outbox_messages.last_error", "inbox_messages.processed_at"];

    [Fact]
    public async Task A_platform_backed_up_wiped_and_restored_holds_every_rollup_snapshot_and_audit_row_again()
    {
        var db = platform.Databases.ToDictionary(d => d.Key, d => d.Value.ConnectionString);
        await DeclareQueueAsync("antq-backup-test", "Antq.Contracts.Reporting:ReportSubmitted");
        Assert.True(await DatabaseContents.CountAsync(db["reporting"], "SELECT count(*) FROM rollup_cells") > 0);
        Assert.True(await DatabaseContents.CountAsync(db["reporting"], "SELECT count(*) FROM period_closings") > 0);
        Assert.True(await DatabaseContents.CountAsync(db["identity"], "SELECT count(*) FROM audit_entries") > 0);

        var before = new Dictionary<string, SortedDictionary<string, string>>();
        foreach (var (service, cs) in db) before[service] = await DatabaseContents.DigestsAsync(cs, Replayed);
        var outboxBefore = new Dictionary<string, List<(long Id, DateTimeOffset? SentAt)>>();
        foreach (var (service, cs) in db) outboxBefore[service] = await OutboxAsync(cs);
        var keyBefore = await File.ReadAllBytesAsync(Path.Combine(state, "keys", "identity-signing.pem"));

        var file = Path.Combine(folder, "platform.tar");
        var backup = await AntqAsync("backup", file);
        Assert.True(backup.ExitCode == 0, "deploy/antq backup failed:\n" + backup.Output);
        Assert.Contains("backup written", backup.Output);

        // A file that is not a backup, and a backup while the platform runs or over databases that hold data, are refused in one line.
        var notBackup = Path.Combine(folder, "not-a-backup.tar");
        await File.WriteAllTextAsync(notBackup, "hello");
        var refused = await AntqAsync("restore", notBackup);
        Assert.True(refused.ExitCode != 0 && refused.Output.Contains("is not a backup"), "restore of a file that is not a backup was not refused:\n" + refused.Output);
        Assert.Single(refused.Output.Trim().Split('\n'));

        var overData = await AntqAsync("restore", file);
        Assert.True(overData.ExitCode != 0 && overData.Output.Contains("already holds data"), "restore over data was not refused:\n" + overData.Output);

        // A session of something else on a database (a service started by another checkout) is a running platform too, even with --replace.
        await using (var held = new NpgsqlConnection(db["reporting"] + ";Pooling=false"))
        {
            await held.OpenAsync();
            var busy = await AntqAsync("restore", file, "--replace");
            Assert.True(busy.ExitCode != 0 && busy.Output.Contains("the platform is running (1 connections to"), "restore over a database in use was not refused:\n" + busy.Output);
        }

        // Wiped: deploy/antq down --wipe on this platform's state folder (it deletes the keys), the databases and the virtual host gone.
        var wipe = await AntqAsync("down", "--wipe");
        Assert.True(wipe.ExitCode == 0, "deploy/antq down --wipe failed:\n" + wipe.Output);
        Assert.False(File.Exists(Path.Combine(state, "keys", "identity-signing.pem")));
        NpgsqlConnection.ClearAllPools();
        foreach (var database in platform.Databases.Values) await DropAsync(database.Name);
        await RabbitApi.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(vhost.Name)}");

        var running = Path.Combine(state, "run", "reporting.pid");
        await File.WriteAllTextAsync(running, Environment.ProcessId.ToString());
        var whileRunning = await AntqAsync("restore", file);
        File.Delete(running);
        Assert.True(whileRunning.ExitCode != 0 && whileRunning.Output.Contains("the platform is running (reporting)"), "restore while running was not refused:\n" + whileRunning.Output);

        var restore = await AntqAsync("restore", file);
        Assert.True(restore.ExitCode == 0, "deploy/antq restore failed:\n" + restore.Output);

        foreach (var (service, cs) in db)
        {
            var after = await DatabaseContents.DigestsAsync(cs, Replayed);
            Assert.Equal(before[service].Keys, after.Keys);
            foreach (var (table, digest) in before[service])
                Assert.True(digest == after[table], $"{service}: the rows of {table} differ after the restore ({digest} before, {after[table]} after)");

            // The replay: rows sent within the window before the backup's newest outbox row are unsent again, the others as they were.
            var outboxAfter = await OutboxAsync(cs);
            Assert.Equal(outboxBefore[service].Select(r => r.Id), outboxAfter.Select(r => r.Id));
            var newest = await NewestOutboxRowAsync(db.Values);
            for (var i = 0; i < outboxAfter.Count; i++)
            {
                var sent = outboxBefore[service][i].SentAt;
                var replayed = sent is { } at && newest is { } n && at >= n - TimeSpan.FromMinutes(ReplayMinutes);
                Assert.Equal(replayed ? null : sent, outboxAfter[i].SentAt);
            }
        }

        Assert.Equal(keyBefore, await File.ReadAllBytesAsync(Path.Combine(state, "keys", "identity-signing.pem")));
        Assert.Equal("Quan-tri-Sao-Luu-2026\n", await File.ReadAllTextAsync(Path.Combine(state, "admin-password")));
        Assert.Equal("2.03:04:05\n", await File.ReadAllTextAsync(Path.Combine(state, "demo-clock")));
        var bindings = await RabbitApi.GetStringAsync($"api/queues/{Uri.EscapeDataString(vhost.Name)}/antq-backup-test/bindings");
        Assert.Contains("Antq.Contracts.Reporting:ReportSubmitted", bindings);
    }

    static async Task<List<(long Id, DateTimeOffset? SentAt)>> OutboxAsync(string connectionString)
    {
        var rows = new List<(long, DateTimeOffset?)>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, sent_at FROM outbox_messages ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1)));
        return rows;
    }

    static async Task<DateTimeOffset?> NewestOutboxRowAsync(IEnumerable<string> connectionStrings)
    {
        DateTimeOffset? newest = null;
        foreach (var cs in connectionStrings)
        {
            await using var connection = new NpgsqlConnection(cs);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT max(created_at) FROM outbox_messages", connection);
            if (await command.ExecuteScalarAsync() is DateTime at)
            {
                var value = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
                if (newest is null || value > newest) newest = value;
            }
        }

        return newest;
    }

    static async Task DropAsync(string database)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    static readonly HttpClient RabbitApi = CreateRabbitApi();

    static HttpClient CreateRabbitApi()
    {
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.RabbitApi + "/") };
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return client;
    }

    /// <summary>A queue bound to a message type's exchange, as a consumer's start declares them.</summary>
    async Task DeclareQueueAsync(string queue, string exchange)
    {
        var name = Uri.EscapeDataString(vhost.Name);
        (await RabbitApi.PutAsJsonAsync($"api/exchanges/{name}/{Uri.EscapeDataString(exchange)}", new { type = "fanout", durable = true })).EnsureSuccessStatusCode();
        (await RabbitApi.PutAsJsonAsync($"api/queues/{name}/{queue}", new { durable = true })).EnsureSuccessStatusCode();
        (await RabbitApi.PostAsJsonAsync($"api/bindings/{name}/e/{Uri.EscapeDataString(exchange)}/q/{queue}", new { routing_key = "" })).EnsureSuccessStatusCode();
    }

    /// <summary>deploy/antq on the test servers, this platform's state folder, databases and virtual host.</summary>
    async Task<(int ExitCode, string Output)> AntqAsync(params string[] arguments)
    {
        // This process's pooled connections would count as a running platform's (restore refuses databases in use).
        NpgsqlConnection.ClearAllPools();
        var pg = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdmin);
        var amqp = new Uri(TestEnvironment.Amqp);
        var start = new ProcessStartInfo(Path.Combine(TestEnvironment.Root, "deploy", "antq"), arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ANTQ_STATE_DIR"] = state;
        start.Environment["ANTQ_PG_PORT"] = pg.Port.ToString();
        start.Environment["ANTQ_PG_USER"] = pg.Username;
        start.Environment["ANTQ_PG_PASSWORD"] = pg.Password;
        start.Environment["ANTQ_AMQP_PORT"] = amqp.Port.ToString();
        start.Environment["ANTQ_RABBIT_API_PORT"] = new Uri(TestEnvironment.RabbitApi).Port.ToString();
        start.Environment["ANTQ_VHOST"] = vhost.Name;
        start.Environment["ANTQ_BACKUP_REPLAY_MINUTES"] = ReplayMinutes.ToString();
        start.Environment["ANTQ_BACKUP_DATABASES"] = string.Join(' ', platform.Databases.Select(d => $"{d.Key}={d.Value.Name}"));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
