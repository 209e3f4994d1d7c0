using System.Net;
using System.Net.Sockets;

namespace Antq.Notification.Api.Webhooks;

/// <summary>A webhook address refused by <see cref="WebhookAddressPolicy"/>; the delivery fails with this message.</summary>
public sealed class WebhookAddressRefusedException(string host, IPAddress address)
    : HttpRequestException(WebhookHttp.RefusalOf(host, address))
{
    public IPAddress Address { get; } = address;
}

/// <summary>
/// The HTTP handler of webhooks. Its <see cref="SocketsHttpHandler.ConnectCallback"/> resolves the host itself and
/// connects only if every address it resolves to is allowed (<see cref="WebhookAddressPolicy"/>): the check is made on
/// the addresses actually connected to, at every new connection, so a name that resolves to a public address when the
/// contact point is saved and to an internal one later (DNS rebinding) is still refused. No proxy (it would connect for
/// us, past the check), no redirects (a 3xx answer is a failed delivery), no cookies.
/// </summary>
public static class WebhookHttp
{
    public static SocketsHttpHandler CreateHandler(WebhookAddressPolicy policy, TimeSpan connectTimeout) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = connectTimeout,
        // Connections are not kept for ever: a name is resolved (and checked) again at least this often.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, ct) => ConnectAsync(policy, context.DnsEndPoint, ct),
    };

    static async ValueTask<Stream> ConnectAsync(WebhookAddressPolicy policy, DnsEndPoint endpoint, CancellationToken ct)
    {
        var addresses = await WebhookAddressPolicy.ResolveAsync(endpoint.Host, ct);
        if (addresses.Length == 0) throw new HttpRequestException($"Tên miền {endpoint.Host} không phân giải được địa chỉ nào.");
        if (policy.FirstRefused(addresses) is { } refused) throw new WebhookAddressRefusedException(endpoint.Host, refused);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The Vietnamese reason an address is refused, for the delivery log and the contact point's validation.</summary>
    public static string RefusalOf(string host, IPAddress address)
    {
        var shown = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        var where = IPAddress.TryParse(host.Trim('[', ']'), out _) ? $"Địa chỉ {shown}" : $"Tên miền {host} trỏ tới địa chỉ {shown}";
        return $"{where} thuộc mạng nội bộ, loopback, link-local hoặc dải dành riêng: webhook không được gửi tới đó " +
               "(quản trị hệ thống có thể cho phép một mạng qua thiết lập Notification:Webhooks:AllowedNetworks).";
    }
}
