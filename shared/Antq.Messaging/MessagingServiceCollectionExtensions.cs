using Antq.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Antq.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Runs the outbox dispatcher for <typeparamref name="TContext"/>. The context's model must call
    /// <see cref="MessagingModelBuilderExtensions.AddOutboxAndInbox"/>, and its options must take the registered
    /// <see cref="IInterceptor"/>s (as <c>AddAntqDbContext</c> does).
    /// </summary>
    public static IServiceCollection AddAntqOutbox<TContext>(this IServiceCollection services, IConfiguration configuration)
        where TContext : DbContext
    {
        services.AddSettings<OutboxOptions>(configuration, OutboxOptions.Section);
        // Every commit of a context's transaction, and a save or statement outside one that inserts outbox rows: stores
        // write outbox rows with their own batches on the context's transaction (Reporting's submission does), which
        // interception cannot see. The dispatcher's own rounds are quiet: they do not wake it again.
        services.AddCommitSignal<OutboxSignal>(insertsInto: [MessagingModelBuilderExtensions.OutboxTable], everyCommit: true);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxDispatcher<TContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher<TContext>>());
        // Its parked rows are dead letters (listed and redriven with the service's others), its backlog a metric.
        services.AddSingleton<OutboxDeadLetters<TContext>>();
        services.AddSingleton<IDeadLetterSource>(sp => sp.GetRequiredService<OutboxDeadLetters<TContext>>());
        // Its backlog on the status page (GET /api/status).
        services.AddSingleton<IOutboxBacklog, OutboxBacklog<TContext>>();
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TSignal"/> (a singleton) and has it notified whenever a transaction of a context of
    /// this process that inserts into <paramref name="insertsInto"/> or updates <paramref name="updatesOf"/> commits
    /// (<paramref name="everyCommit"/>: any transaction; see <see cref="CommitWatch"/>). Registering the same signal twice watches once.
    /// </summary>
    public static IServiceCollection AddCommitSignal<TSignal>(this IServiceCollection services, IReadOnlyCollection<string> insertsInto,
        IReadOnlyCollection<string>? updatesOf = null, bool everyCommit = false)
        where TSignal : CommitSignal, new()
    {
        if (services.Any(d => d.ServiceType == typeof(TSignal))) return services;
        services.AddSingleton<TSignal>();
        services.AddSingleton(sp => new CommitWatch(sp.GetRequiredService<TSignal>(), insertsInto, updatesOf, everyCommit));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor, CommitSignalInterceptor>());
        return services;
    }
}
