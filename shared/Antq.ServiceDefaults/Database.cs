using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Antq.ServiceDefaults;

/// <summary>
/// A service's own PostgreSQL database through EF Core: the connection string <c>ConnectionStrings:{name}</c>,
/// snake_case names, a readiness check, and migrations applied at start (unless <c>Database:MigrateOnStart</c> is false).
/// </summary>
/// <remarks>
/// Least privilege (docs/security.md): when <c>ConnectionStrings:{name}Migrations</c> is set, it is the database's
/// owner and is used for nothing but migrating at start and granting the service's own role — the user of
/// <c>ConnectionStrings:{name}</c> — what the service needs: rows of its own tables, never their shape, and only
/// INSERT and SELECT on its insert-only (audit) tables. Without it (tests, old installs) the one connection migrates.
/// </remarks>
public static class Database
{
    /// <summary>The suffix of the owner's connection string name: <c>ConnectionStrings:identityMigrations</c>.</summary>
    public const string MigrationsSuffix = "Migrations";

    /// <param name="insertOnlyTables">Tables the service's role may insert into and read but never update, delete or
    /// truncate: the audit. Revoked from the service's role after every migration (only when an owner connection is set).</param>
    public static IHostApplicationBuilder AddAntqDbContext<TContext>(this IHostApplicationBuilder builder, string name, params string[] insertOnlyTables)
        where TContext : DbContext
    {
        var connectionString = Tuned(builder.Configuration.GetConnectionString(name)
            ?? throw new InvalidOperationException($"Missing connection string 'ConnectionStrings:{name}'."));
        var ownerConnectionString = builder.Configuration.GetConnectionString(name + MigrationsSuffix);

        // Pooled: a request leases a context whose options and internal services were built once, instead of building
        // them again (the largest share of a small request's allocations). Contexts keep no state of their own.
        builder.Services.AddDbContextPool<TContext>((services, options) => options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            // Interceptors registered by shared pieces (the outbox signal) apply to every context.
            .AddInterceptors(services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));

        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"db-{name}", tags: [ServiceDefaultsExtensions.ReadyTag]);

        if (builder.Configuration.GetValue("Database:MigrateOnStart", true))
        {
            builder.Services.AddHostedService(services => new MigrateOnStart<TContext>(services,
                services.GetRequiredService<ILogger<MigrateOnStart<TContext>>>(), ownerConnectionString, connectionString, insertOnlyTables));
        }

        return builder;
    }

    /// <summary>
    /// What every service's connections get unless its connection string says otherwise. Statements a service sends
    /// again and again are prepared once per connection (<c>Max Auto Prepare</c>): parsing and planning them each time
    /// was about a quarter of PostgreSQL's work per report submitted. A connection given back to the pool is not reset
    /// with a round trip of its own (<c>No Reset On Close</c>): no service leaves state in a session (only
    /// <c>SET LOCAL</c>, transaction-scoped advisory locks and <c>ON COMMIT DROP</c> tables).
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var tuned = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!Mentions(connectionString, "Max Auto Prepare", "MaxAutoPrepare")) tuned.MaxAutoPrepare = 128;
        if (!Mentions(connectionString, "Auto Prepare Min Usages", "AutoPrepareMinUsages")) tuned.AutoPrepareMinUsages = 2;
        if (!Mentions(connectionString, "No Reset On Close", "NoResetOnClose")) tuned.NoResetOnClose = true;
        return tuned.ConnectionString;
    }

    static bool Mentions(string connectionString, params string[] keys) =>
        connectionString.Split(';').Select(part => part.Split('=')[0].Trim())
            .Any(key => keys.Any(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Applies pending migrations before the service accepts requests. EF Core takes a database lock while migrating,
    /// so replicas that start together do not race.
    /// </summary>
    sealed class MigrateOnStart<TContext>(IServiceProvider services, ILogger<MigrateOnStart<TContext>> logger,
        string? ownerConnectionString, string serviceConnectionString, string[] insertOnlyTables) : IHostedService
        where TContext : DbContext
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            await using var owned = ownerConnectionString is null ? null : OwnerContext(scope.ServiceProvider, ownerConnectionString);
            var db = owned ?? scope.ServiceProvider.GetRequiredService<TContext>();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await db.Database.MigrateAsync(cancellationToken);
                    logger.LogInformation("Database of {Context} is at the latest migration", typeof(TContext).Name);
                    if (ownerConnectionString is not null)
                    {
                        await ServiceRole.GrantAsync(ownerConnectionString, serviceConnectionString, insertOnlyTables, cancellationToken);
                        // The owner's sessions are not kept idle in a pool for the life of the process.
                        using var owner = new Npgsql.NpgsqlConnection(ownerConnectionString);
                        Npgsql.NpgsqlConnection.ClearPool(owner);
                    }
                    return;
                }
                catch (Npgsql.NpgsqlException ex) when (attempt < 10 && !cancellationToken.IsCancellationRequested)
                {
                    // PostgreSQL may still be starting when the platform comes up; wait for it rather than die.
                    logger.LogWarning(ex, "Database of {Context} not reachable yet (attempt {Attempt}); retrying", typeof(TContext).Name, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
                }
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>The service's context, but connected as the owner: the same model and migrations, another login.</summary>
        static TContext OwnerContext(IServiceProvider services, string ownerConnectionString)
        {
            var options = new DbContextOptionsBuilder<TContext>()
                .UseNpgsql(ownerConnectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
                .UseSnakeCaseNamingConvention()
                .Options;
            return ActivatorUtilities.CreateInstance<TContext>(services, options);
        }
    }
}
