// Measurements against a reference in the same run, each printed as one JSON line (prefix "RESULT ") for deploy/bench.sh.
//
//   dotnet run -c Release --project bench/Antq.Bench -- gateway [--seconds 10] [--concurrency 16]
//   dotnet run -c Release --project bench/Antq.Bench -- bus [--messages 20000]
//   dotnet run -c Release --project bench/Antq.Bench -- recompute [--rounds 3] [--concurrency 4]   (see Recompute.cs)
//
// gateway: the Reporting service on a real socket (Kestrel, port 0) and the gateway in process on another, its
//   reporting cluster pointed at it; the same authenticated GET /api/indicators?period=2026-H1, Reporting service is sent directly and
//   through the gateway by a closed loop of `concurrency` workers for `seconds` each (client in the same process).
// bus: ReportSubmitted published with MassTransit (publisher confirms, as the product configures it) and consumed by a
//   MassTransit consumer, against RabbitMQ.Client 7 publishing the same JSON bytes with confirms to a durable queue of
//   the same broker and consuming with manual acks. Each in a fresh virtual host.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Antq.Bench;
using Antq.Contracts.Reporting;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

var mode = args.FirstOrDefault() ?? "gateway";
switch (mode)
{
    case "gateway": await Gateway(); break;
    case "bus": await BusBench(); break;
    case "recompute": Emit(await RecomputeBench.RunAsync(Option("--rounds", 3), Option("--concurrency", 4))); break;
    default: Console.Error.WriteLine($"unknown mode {mode}"); return 2;
}

return 0;

async Task Gateway()
{
    var seconds = Option("--seconds", 10);
    var concurrency = Option("--concurrency", 16);
    Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ANTQ_REPORTING_API",
        Path.Combine(TestEnvironment.Root, "services", "Reporting", "Antq.Reporting.Api"));
    Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ANTQ_GATEWAY", Path.Combine(TestEnvironment.Root, "gateway", "Antq.Gateway"));
    await using var database = await TestDatabase.CreateAsync("bench-gw");
    await using var vhost = await TestVirtualHost.CreateAsync("bench-gw");
    await using var service = new ServiceFactory<ReportingDbContext>("reporting", database, vhost);
    service.Settings["Logging:LogLevel:Default"] = "Warning";
    service.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error";
    service.UseKestrel(0);
    service.StartServer();
    var direct = AddressOf(service.Services);

    await using var gateway = new GatewayFactory(new Dictionary<string, string> { ["reporting"] = direct });
    gateway.UseKestrel(0);
    gateway.StartServer();
    var through = AddressOf(gateway.Services);

    var token = TestTokens.Issue("bench", AntqRoles.Admin, "BCA", TimeSpan.FromHours(1));
    const string path = "api/indicators?period=2026-H1";
    HttpClient Client(string baseAddress)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(baseAddress) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    using var directClient = Client(direct);
    using var gatewayClient = Client(through);
    var probe = await gatewayClient.GetAsync(path);
    if (!probe.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path} through the gateway: {(int)probe.StatusCode}");
    Console.WriteLine($"probe through gateway: {(int)probe.StatusCode}; direct {direct}, gateway {through}");

    // Warm up both paths (JIT, connection pools), then direct, gateway, direct, gateway: halves of `seconds` each, so
    // drift in the machine's other load hits both alike.
    await Loop(directClient, path, concurrency, TimeSpan.FromSeconds(2));
    await Loop(gatewayClient, path, concurrency, TimeSpan.FromSeconds(2));
    var d1 = await Loop(directClient, path, concurrency, TimeSpan.FromSeconds(seconds / 2.0));
    var g1 = await Loop(gatewayClient, path, concurrency, TimeSpan.FromSeconds(seconds / 2.0));
    var d2 = await Loop(directClient, path, concurrency, TimeSpan.FromSeconds(seconds / 2.0));
    var g2 = await Loop(gatewayClient, path, concurrency, TimeSpan.FromSeconds(seconds / 2.0));
    var d = LoopResult.Merge(d1, d2);
    var g = LoopResult.Merge(g1, g2);
    Console.WriteLine($"direct : {d}");
    Console.WriteLine($"gateway: {g}");

    // Added latency at low load: one request at a time, alternating, so queueing does not hide the hop itself.
    var addedDirect = new List<double>();
    var addedGateway = new List<double>();
    var serialDeadline = Stopwatch.StartNew();
    for (var i = 0; i < 3000 && serialDeadline.Elapsed < TimeSpan.FromSeconds(20); i++)
    {
        addedDirect.Add(await Time(directClient, path));
        addedGateway.Add(await Time(gatewayClient, path));
    }

    var p50Added = Percentile(addedGateway, 50) - Percentile(addedDirect, 50);
    var p99Added = Percentile(addedGateway, 99) - Percentile(addedDirect, 99);
    Console.WriteLine($"one at a time ({addedDirect.Count} each): direct p50 {Percentile(addedDirect, 50):F3} ms p99 {Percentile(addedDirect, 99):F3} ms; gateway p50 {Percentile(addedGateway, 50):F3} ms p99 {Percentile(addedGateway, 99):F3} ms");
    Emit(new
    {
        name = "gateway",
        ours = Math.Round(g.PerSecond, 1),
        reference = Math.Round(d.PerSecond, 1),
        ratio = Math.Round(g.PerSecond / d.PerSecond, 3),
        p50_ms = Math.Round(Percentile(g.Latencies, 50), 3),
        p99_ms = Math.Round(Percentile(g.Latencies, 99), 3),
        max_ms = Math.Round(g.Latencies.Max(), 3),
        seconds = Math.Round(g.Seconds + d.Seconds, 1),
        units = "requests/s (closed loop, authenticated GET /api/indicators?period=2026-H1, Reporting service)",
        reference_p50_ms = Math.Round(Percentile(d.Latencies, 50), 3),
        reference_p99_ms = Math.Round(Percentile(d.Latencies, 99), 3),
        errors = g.Errors + d.Errors,
        concurrency,
        added_p50_ms_one_at_a_time = Math.Round(p50Added, 3),
        added_p99_ms_one_at_a_time = Math.Round(p99Added, 3),
    });
}

async Task BusBench()
{
    var messages = Option("--messages", 20000);
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
    Emit(new
    {
        name = "bus",
        ours = Math.Round(messages / mtSeconds, 1),
        reference = Math.Round(messages / rawSeconds, 1),
        ratio = Math.Round(rawSeconds / mtSeconds, 3),
        seconds = Math.Round(mtSeconds + rawSeconds, 2),
        units = $"messages/s ({messages} ReportSubmitted, publish with confirms + consume, windows of 100)",
    });
}

static async Task<LoopResult> Loop(HttpClient client, string path, int concurrency, TimeSpan duration)
{
    var latencies = new List<double>[concurrency];
    var errors = 0;
    var started = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
    {
        var mine = latencies[w] = new List<double>(100_000);
        while (started.Elapsed < duration && mine.Count < 2_000_000)
        {
            var t = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
        }
    })));
    return new LoopResult(latencies.SelectMany(l => l).ToList(), started.Elapsed.TotalSeconds, errors);
}

static async Task<double> Time(HttpClient client, string path)
{
    var t = Stopwatch.GetTimestamp();
    using var response = await client.GetAsync(path);
    await response.Content.ReadAsByteArrayAsync();
    return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
}

static string AddressOf(IServiceProvider services) =>
    services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
}

static void Emit(object result)
{
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));
    using var self = Process.GetCurrentProcess();
    Console.WriteLine("MEMORY " + JsonSerializer.Serialize(new
    {
        process = $"Antq.Bench {Environment.GetCommandLineArgs().Skip(1).FirstOrDefault()} (benchmark client and servers in one process)",
        working_set_mb = Math.Round(self.WorkingSet64 / 1048576.0, 1),
        peak_working_set_mb = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1),
        managed_heap_mb = Math.Round(GC.GetTotalMemory(false) / 1048576.0, 1),
    }));
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

namespace Antq.Bench
{
    sealed record LoopResult(List<double> Latencies, double Seconds, int Errors)
    {
        public double PerSecond => Latencies.Count / Seconds;

        public static LoopResult Merge(LoopResult a, LoopResult b) => new([.. a.Latencies, .. b.Latencies], a.Seconds + b.Seconds, a.Errors + b.Errors);

        public override string ToString()
        {
            var sorted = Latencies.Order().ToList();
            return $"{Latencies.Count} requests in {Seconds:F1} s = {PerSecond:F0}/s, p50 {sorted[sorted.Count / 2]:F3} ms, p99 {sorted[(int)(sorted.Count * 0.99)]:F3} ms, errors {Errors}";
        }
    }

    /// <summary>The gateway in process, its clusters pointed at the given addresses (as the gateway's tests do).</summary>
    sealed class GatewayFactory(IReadOnlyDictionary<string, string> clusters) : WebApplicationFactory<Antq.Gateway.ClusterHealthCheck>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Auth:SigningKeyPem", TestTokens.PublicKeyPem);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (cluster, address) in clusters)
            {
                builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:d1:Address", address);
            }
        }
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
