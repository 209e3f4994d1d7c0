using Antq.Contracts.Copies;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Antq.Messaging.Copies;

/// <summary>One copy a service keeps in <typeparamref name="TContext"/>: its name and the query of its rows as (<c>key</c>, <c>version</c>).</summary>
public sealed record CopyRegistration<TContext>(string Copy, string RowsSql)
    where TContext : DbContext;

public static class CopyHealingServiceCollectionExtensions
{
    /// <summary>
    /// Heals a copy kept in <typeparamref name="TContext"/> from another service's events: at start and every
    /// <see cref="CopyHealingOptions.Interval"/>, a digest of the rows <paramref name="rowsSql"/> selects (columns
    /// <c>key</c> text and <c>version</c> bigint, keyed and versioned as the source keys them) goes to the source as
    /// <see cref="ReconcileCopy"/>, through the outbox; the source re-publishes whatever differs. Register after the
    /// DbContext and the outbox, so that migrations run first.
    /// </summary>
    public static IServiceCollection AddCopyHealing<TContext>(this IServiceCollection services, string copy, string rowsSql)
        where TContext : DbContext
    {
        services.AddSingleton(new CopyRegistration<TContext>(copy, rowsSql));
        // Checked at start like every options class: one line per wrong key (Antq.Settings).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CopyHealingOptions>>(
            new Antq.Settings.SettingsValidation<CopyHealingOptions>(CopyHealingOptions.Section)));
        services.AddOptions<CopyHealingOptions>().BindConfiguration(CopyHealingOptions.Section).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<CopyReconciler<TContext>>(); // once per context, however many copies
        return services;
    }
}

/// <summary>
/// Sends the digest of each copy of <typeparamref name="TContext"/> to its source at start and on a schedule. The
/// request rides the outbox, so that it waits for the broker like any event; the answer is the source's ordinary events,
/// which the copy's consumers apply by version, so that a row the copy already has changes nothing.
/// </summary>
sealed class CopyReconciler<TContext>(IServiceScopeFactory scopes, IEnumerable<CopyRegistration<TContext>> copies, IOptions<CopyHealingOptions> options,
    IHostEnvironment environment, TimeProvider clock, IServiceProvider services, ILogger<CopyReconciler<TContext>> logger) : BackgroundService
    where TContext : DbContext
{
    /// <summary>How long the first round waits for the bus's endpoints before it asks anyway.</summary>
    static readonly TimeSpan BusPatience = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        var requestedBy = environment.ApplicationName;
        await WaitForEndpointsAsync(requestedBy, stoppingToken);
        for (var failures = 0; !stoppingToken.IsCancellationRequested;)
        {
            try
            {
                await ReconcileAsync(requestedBy, Math.Clamp(settings.Buckets, 1, CopyDigest.MaxBuckets), stoppingToken);
                failures = 0;
                await Task.Delay(settings.Interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be migrating, starting or away: try again soon, then back to the schedule.
                failures++;
                logger.LogWarning(ex, "Copies of {Service} could not be compared with their sources (attempt {Attempt}); retrying", requestedBy, failures);
                try { await Task.Delay(TimeSpan.FromSeconds(Math.Min(failures * 2, 60)), stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>
    /// The answer to a round is the source's ordinary events, on this service's own queues. MassTransit starts the bus
    /// after the host has started, and declares and binds those queues as it does: a round sent before then is answered
    /// to exchanges with no queue yet, and the answer is lost until the next round (an hour later by default; seen as a
    /// copy left empty after a restart whose queues were gone). So the first round waits until the bus reports its
    /// endpoints ready, or for <see cref="BusPatience"/> (the broker may be away: the round then rides the outbox).
    /// </summary>
    async Task WaitForEndpointsAsync(string requestedBy, CancellationToken stoppingToken)
    {
        if (services.GetService<IBusControl>() is not { } bus) return;
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested && waited.Elapsed < BusPatience)
        {
            if (await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(5)) == BusHealthStatus.Healthy) return;
        }

        if (!stoppingToken.IsCancellationRequested)
            logger.LogWarning("The bus of {Service} was not ready after {Seconds} s; its copies are compared with their sources anyway", requestedBy, (int)BusPatience.TotalSeconds);
    }

    async Task ReconcileAsync(string requestedBy, int buckets, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = clock.GetUtcNow();
        foreach (var copy in copies.DistinctBy(c => c.Copy))
        {
            var digest = await CopyDigest.ComputeAsync(db, copy.RowsSql, buckets, ct);
            db.AddOutboxMessage(new ReconcileCopy { Copy = copy.Copy, RequestedBy = requestedBy, BucketCount = buckets, Buckets = digest, OccurredAt = now }, clock);
            logger.LogDebug("Copy {Copy} of {Service}: digest of {Rows} rows sent to its source", copy.Copy, requestedBy, digest.Sum(b => b.Count));
        }

        await db.SaveChangesAsync(ct);
    }
}
