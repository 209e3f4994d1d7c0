using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Indicators;

/// <summary>The published catalogue versions: the one in force, and any version a report was saved under.</summary>
public static class Catalogues
{
    public const string SystemUser = "system";

    // Published versions never change, so each is parsed once per process.
    static readonly ConcurrentDictionary<string, Catalogue> Parsed = new(StringComparer.Ordinal);

    /// <summary>The newest published version; the shipped default when none has been published yet.</summary>
    public static async Task<Catalogue> InForceAsync(this ReportingDbContext db, CancellationToken ct)
    {
        // The version's name only: its text (tens of kilobytes) is read once per process, when first needed.
        var version = await db.Catalogues.AsNoTracking().OrderByDescending(c => c.Sequence).Select(c => c.Version).FirstOrDefaultAsync(ct);
        return version is null ? Default : await db.VersionAsync(version, ct);
    }

    /// <summary>A version by its name (the one a report was saved under); the one in force if it is unknown.</summary>
    public static async Task<Catalogue> VersionAsync(this ReportingDbContext db, string version, CancellationToken ct)
    {
        if (Parsed.TryGetValue(version, out var cached)) return cached;
        var json = await db.Catalogues.AsNoTracking().Where(c => c.Version == version).Select(c => c.Json).FirstOrDefaultAsync(ct);
        if (json is not null) return Parsed.GetOrAdd(version, _ => Catalogue.Parse(json));
        return version == Default.Version ? Default : await db.InForceAsync(ct);
    }

    public static Catalogue Default => DefaultValue.Value;

    static readonly Lazy<Catalogue> DefaultValue = new(DefaultCatalogue.Load);

    /// <summary>Stores the shipped default as the first version when no catalogue has been published; safe with several replicas.</summary>
    public static async Task SeedDefaultAsync(this ReportingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Catalogues.AnyAsync(ct)) return;
        var json = Default.ToJson();
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO catalogue_versions (version, json, published_at, published_by)
            SELECT {Default.Version}, {json}::jsonb, {now}, {SystemUser}
            WHERE NOT EXISTS (SELECT 1 FROM catalogue_versions)
            ON CONFLICT DO NOTHING
            """, ct);
    }
}

/// <summary>Seeds the shipped catalogue after the migrations have run (hosted services start in order).</summary>
sealed class CatalogueSeeder(IServiceProvider services, TimeProvider clock, ILogger<CatalogueSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
            await db.SeedDefaultAsync(clock, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Reads fall back to the shipped default until a version is stored; never keep the service from starting.
            logger.LogWarning(ex, "Seeding the default catalogue failed");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
