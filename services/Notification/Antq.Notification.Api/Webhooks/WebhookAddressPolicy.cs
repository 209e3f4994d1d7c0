using System.Net;
using System.Net.Sockets;

namespace Antq.Notification.Api.Webhooks;

/// <summary>
/// Which addresses a webhook may reach. Refused unless an administrator allows their network
/// (<see cref="WebhookSettings.AllowedNetworks"/>): loopback, unspecified, private (10/8, 172.16/12, 192.168/16, fc00::/7),
/// link-local (169.254/16 with the cloud metadata address 169.254.169.254, fe80::/10), shared CGNAT (100.64/10),
/// multicast, broadcast and reserved ranges, the IETF and benchmarking ranges, and IPv6 forms that carry one of those
/// IPv4 addresses (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16). The check runs on the resolved
/// addresses of every connection (<see cref="WebhookHttp"/>) and when a contact point is saved.
/// </summary>
public sealed class WebhookAddressPolicy
{
    static readonly IPNetwork[] Internal =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    static readonly IPNetwork Ipv4Compatible = IPNetwork.Parse("::/96");

    readonly IPNetwork[] allowed;

    public WebhookAddressPolicy(IEnumerable<string>? allowedNetworks)
    {
        allowed = (allowedNetworks ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => ParseNetwork(n.Trim())).ToArray();
    }

    public static bool IsNetwork(string? text) => string.IsNullOrWhiteSpace(text) || IPNetwork.TryParse(text.Trim(), out _) || IPAddress.TryParse(text.Trim(), out _);

    /// <summary>Reads a CIDR network, or a single address as a network of one.</summary>
    public static IPNetwork ParseNetwork(string text) =>
        IPNetwork.TryParse(text, out var network) ? network
        : IPAddress.TryParse(text, out var address) ? new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
        : throw new FormatException($"Notification:Webhooks:AllowedNetworks: \"{text}\" is not a network (CIDR such as 10.20.0.0/16) or an address.");

    /// <summary>True when a webhook may connect to <paramref name="address"/>.</summary>
    public bool Allows(IPAddress address)
    {
        var candidates = Forms(address).ToList();
        if (candidates.Any(a => allowed.Any(n => n.BaseAddress.AddressFamily == a.AddressFamily && n.Contains(a)))) return true;
        return !candidates.Any(IsInternal);
    }

    /// <summary>The address itself, and for IPv6 the IPv4 address it carries, if any.</summary>
    static IEnumerable<IPAddress> Forms(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            yield return address.MapToIPv4();
            yield break;
        }

        yield return address;
        if (address.AddressFamily != AddressFamily.InterNetworkV6) yield break;
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address) || (Ipv4Compatible.Contains(address) && !address.Equals(IPAddress.IPv6Any) && !address.Equals(IPAddress.IPv6Loopback)))
            yield return new IPAddress(bytes[12..16]);
        if (SixToFour.Contains(address)) yield return new IPAddress(bytes[2..6]);
    }

    static bool IsInternal(IPAddress address) =>
        IPAddress.IsLoopback(address) || address.Equals(IPAddress.Broadcast) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal ||
        address.IsIPv6Multicast || Internal.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address));

    /// <summary>The addresses <paramref name="host"/> stands for: itself if it is an address, else what DNS answers.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, ct);
    }

    /// <summary>The first address of <paramref name="addresses"/> this policy refuses, if any.</summary>
    public IPAddress? FirstRefused(IEnumerable<IPAddress> addresses) => addresses.FirstOrDefault(a => !Allows(a));
}
