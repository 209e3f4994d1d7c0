using System.Net.Http.Headers;
using System.Text;

namespace Antq.Testing;

/// <summary>
/// A fresh RabbitMQ virtual host, deleted on dispose. Exchanges are per virtual host, so tests that publish the same
/// message types never see each other's messages.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    static readonly HttpClient Api = CreateApiClient();

    TestVirtualHost(string name) => Name = name;

    public string Name { get; }

    /// <summary>amqp://user:password@host:port/vhost, the form <c>ConnectionStrings:rabbitmq</c> takes.</summary>
    public string AmqpUri => $"{TestEnvironment.Amqp}/{Uri.EscapeDataString(Name)}";

    public static async Task<TestVirtualHost> CreateAsync(string label)
    {
        var name = $"t-{label.ToLowerInvariant()}-{Guid.NewGuid():N}";
        var json = new StringContent("{}", Encoding.UTF8, "application/json");
        (await Api.PutAsync($"vhosts/{Uri.EscapeDataString(name)}", json)).EnsureSuccessStatusCode();
        var host = new TestVirtualHost(name);
        await host.GrantAsync();
        return host;
    }

    string PermissionsPath => $"permissions/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(User)}";

    async Task GrantAsync()
    {
        var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await Api.PutAsync(PermissionsPath, permissions)).EnsureSuccessStatusCode();
    }

    /// <summary>Messages waiting in a queue of this virtual host, as the broker's management API reports them.</summary>
    public async Task<int> QueueDepthAsync(string queue)
    {
        using var response = await Api.GetAsync($"queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}");
        if (!response.IsSuccessStatusCode) return 0;
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;
    }

    /// <summary>
    /// The broker becomes unreachable for this virtual host only, as in an outage of the broker that the tests sharing
    /// it do not see: the user loses its permissions on the virtual host (so that a connection opened a moment ago, which
    /// the management API does not list yet, cannot publish either), no connection may open (a limit of none) and the
    /// open ones are closed. <see cref="UnblockAsync"/> ends it.
    /// </summary>
    public async Task BlockAsync()
    {
        (await Api.DeleteAsync(PermissionsPath)).EnsureSuccessStatusCode();
        var limit = new StringContent("""{"value":0}""", Encoding.UTF8, "application/json");
        (await Api.PutAsync($"vhost-limits/{Uri.EscapeDataString(Name)}/max-connections", limit)).EnsureSuccessStatusCode();
        // The management API lists a connection a moment after it opens: close until none is listed on two readings in a
        // row, a second apart (one empty reading let a connection not yet listed carry a message through the "outage").
        var empty = 0;
        for (var round = 0; round < 30; round++)
        {
            using var response = await Api.GetAsync($"vhosts/{Uri.EscapeDataString(Name)}/connections?columns=name");
            response.EnsureSuccessStatusCode();
            using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var names = doc.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
            empty = names.Count == 0 ? empty + 1 : 0;
            if (empty >= 2 && round > 1) return;
            foreach (var name in names)
            {
                using var close = new HttpRequestMessage(HttpMethod.Delete, $"connections/{Uri.EscapeDataString(name)}");
                close.Headers.Add("X-Reason", "test outage");
                await Api.SendAsync(close);
            }

            await Task.Delay(names.Count == 0 ? 1000 : 500);
        }
    }

    /// <summary>Connections may open again (<see cref="BlockAsync"/>).</summary>
    public async Task UnblockAsync()
    {
        await GrantAsync();
        (await Api.DeleteAsync($"vhost-limits/{Uri.EscapeDataString(Name)}/max-connections")).EnsureSuccessStatusCode();
    }

    /// <summary>The names of this virtual host's queues: a service's endpoint exists once its queue does.</summary>
    public async Task<List<string>> QueuesAsync()
    {
        using var response = await Api.GetAsync($"queues/{Uri.EscapeDataString(Name)}?columns=name");
        response.EnsureSuccessStatusCode();
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. doc.RootElement.EnumerateArray().Select(q => q.GetProperty("name").GetString()!)];
    }

    /// <summary>Every queue of this virtual host with the messages it holds (ready and unacknowledged), as the management API last sampled them.</summary>
    public async Task<List<(string Name, long Messages)>> QueueDepthsAsync()
    {
        using var response = await Api.GetAsync($"queues/{Uri.EscapeDataString(Name)}?columns=name,messages");
        response.EnsureSuccessStatusCode();
        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. doc.RootElement.EnumerateArray().Select(q => (q.GetProperty("name").GetString()!,
            q.TryGetProperty("messages", out var messages) && messages.ValueKind == System.Text.Json.JsonValueKind.Number ? messages.GetInt64() : 0L))];
    }

    /// <summary>
    /// Deletes every queue of this virtual host whose name starts with <paramref name="prefix"/> (a stopped service's
    /// queues): what is published until the service declares them again is lost to it, as when a queue is lost or purged.
    /// </summary>
    public async Task<int> DeleteQueuesAsync(string prefix)
    {
        var names = (await QueuesAsync()).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        foreach (var name in names)
            (await Api.DeleteAsync($"queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(name)}")).EnsureSuccessStatusCode();
        return names.Count;
    }

    public async ValueTask DisposeAsync()
    {
        try { await Api.DeleteAsync($"vhosts/{Uri.EscapeDataString(Name)}"); }
        catch (HttpRequestException) { /* the broker may be down at the end of a fault test */ }
    }

    static string User => new Uri(TestEnvironment.Amqp).UserInfo.Split(':')[0] is { Length: > 0 } u ? Uri.UnescapeDataString(u) : "guest";

    static HttpClient CreateApiClient()
    {
        var uri = new Uri(TestEnvironment.Amqp);
        var parts = uri.UserInfo.Split(':', 2);
        var user = parts.Length > 0 && parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : "guest";
        var password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "guest";
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.RabbitApi + "/api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }
}
