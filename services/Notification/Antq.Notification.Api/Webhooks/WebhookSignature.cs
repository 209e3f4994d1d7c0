using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Antq.Notification.Api.Webhooks;

/// <summary>
/// The signature of a webhook: <c>X-Antq-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, where the hex is the
/// HMAC-SHA256, keyed with the unit's secret (UTF-8), of the ASCII timestamp, a dot, and the exact body bytes
/// (<c>t + "." + body</c>). A receiver recomputes it over the bytes it received, compares in constant time, and refuses
/// a timestamp further than its replay window from its own clock (default 5 minutes): a captured delivery cannot be
/// played again later, and a changed body or timestamp does not verify. A retry is signed again with a fresh timestamp;
/// the <c>Idempotency-Key</c> header tells a receiver it is the same notice.
/// This class uses nothing but the base library: a receiver written in .NET may copy it as it is (docs/webhooks.md).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Antq-Signature";

    /// <summary>The replay window a receiver applies unless it chooses another.</summary>
    public static readonly TimeSpan DefaultReplayWindow = TimeSpan.FromMinutes(5);

    /// <summary>The header's value for <paramref name="body"/> sent at <paramref name="at"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret, DateTimeOffset at)
    {
        var t = at.ToUnixTimeSeconds();
        return $"t={t.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Mac(t, body, secret))}";
    }

    /// <summary>
    /// True when <paramref name="header"/> carries a timestamp within <paramref name="replayWindow"/> (default
    /// <see cref="DefaultReplayWindow"/>) of <paramref name="now"/> and a <c>v1</c> signature of that timestamp and
    /// <paramref name="body"/> with <paramref name="secret"/>.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? header, DateTimeOffset now, TimeSpan? replayWindow = null)
    {
        if (string.IsNullOrEmpty(header) || header.Length > 1000) return false;
        long? t = null;
        var given = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return false;
            var (name, value) = (part[..eq].Trim(), part[(eq + 1)..].Trim());
            if (name == "t" && t is null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) t = seconds;
            else if (name == "v1" && value.Length == 64 && value.All(Uri.IsHexDigit)) given.Add(Convert.FromHexString(value));
        }

        if (t is not { } timestamp || given.Count == 0) return false;
        var window = replayWindow ?? DefaultReplayWindow;
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > window.TotalSeconds) return false;
        var expected = Mac(timestamp, body, secret);
        var ok = false;
        foreach (var signature in given) ok |= CryptographicOperations.FixedTimeEquals(expected, signature);
        return ok;
    }

    static byte[] Mac(long t, ReadOnlySpan<byte> body, string secret)
    {
        var prefix = Encoding.ASCII.GetBytes(t.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}
