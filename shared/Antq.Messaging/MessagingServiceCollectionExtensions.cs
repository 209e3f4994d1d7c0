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
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection("Outbox"));
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor, OutboxSignalInterceptor>());
        services.AddSingleton<OutboxDispatcher<TContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher<TContext>>());
        return services;
    }
}
