using Antq.Testing;
using RabbitMQ.Client;

namespace Antq.Messaging.IntegrationTests.Infrastructure;

public static class Queues
{
    /// <summary>Messages in a queue now (a passive declare: exact, unlike the management API's sampled figures); 0 for a queue never made.</summary>
    public static async Task<uint> DepthAsync(this TestVirtualHost virtualHost, string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(virtualHost.AmqpUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }
}
