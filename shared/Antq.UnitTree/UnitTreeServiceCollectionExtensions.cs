using Antq.Contracts.Plan;
using Antq.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Antq.UnitTree;

public static class UnitTreeServiceCollectionExtensions
{
    /// <summary>
    /// Keeps a copy of the unit tree in <typeparamref name="TContext"/> (whose model calls
    /// <see cref="UnitTreeModelBuilderExtensions.AddUnitTree"/> and has the outbox): on start it asks the Plan service,
    /// through the outbox, to replay every change after the last one the copy holds. Register it after the DbContext,
    /// so that migrations run first; add the consumer with <see cref="AddUnitTreeConsumer"/>.
    /// </summary>
    public static IServiceCollection AddUnitTree<TContext>(this IServiceCollection services, string serviceName)
        where TContext : DbContext
    {
        services.AddScoped(sp => new UnitTreeDb(sp.GetRequiredService<TContext>()));
        services.AddHostedService(sp => new UnitTreeCatchUp<TContext>(
            sp.GetRequiredService<IServiceScopeFactory>(), serviceName, sp.GetRequiredService<ILogger<UnitTreeCatchUp<TContext>>>()));
        return services;
    }

    public static IBusRegistrationConfigurator AddUnitTreeConsumer(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OrgUnitsChangedConsumer>();
        return bus;
    }
}

/// <summary>
/// A copy that started late, whose queue did not exist when changes were published, or whose database was restored,
/// asks for what it missed. Replayed versions that it already has change nothing.
/// </summary>
sealed class UnitTreeCatchUp<TContext>(IServiceScopeFactory scopes, string serviceName, ILogger<UnitTreeCatchUp<TContext>> logger)
    : BackgroundService
    where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TContext>();
                var last = await db.LastChangeSequenceAsync(stoppingToken);
                db.AddOutboxMessage(new ReplayOrgUnitChanges { AfterSequence = last, RequestedBy = serviceName, OccurredAt = (scope.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow() });
                await db.SaveChangesAsync(stoppingToken);
                logger.LogInformation("Unit tree copy of {Service} asked for changes after {Sequence}", serviceName, last);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may still be migrating or starting; try again shortly.
                logger.LogWarning(ex, "Unit tree catch-up request of {Service} failed (attempt {Attempt}); retrying", serviceName, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt * 2, 30)), stoppingToken);
            }
        }
    }
}
