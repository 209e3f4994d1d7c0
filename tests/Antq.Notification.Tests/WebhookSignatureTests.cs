using System.Security.Cryptography;
using System.Text;
using Antq.Notification.Api.Webhooks;

namespace Antq.Notification.Tests;

/// <summary>The webhook's signature over its timestamp and body, and the verifier receivers copy (docs/webhooks.md).</summary>
public sealed class WebhookSignatureTests
{
    const string Secret = "khoa-bi-mat-cua-xa-nghia-son";
    static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"6f1c","kind":"overdue","title":"Quá hạn nộp báo cáo"}""");
    static readonly DateTimeOffset SentAt = new(2026, 12, 7, 1, 2, 3, TimeSpan.Zero);

    [Fact]
    public void The_header_is_the_timestamp_and_the_hmac_sha256_of_timestamp_dot_body()
    {
        var header = WebhookSignature.Sign(Body, Secret, SentAt);
        var t = SentAt.ToUnixTimeSeconds();
        // Computed here independently: HMAC-SHA256 of "<t>." followed by the body's bytes.
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), (byte[])[.. Encoding.ASCII.GetBytes($"{t}."), .. Body]));
        Assert.Equal($"t={t},v1={expected}", header);
    }

    [Fact]
    public void A_signature_verifies_with_its_timestamp_within_the_replay_window()
    {
        var header = WebhookSignature.Sign(Body, Secret, SentAt);
        Assert.True(WebhookSignature.Verify(Body, Secret, header, SentAt));
        Assert.True(WebhookSignature.Verify(Body, Secret, header, SentAt.AddMinutes(4)));
        Assert.True(WebhookSignature.Verify(Body, Secret, header, SentAt.AddMinutes(-4))); // the receiver's clock a little behind
        Assert.True(WebhookSignature.Verify(Body, Secret, header, SentAt.AddMinutes(9), replayWindow: TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void A_replay_outside_the_window_is_refused()
    {
        var header = WebhookSignature.Sign(Body, Secret, SentAt);
        Assert.Equal(TimeSpan.FromMinutes(5), WebhookSignature.DefaultReplayWindow);
        Assert.False(WebhookSignature.Verify(Body, Secret, header, SentAt.AddMinutes(5).AddSeconds(1)));
        Assert.False(WebhookSignature.Verify(Body, Secret, header, SentAt.AddHours(3)));
        Assert.False(WebhookSignature.Verify(Body, Secret, header, SentAt.AddMinutes(-6)));
        Assert.False(WebhookSignature.Verify(Body, Secret, header, SentAt.AddMinutes(2), replayWindow: TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_tampered_body_timestamp_secret_or_header_is_refused()
    {
        var header = WebhookSignature.Sign(Body, Secret, SentAt);
        var tampered = Body.ToArray();
        tampered[^3] ^= 1;
        Assert.False(WebhookSignature.Verify(tampered, Secret, header, SentAt));
        Assert.False(WebhookSignature.Verify(Body, Secret + "x", header, SentAt));

        // A captured signature moved to a fresh timestamp no longer matches.
        var t = SentAt.ToUnixTimeSeconds();
        var later = SentAt.AddHours(1);
        var moved = header.Replace($"t={t}", $"t={later.ToUnixTimeSeconds()}");
        Assert.False(WebhookSignature.Verify(Body, Secret, moved, later));

        // The old format (no timestamp), a missing or malformed header: refused.
        var bare = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Body));
        Assert.False(WebhookSignature.Verify(Body, Secret, bare, SentAt));
        Assert.False(WebhookSignature.Verify(Body, Secret, null, SentAt));
        Assert.False(WebhookSignature.Verify(Body, Secret, header.Split(',')[1], SentAt));
        Assert.False(WebhookSignature.Verify(Body, Secret, header.Split(',')[0], SentAt));
        Assert.False(WebhookSignature.Verify(Body, Secret, header + "0", SentAt));
    }
}
