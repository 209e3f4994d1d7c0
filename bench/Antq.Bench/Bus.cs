using System.Diagnostics;
using System.Text.Json;
using Antq.Contracts.Reporting;
using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Antq.Bench;

/// <summary>
/// bus: ReportSubmitted published with MassTransit (publisher confirms, as the product configures it) and consumed by a
/// MassTransit consumer, against RabbitMQ.Client 7 publishing the same JSON bytes with confirms to a durable queue of
/// the same broker and consuming with manual acks. Each in a fresh virtual host.
/// </summary>
static class BusBench
{
    public static async Task<object> RunAsync(int messages)
    {
        var message = new ReportSubmitted
        {
            ReportId = Guid.NewGuid(), OrgUnitCode = "14758", ReportsToCode = "14", Period = "2026-H1",
            SubmittedAt = DateTimeOffset.UtcNow, OnTime = true, SubmittedBy = "xa.hamrong", OccurredAt = DateTimeOffset.UtcNow,
        };

        // Reference: RabbitMQ.Client 7, same broker, a durable queue, persistent messages, publisher confirms, manual acks.
        double rawSeconds;
        await using (var vhost = await TestVirtualHost.CreateAsync("bench-raw"))
        {
            var factory = new ConnectionFactory { Uri = new Uri(vhost.AmqpUri) };
            await using var connection = await factory.CreateConnectionAsync();
            await using var consumeChannel = await connection.CreateChannelAsync();
            await consumeChannel.QueueDeclareAsync("bench-raw", durable: true, exclusive: false, autoDelete: false);
            await consumeChannel.BasicQosAsync(0, (ushort)Math.Max(16, Environment.ProcessorCount * 2), false); // MassTransit's default prefetch
            var body = JsonSerializer.SerializeToUtf8Bytes(message);
            var received = 0;
            var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = new AsyncEventingBasicConsumer(consumeChannel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                JsonSerializer.Deserialize<ReportSubmitted>(delivery.Body.Span);
                await consumeChannel.BasicAckAsync(delivery.DeliveryTag, false);
                if (Interlocked.Increment(ref received) == messages) allIn.TrySetResult();
            };
            await consumeChannel.BasicConsumeAsync("bench-raw", autoAck: false, consumer);

            await using var publishChannel = await connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
            var started = Stopwatch.GetTimestamp();
            // Same concurrency as the MassTransit side: a window of 100 publishes awaited together.
            for (var i = 0; i < messages; i += 100)
            {
                var batch = Enumerable.Range(i, Math.Min(100, messages - i))
                    .Select(_ => publishChannel.BasicPublishAsync("", "bench-raw", false, properties, body).AsTask());
                await Task.WhenAll(batch);
            }

            if (await Task.WhenAny(allIn.Task, Task.Delay(TimeSpan.FromMinutes(2))) != allIn.Task) throw new TimeoutException($"raw: {received} of {messages}");
            rawSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        Console.WriteLine($"RabbitMQ.Client: {messages} published+consumed in {rawSeconds:F2} s = {messages / rawSeconds:F0}/s");

        // Ours: MassTransit as the product configures it (AddAntqBus: confirms, retry, kebab-case endpoints).
        double mtSeconds;
        await using (var vhost = await TestVirtualHost.CreateAsync("bench-mt"))
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Environment.ApplicationName = "Antq.Bench";
            builder.Configuration["ConnectionStrings:rabbitmq"] = vhost.AmqpUri;
            builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
            var counter = new BenchCounter(messages);
            builder.Services.AddSingleton(counter);
            builder.AddAntqBus(bus => bus.AddConsumer<BenchConsumer>());
            using var host = builder.Build();
            await host.StartAsync();
            var busControl = host.Services.GetRequiredService<IBusControl>();
            await busControl.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            var publish = host.Services.GetRequiredService<IPublishEndpoint>();
            await publish.Publish(message); // warm-up: creates the exchange and binding
            await counter.WarmedUp.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < messages; i += 100)
            {
                await Task.WhenAll(Enumerable.Range(i, Math.Min(100, messages - i)).Select(_ => publish.Publish(message)));
            }

            if (await Task.WhenAny(counter.AllIn.Task, Task.Delay(TimeSpan.FromMinutes(2))) != counter.AllIn.Task) throw new TimeoutException($"MassTransit: {counter.Count} of {messages}");
            mtSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await host.StopAsync();
        }

        Console.WriteLine($"MassTransit    : {messages} published+consumed in {mtSeconds:F2} s = {messages / mtSeconds:F0}/s");
        return new
        {
            name = "bus",
            ours = Math.Round(messages / mtSeconds, 1),
            reference = Math.Round(messages / rawSeconds, 1),
            ratio = Math.Round(rawSeconds / mtSeconds, 3),
            seconds = Math.Round(mtSeconds + rawSeconds, 2),
            units = $"messages/s ({messages} ReportSubmitted, publish with confirms + consume, windows of 100)",
        };
    }

    sealed class BenchCounter(int expected)
    {
        int count;
        public int Count => count;
        public TaskCompletionSource WarmedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource AllIn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Received()
        {
            if (!WarmedUp.Task.IsCompleted) { WarmedUp.TrySetResult(); return; }
            if (Interlocked.Increment(ref count) == expected) AllIn.TrySetResult();
        }
    }

    sealed class BenchConsumer(BenchCounter counter) : IConsumer<ReportSubmitted>
    {
        public Task Consume(ConsumeContext<ReportSubmitted> context)
        {
            counter.Received();
            return Task.CompletedTask;
        }
    }
}
