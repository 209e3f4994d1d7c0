using System.Diagnostics;
using System.Text.Json;
using Antq.Contracts.Reporting;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Antq.Bench;

/// <summary>
/// bus: <c>ReportSubmitted</c> the way the product sends and receives it — an outbox row committed to a service's
/// database (<see cref="Outbox.AddOutboxMessage{T}"/>), published by the product's <see cref="OutboxDispatcher{TContext}"/>
/// with publisher confirms, and consumed by a MassTransit consumer that records it in the inbox
/// (<see cref="Inbox.HandleOnceAsync"/>) — against RabbitMQ.Client 7 publishing the same JSON bytes with confirms to a
/// durable queue of the same broker and consuming with manual acks. Beside them, MassTransit alone (publish with
/// confirms, a consumer without inbox), the figure this measurement gave before it went through the outbox. Each run in
/// a fresh virtual host (and the outbox in a fresh database); the three take turns, twice, half of the messages each time.
/// </summary>
static class BusBench
{
    const int Window = 100;

    public static async Task<object> RunAsync(int messages)
    {
        var message = new ReportSubmitted
        {
            ReportId = Guid.NewGuid(), OrgUnitCode = "14758", ReportsToCode = "14", Period = "2026-H1",
            SubmittedAt = DateTimeOffset.UtcNow, OnTime = true, SubmittedBy = "xa.hamrong", OccurredAt = DateTimeOffset.UtcNow,
        };

        double raw = 0, outbox = 0, masstransit = 0;
        long duplicates = 0, unsent = 0;
        int rawCount = 0, outboxCount = 0, masstransitCount = 0;
        // Where each path's messages spend CPU (this program hosts both ends of every path): the program, PostgreSQL,
        // RabbitMQ, the machine. The readings take in a run's set-up (a virtual host, a database), the same for each side.
        var rawCpu = new MachineCpu.Accumulator();
        var outboxCpu = new MachineCpu.Accumulator();
        var masstransitCpu = new MachineCpu.Accumulator();
        const string Self = "bench process";
        Profile? profile = null;
        for (var turn = 0; turn < 2; turn++)
        {
            var count = turn == 0 ? messages / 2 : messages - messages / 2;
            var before = MachineCpu.ReadServers(Self);
            var seconds = await RawAsync(message, count);
            rawCpu.Add(before, MachineCpu.ReadServers(Self), count);
            Console.WriteLine($"RabbitMQ.Client     : {count} published+consumed in {seconds:F2} s = {count / seconds:F0}/s");
            raw += seconds; rawCount += count;

            before = MachineCpu.ReadServers(Self);
            // The second turn's outbox run also says what PostgreSQL did: its statements and its sessions' waits.
            var (outboxSeconds, outboxDuplicates, outboxUnsent, outboxProfile) = await OutboxAsync(message, count, profiled: turn == 1);
            outboxCpu.Add(before, MachineCpu.ReadServers(Self), count);
            profile ??= outboxProfile;
            Console.WriteLine($"outbox → inbox      : {count} written, dispatched, consumed in {outboxSeconds:F2} s = {count / outboxSeconds:F0}/s");
            outbox += outboxSeconds; outboxCount += count; duplicates += outboxDuplicates; unsent += outboxUnsent;

            before = MachineCpu.ReadServers(Self);
            seconds = await MassTransitAsync(message, count);
            masstransitCpu.Add(before, MachineCpu.ReadServers(Self), count);
            Console.WriteLine($"MassTransit publish : {count} published+consumed in {seconds:F2} s = {count / seconds:F0}/s");
            masstransit += seconds; masstransitCount += count;
        }

        var cpuPerMessage = new Dictionary<string, Dictionary<string, double>>
        {
            ["outbox → inbox"] = outboxCpu.PerOperation(), ["RabbitMQ.Client"] = rawCpu.PerOperation(), ["MassTransit publish"] = masstransitCpu.PerOperation(),
        };
        foreach (var (path, perMessage) in cpuPerMessage)
            Console.WriteLine($"CPU ms per message, {path}: {string.Join(", ", perMessage.Select(c => $"{c.Key} {c.Value}"))}");
        foreach (var row in profile?.Statements ?? []) Console.WriteLine($"  pg: {row.calls_per_op} calls, {row.exec_ms_per_op} ms per message: {row.query}");
        if (profile is not null) Console.WriteLine($"  pg sessions by wait: {WaitSampler.Describe(profile.Waits)}");

        var rawRate = rawCount / raw;
        var outboxRate = outboxCount / outbox;
        var masstransitRate = masstransitCount / masstransit;
        return new
        {
            name = "bus",
            ours = Math.Round(outboxRate, 1),
            reference = Math.Round(rawRate, 1),
            ratio = Math.Round(outboxRate / rawRate, 3),
            seconds = Math.Round(outbox + raw + masstransit, 2),
            units = $"messages/s ({messages} ReportSubmitted in two turns; ours: outbox rows committed {Window} to a transaction → the product's outbox dispatcher (publisher confirms) → broker → MassTransit consumer recording each in the inbox, each in its own transaction; reference: RabbitMQ.Client publish with confirms in windows of {Window} → durable queue → consume with manual acks, same broker)",
            inbox_duplicates = duplicates,
            outbox_unsent_at_end = unsent,
            masstransit_publish_per_second = Math.Round(masstransitRate, 1),
            masstransit_publish_ratio = Math.Round(masstransitRate / rawRate, 3),
            cpu_ms_per_message = cpuPerMessage,
            pg_statements_per_message = profile?.Statements,
            pg_sessions_by_wait = profile?.Waits,
        };
    }

    /// <summary>Reference: RabbitMQ.Client 7, same broker, a durable queue, persistent messages, publisher confirms, manual acks.</summary>
    static async Task<double> RawAsync(ReportSubmitted message, int messages)
    {
        await using var vhost = await TestVirtualHost.CreateAsync("bench-raw");
        var factory = new ConnectionFactory { Uri = new Uri(vhost.AmqpUri) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var consumeChannel = await connection.CreateChannelAsync();
        await consumeChannel.QueueDeclareAsync("bench-raw", durable: true, exclusive: false, autoDelete: false);
        await consumeChannel.BasicQosAsync(0, (ushort)Math.Max(16, Environment.ProcessorCount * 2), false); // MassTransit's default prefetch
        var body = JsonSerializer.SerializeToUtf8Bytes(message);
        var received = 0;
        var target = messages + 1; // one warm-up message first, as the other two paths have
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(consumeChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            JsonSerializer.Deserialize<ReportSubmitted>(delivery.Body.Span);
            await consumeChannel.BasicAckAsync(delivery.DeliveryTag, false);
            if (Interlocked.Increment(ref received) == target) allIn.TrySetResult();
        };
        await consumeChannel.BasicConsumeAsync("bench-raw", autoAck: false, consumer);

        await using var publishChannel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        await publishChannel.BasicPublishAsync("", "bench-raw", false, properties, body);
        for (var wait = Stopwatch.StartNew(); Volatile.Read(ref received) == 0; await Task.Delay(1))
        {
            if (wait.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("raw: the warm-up message never arrived");
        }

        var started = Stopwatch.GetTimestamp();
        // A window of publishes awaited together (each waits for its confirm).
        for (var i = 0; i < messages; i += Window)
        {
            var batch = Enumerable.Range(i, Math.Min(Window, messages - i))
                .Select(_ => publishChannel.BasicPublishAsync("", "bench-raw", false, properties, body).AsTask());
            await Task.WhenAll(batch);
        }

        if (await Task.WhenAny(allIn.Task, Task.Delay(TimeSpan.FromMinutes(2))) != allIn.Task) throw new TimeoutException($"raw: {received - 1} of {messages}");
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// Ours: a small service of the bench's own, wired as every service is (AddAntqDbContext, AddAntqOutbox, AddAntqBus,
    /// the product's default outbox settings). Rows are committed a window at a time, the dispatcher publishes them
    /// as it does in production, and the consumer handles each through the inbox. Timed from the first row written
    /// until the last message's inbox row has committed.
    /// </summary>
    sealed record Profile(StatementProfile.StatementRow[] Statements, WaitSampler.WaitShare[] Waits);

    static async Task<(double Seconds, long Duplicates, long Unsent, Profile? Profile)> OutboxAsync(ReportSubmitted message, int messages, bool profiled)
    {
        await using var database = await TestDatabase.CreateAsync("bench-outbox");
        await using var vhost = await TestVirtualHost.CreateAsync("bench-outbox");
        var builder = Host.CreateApplicationBuilder();
        builder.Environment.ApplicationName = "Antq.Bench";
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:bench"] = database.ConnectionString,
            ["ConnectionStrings:rabbitmq"] = vhost.AmqpUri,
            ["Database:MigrateOnStart"] = "false",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var counter = new BenchCounter(messages);
        builder.Services.AddSingleton(counter);
        builder.AddAntqDbContext<BusBenchDbContext>("bench");
        builder.Services.AddAntqOutbox<BusBenchDbContext>(builder.Configuration);
        builder.AddAntqBus(bus => bus.AddConsumer<InboxBenchConsumer>());
        using var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BusBenchDbContext>().Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        try
        {
            var busControl = host.Services.GetRequiredService<IBusControl>();
            await busControl.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            async Task WriteAsync(int rows)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<BusBenchDbContext>();
                for (var i = 0; i < rows; i++) db.AddOutboxMessage(message);
                await db.SaveChangesAsync();
            }

            await WriteAsync(1); // warm-up: the whole path once (exchange, binding, pools)
            await counter.WarmedUp.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var databases = new Dictionary<string, string> { ["bench"] = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database! };
            var statementsProfiled = profiled && await StatementProfile.ResetAsync();
            var started = Stopwatch.GetTimestamp();
            async Task<bool> RunAsync()
            {
                for (var i = 0; i < messages; i += Window) await WriteAsync(Math.Min(Window, messages - i));
                // On a busy machine the path may be slow, so the wait scales with the count.
                return await Task.WhenAny(counter.AllIn.Task, Task.Delay(TimeSpan.FromSeconds(Math.Max(180, messages / 25.0)))) == counter.AllIn.Task;
            }

            var (allIn, waits, _) = profiled ? await WaitSampler.DuringAsync(databases, RunAsync) : (await RunAsync(), [], 0);
            if (!allIn) throw new TimeoutException($"outbox: {counter.Count} of {messages} consumed");
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var profile = profiled ? new Profile(statementsProfiled ? await StatementProfile.TopAsync(databases, messages, top: 8) : [], waits) : null;

            // The dispatcher marks a batch sent when its round commits, which may be just after the batch's last
            // message has been consumed: give it a moment before counting rows left unsent.
            long unsent = 0;
            for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(200))
            {
                await using var check = host.Services.CreateAsyncScope();
                unsent = await check.ServiceProvider.GetRequiredService<BusBenchDbContext>().Set<OutboxMessage>().LongCountAsync(m => m.SentAt == null);
                if (unsent == 0) break;
            }

            return (seconds, counter.Duplicates, unsent, profile);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>MassTransit as the product configures it (AddAntqBus: confirms, retry, kebab-case endpoints), published directly, no outbox or inbox.</summary>
    static async Task<double> MassTransitAsync(ReportSubmitted message, int messages)
    {
        await using var vhost = await TestVirtualHost.CreateAsync("bench-mt");
        var builder = Host.CreateApplicationBuilder();
        builder.Environment.ApplicationName = "Antq.Bench";
        builder.Configuration["ConnectionStrings:rabbitmq"] = vhost.AmqpUri;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var counter = new BenchCounter(messages);
        builder.Services.AddSingleton(counter);
        builder.AddAntqBus(bus => bus.AddConsumer<BenchConsumer>());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var busControl = host.Services.GetRequiredService<IBusControl>();
            await busControl.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
            var publish = host.Services.GetRequiredService<IPublishEndpoint>();
            await publish.Publish(message); // warm-up: creates the exchange and binding
            await counter.WarmedUp.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < messages; i += Window)
            {
                await Task.WhenAll(Enumerable.Range(i, Math.Min(Window, messages - i)).Select(_ => publish.Publish(message)));
            }

            if (await Task.WhenAny(counter.AllIn.Task, Task.Delay(TimeSpan.FromMinutes(2))) != counter.AllIn.Task) throw new TimeoutException($"MassTransit: {counter.Count} of {messages}");
            return Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        finally
        {
            await host.StopAsync();
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

/// <summary>Counts what a bench consumer received: the first message warms up, then the expected number.</summary>
sealed class BenchCounter(int expected)
{
    int count;
    long duplicates;

    public int Count => count;

    public long Duplicates => Interlocked.Read(ref duplicates);

    public TaskCompletionSource WarmedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource AllIn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Received()
    {
        if (!WarmedUp.Task.IsCompleted) { WarmedUp.TrySetResult(); return; }
        if (Interlocked.Increment(ref count) == expected) AllIn.TrySetResult();
    }

    public void Duplicate() => Interlocked.Increment(ref duplicates);
}

/// <summary>The bus measurement's service database: the outbox and inbox tables every service carries, and nothing else.</summary>
sealed class BusBenchDbContext(DbContextOptions<BusBenchDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}

/// <summary>A consumer as the product writes them: the message is handled once, its inbox row committed with the (here empty) work.</summary>
sealed class InboxBenchConsumer(BusBenchDbContext db, BenchCounter counter) : IConsumer<ReportSubmitted>
{
    public async Task Consume(ConsumeContext<ReportSubmitted> context)
    {
        if (await db.HandleOnceAsync<InboxBenchConsumer>(context, _ => Task.CompletedTask)) counter.Received();
        else counter.Duplicate();
    }
}
