using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Antq.Messaging;

namespace Antq.ServiceDefaults;

/// <summary>One queue of the broker as its management API reports it.</summary>
/// <param name="Ready">Messages waiting for a consumer.</param>
/// <param name="Unacknowledged">Messages delivered to a consumer and not yet acknowledged.</param>
/// <param name="Consumers">Consumers attached (0 on a receive queue: nobody is reading it).</param>
public sealed record BrokerQueue(string Name, long Ready, long Unacknowledged, long Consumers);

/// <summary>
/// This service's queues on the broker (its consumers' receive queues and their <c>_error</c> queues), read from
/// RabbitMQ's management API: <c>Bus:ManagementUrl</c>, default <c>http://{the broker's host}:15672</c> (RabbitMQ's
/// own; <c>deploy/antq</c> sets its local port), with the user and password of <c>ConnectionStrings:rabbitmq</c> and
/// its virtual host. Only the status page asks; nothing reads it in the background.
/// </summary>
public sealed class BrokerQueues(Uri amqp, Uri managementUrl, ReceiveQueues queues, IHttpClientFactory clients)
{
    public const string HttpClientName = "rabbitmq-management";

    public Uri ManagementUrl => managementUrl;

    /// <summary>The management URL from <c>Bus:ManagementUrl</c>, or RabbitMQ's default port on the broker's host.</summary>
    public static Uri ManagementUrlFor(Uri amqp, string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? new Uri($"http://{amqp.Host}:15672/") : new Uri(configured.TrimEnd('/') + "/");

    /// <summary>Every queue of this service, receive queues first in name order, each followed by its <c>_error</c> queue where it exists.</summary>
    public async Task<IReadOnlyList<BrokerQueue>> ReadAsync(CancellationToken cancellationToken)
    {
        var vhost = Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/'));
        if (vhost.Length == 0) vhost = "/";
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(managementUrl, $"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,messages_ready,messages_unacknowledged,consumers"));
        var (user, password) = Credentials(amqp);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);

        var mine = queues.All.SelectMany(q => new[] { q, q + "_error" }).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, BrokerQueue>(StringComparer.Ordinal);
        foreach (var queue in body.RootElement.EnumerateArray())
        {
            var name = queue.GetProperty("name").GetString() ?? "";
            if (!mine.Contains(name)) continue;
            found[name] = new BrokerQueue(name, Number(queue, "messages_ready"), Number(queue, "messages_unacknowledged"), Number(queue, "consumers"));
        }

        return queues.All.SelectMany(q => new[] { q, q + "_error" }).Where(found.ContainsKey).Select(n => found[n]).ToList();
    }

    static long Number(JsonElement queue, string name) =>
        queue.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    static (string User, string Password) Credentials(Uri uri)
    {
        if (string.IsNullOrEmpty(uri.UserInfo)) return ("guest", "guest");
        var parts = uri.UserInfo.Split(':', 2);
        return (Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }
}
