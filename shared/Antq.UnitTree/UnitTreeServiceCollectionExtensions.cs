using Antq.Messaging.Copies;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.UnitTree;

public static class UnitTreeServiceCollectionExtensions
{
    /// <summary>The copy's rows as its source keys and versions them: a unit version by id, by the change that last wrote it.</summary>
    public const string CopyRows = "SELECT id::text AS key, change_sequence AS version FROM unit_tree_versions";

    /// <summary>
    /// Keeps a copy of the unit tree in <typeparamref name="TContext"/> (whose model calls
    /// <see cref="UnitTreeModelBuilderExtensions.AddUnitTree"/> and has the outbox). At start and on a schedule it
    /// compares itself with the Plan service's tree (<see cref="CopyHealingServiceCollectionExtensions.AddCopyHealing{TContext}"/>),
    /// which re-publishes every version the copy lacks or holds older, wherever in the history the gap is: a copy that
    /// started late, whose queue did not exist when changes were published, that lost a message, or whose database was
    /// restored. Register it after the DbContext, so that migrations run first; add the consumer with <see cref="AddUnitTreeConsumer"/>.
    /// </summary>
    public static IServiceCollection AddUnitTree<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        services.AddScoped(sp => new UnitTreeDb(sp.GetRequiredService<TContext>()));
        services.AddCopyHealing<TContext>(CopyNames.UnitTree, CopyRows);
        return services;
    }

    public static IBusRegistrationConfigurator AddUnitTreeConsumer(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OrgUnitsChangedConsumer>();
        return bus;
    }
}
