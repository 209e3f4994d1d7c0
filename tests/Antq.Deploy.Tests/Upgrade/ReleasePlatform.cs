using System.Diagnostics;
using System.IO.Compression;
using Antq.Classification.Api.Data;
using Antq.Identity.Api.Data;
using Antq.Notification.Api.Data;
using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Antq.Deploy.Tests.Upgrade;

/// <summary>
/// The five databases of a platform run by the first release (tag v0.1.0, commit d165511) after a short season
/// (Upgrade/v0.1.0, made by Upgrade/make-fixture.sh), each loaded into a database of its own on the test server.
/// </summary>
public sealed class ReleasePlatform : IAsyncDisposable
{
    public const string Release = "v0.1.0";

    /// <summary>The services that own a database, by the name deploy/antq gives them.</summary>
    public static readonly string[] Services = ["identity", "plan", "reporting", "classification", "notification"];

    ReleasePlatform(Dictionary<string, TestDatabase> databases) => Databases = databases;

    public IReadOnlyDictionary<string, TestDatabase> Databases { get; }

    public static string FixtureDir => Path.Combine(TestEnvironment.Root, "tests", "Antq.Deploy.Tests", "Upgrade", Release);

    public static async Task<ReleasePlatform> LoadAsync(string label)
    {
        Assert.True(File.Exists(Path.Combine(FixtureDir, "FIXTURE.txt")),
            $"The fixture of {Release} is missing ({FixtureDir}); make it with tests/Antq.Deploy.Tests/Upgrade/make-fixture.sh");
        var databases = new Dictionary<string, TestDatabase>();
        try
        {
            foreach (var service in Services)
            {
                var database = await TestDatabase.CreateAsync($"{label}{service}");
                databases[service] = database;
                await Psql.LoadAsync(database.ConnectionString, Path.Combine(FixtureDir, service + ".sql.gz"));
            }
        }
        catch
        {
            foreach (var database in databases.Values) await database.DisposeAsync();
            throw;
        }

        return new ReleasePlatform(databases);
    }

    /// <summary>Applies main's migrations to every database, as each service does when it starts (<c>Database:MigrateOnStart</c>).</summary>
    public async Task MigrateToMainAsync()
    {
        await MigrateAsync<IdentityDbContext>(Databases["identity"].ConnectionString);
        await MigrateAsync<PlanDbContext>(Databases["plan"].ConnectionString);
        await MigrateAsync<ReportingDbContext>(Databases["reporting"].ConnectionString);
        await MigrateAsync<ClassificationDbContext>(Databases["classification"].ConnectionString);
        await MigrateAsync<NotificationDbContext>(Databases["notification"].ConnectionString);
    }

    /// <summary>The same options as <c>AddAntqDbContext</c>: the history table's name and snake_case names.</summary>
    static async Task MigrateAsync<TContext>(string connectionString) where TContext : DbContext
    {
        var options = new DbContextOptionsBuilder<TContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options;
        await using var db = (TContext)Activator.CreateInstance(typeof(TContext), options)!;
        await db.Database.MigrateAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var database in Databases.Values) await database.DisposeAsync();
    }
}

/// <summary>PostgreSQL's own client, for plain SQL dumps (their COPY blocks are psql's, not a driver's).</summary>
static class Psql
{
    public static async Task LoadAsync(string connectionString, string gzippedSql)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", cs.Host!, "-p", cs.Port.ToString(), "-U", cs.Username!, "-d", cs.Database!])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = cs.Password;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("psql did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await using (var file = File.OpenRead(gzippedSql))
        await using (var sql = new GZipStream(file, CompressionMode.Decompress))
        {
            await sql.CopyToAsync(process.StandardInput.BaseStream);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"psql could not load {Path.GetFileName(gzippedSql)} into {cs.Database}: {await error}{await output}");
    }
}
