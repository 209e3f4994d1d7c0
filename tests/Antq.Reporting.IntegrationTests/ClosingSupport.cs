using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Antq.Reporting.Api.Data;
using Antq.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Antq.Reporting.IntegrationTests;

/// <summary>The real clock moved forward by hand: deadlines "a minute ahead" pass when the test says so. Timers stay real.</summary>
public sealed class AdjustableClock : TimeProvider
{
    long offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
}

/// <summary>One replica of the Reporting service on a given database and virtual host, with the test's clock and a fast closing job.</summary>
public sealed class ClockedReportingService : ServiceFactory<ReportingDbContext>
{
    readonly TimeProvider clock;

    public ClockedReportingService(TestDatabase database, TestVirtualHost virtualHost, TimeProvider clock, bool closingJob = true)
        : base("reporting", database, virtualHost)
    {
        this.clock = clock;
        Settings["Logging:LogLevel:Default"] = "Warning";
        Settings["Closing:PollInterval"] = "00:00:00.300";
        Settings["Closing:Enabled"] = closingJob ? "true" : "false";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(clock);
        });
    }
}

/// <summary>A queue of the test's own, bound to the exchange MassTransit publishes a message type to, read through the management API.</summary>
public sealed class BrokerTap
{
    static readonly HttpClient Api = CreateApi();

    readonly string vhost;
    readonly string queue;

    BrokerTap(string vhost, string queue)
    {
        this.vhost = vhost;
        this.queue = queue;
    }

    public static async Task<BrokerTap> BindAsync(TestVirtualHost virtualHost, string exchange)
    {
        var vhost = Uri.EscapeDataString(virtualHost.Name);
        var queue = $"test-tap-{Guid.NewGuid():N}";
        // The same declaration MassTransit makes for a published type: a durable fanout exchange.
        (await Api.PutAsync($"exchanges/{vhost}/{Uri.EscapeDataString(exchange)}", Json(new { type = "fanout", durable = true }))).EnsureSuccessStatusCode();
        (await Api.PutAsync($"queues/{vhost}/{queue}", Json(new { durable = true }))).EnsureSuccessStatusCode();
        (await Api.PostAsync($"bindings/{vhost}/e/{Uri.EscapeDataString(exchange)}/q/{queue}", Json(new { routing_key = "" }))).EnsureSuccessStatusCode();
        return new BrokerTap(virtualHost.Name, queue);
    }

    /// <summary>Takes every message waiting in the queue; each is the <c>message</c> of the MassTransit envelope.</summary>
    public async Task<List<JsonElement>> TakeAsync()
    {
        using var response = await Api.PostAsync($"queues/{Uri.EscapeDataString(vhost)}/{queue}/get",
            Json(new { count = 1000, ackmode = "ack_requeue_false", encoding = "auto" }));
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. doc.RootElement.EnumerateArray().Select(m =>
        {
            using var envelope = JsonDocument.Parse(m.GetProperty("payload").GetString()!);
            return envelope.RootElement.GetProperty("message").Clone();
        })];
    }

    static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    static HttpClient CreateApi()
    {
        var uri = new Uri(TestEnvironment.Amqp);
        var parts = uri.UserInfo.Split(':', 2);
        var user = parts.Length > 0 && parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : "guest";
        var password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "guest";
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.RabbitApi + "/api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }
}

public static class Waiting
{
    public static async Task ForAsync(Func<Task<bool>> condition, string what, int seconds = 30, Func<Task<string>>? state = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline && state is not null) what += $" ({await state()})";
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {seconds} s waiting for {what}");
            await Task.Delay(100);
        }
    }
}
