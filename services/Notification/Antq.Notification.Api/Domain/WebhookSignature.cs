using System.Security.Cryptography;
using System.Text;

namespace Antq.Notification.Api.Domain;

/// <summary>
/// The signature of a webhook body: <c>X-Antq-Signature: sha256=&lt;hex&gt;</c>, HMAC-SHA256 of the exact body bytes
/// with the unit's secret. A receiver recomputes it over the bytes it received and compares in constant time.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Antq-Signature";

    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? signature) =>
        signature is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body, secret)), Encoding.ASCII.GetBytes(signature));
}
