using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Antq.Messaging;
using Antq.Settings;
using Microsoft.Extensions.Options;

namespace Antq.ServiceDefaults;

/// <summary>
/// MassTransit over RabbitMQ from configuration. <c>ConnectionStrings:rabbitmq</c> is an AMQP URI
/// (<c>amqp://user:password@host:port/vhost</c>). Queues are kebab-case with the service's prefix
/// (<c>Bus:EndpointPrefix</c>, default the service's short name). A consumer that fails retries at once a few times
/// with growing intervals; then a message that failed for its own reasons goes to the endpoint's <c>_error</c> queue (a
/// dead letter: <c>GET /api/dead-letters</c>, <c>deploy/antq dead-letters</c>), while one that failed because a
/// dependency is down stays in its queue and the endpoint pauses (<see cref="ConsumerOutageGuard"/>, settings
/// <c>Bus:Outage</c>).
/// <para>
/// Outside local mode and tests the durable receive queues (and with them their <c>_error</c> and <c>_skipped</c>
/// queues, which take the receive queue's arguments) are quorum queues, replicated on every node of a RabbitMQ cluster,
/// so that losing one node loses neither messages nor consumers (<c>Bus:QuorumQueues</c>, default true outside
/// <c>ANTQ_MODE=local</c> and the Testing environment). Temporary queues (the portal's live updates) stay classic:
/// a quorum queue cannot be auto-deleted. A queue's type cannot change in place: a broker whose queues were declared
/// classic must have them drained and deleted before a platform with quorum queues starts on it.
/// </para>
/// </summary>
public static class Bus
{
    public static IHostApplicationBuilder AddAntqBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        var uri = new Uri(builder.Configuration.GetConnectionString("rabbitmq") ?? "amqp://guest:guest@127.0.0.1:55672/antq");
        var prefix = builder.Configuration["Bus:EndpointPrefix"] ?? ShortName(builder.Environment.ApplicationName);

        var quorumQueues = QuorumQueues(builder.Configuration, builder.Environment);

        builder.Services.AddSettings<ConsumerOutageOptions>(builder.Configuration, ConsumerOutageOptions.Section);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix, false));
            configure?.Invoke(bus);
            bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
            {
                context.GetRequiredService<ReceiveQueues>().Add(queue);
                if (quorumQueues && endpoint is MassTransit.RabbitMqTransport.Configuration.IRabbitMqReceiveEndpointConfiguration { Settings: { Durable: true, AutoDelete: false } }
                    && endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                    rabbitEndpoint.SetQuorumQueue();
                ConsumerOutageGuard.Install(endpoint, queue, context.GetRequiredService<IOptions<ConsumerOutageOptions>>().Value, context.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping,
                    context.GetRequiredService<ILoggerFactory>().CreateLogger<ConsumerOutageGuard>());
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var (user, password) = Credentials(uri);
                var vhost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
                // amqps:// is TLS to the broker (required outside local mode, TransportSecurityOptions), on 5671 by default.
                var tls = uri.Scheme == "amqps";
                rabbit.Host(uri.Host, (ushort)(uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 5671 : 5672) : uri.Port), string.IsNullOrEmpty(vhost) ? "/" : vhost, host =>
                {
                    host.Username(user);
                    host.Password(password);
                    host.PublisherConfirmation = true;
                    if (tls)
                    {
                        host.UseSsl(ssl =>
                        {
                            ssl.ServerName = uri.Host;
                            ssl.Protocol = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
                        });
                    }
                    // The nodes of a RabbitMQ cluster that clients reach one by one (no load balancer in front): when the
                    // node a replica is connected to goes, it connects to the next (Bus:ClusterNodes, "host" or "host:port").
                    var nodes = builder.Configuration.GetSection("Bus:ClusterNodes").Get<string[]>() ?? [];
                    if (nodes.Length > 0) host.UseCluster(cluster => { foreach (var node in nodes) cluster.Node(node); });
                });

                rabbit.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400)));
                rabbit.ConfigureEndpoints(context);
            });
        });

        // Dead letters: the _error queues of this service's consumers, and whatever else registers a source (its outbox).
        builder.Services.AddSingleton<ReceiveQueues>();
        builder.Services.AddSingleton<IDeadLetterSource>(sp => new ErrorQueueDeadLetters(uri, sp.GetRequiredService<ReceiveQueues>()));
        builder.Services.AddSingleton(sp => new DeadLetterBook(prefix, sp.GetServices<IDeadLetterSource>()));
        // Its queues on the status page (GET /api/status), from the broker's management API.
        var management = BrokerQueues.ManagementUrlFor(uri, builder.Configuration["Bus:ManagementUrl"]);
        builder.Services.AddHttpClient(BrokerQueues.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(3));
        builder.Services.AddSingleton(sp => new BrokerQueues(uri, management, sp.GetRequiredService<ReceiveQueues>(), sp.GetRequiredService<IHttpClientFactory>()));

        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = false;
            options.StopTimeout = TimeSpan.FromSeconds(10);
        });

        return builder;
    }

    /// <summary>Whether durable receive queues are quorum queues: <c>Bus:QuorumQueues</c>, by default everywhere but local mode and tests.</summary>
    public static bool QuorumQueues(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>("Bus:QuorumQueues") ?? !PlatformClock.IsLocal(configuration, environment);

    /// <summary>"Antq.Reporting.Api" → "reporting".</summary>
    public static string ShortName(string applicationName)
    {
        var parts = applicationName.Split('.');
        var name = parts.Length >= 2 && parts[0] == "Antq" ? parts[1] : parts[0];
        return name.ToLowerInvariant();
    }

    static (string User, string Password) Credentials(Uri uri)
    {
        if (string.IsNullOrEmpty(uri.UserInfo)) return ("guest", "guest");
        var parts = uri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
