using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Antq.Notification.Api.Deliveries;

/// <summary>What a channel needs to send one delivery: the delivery, its notice (with the text fixed), and for a webhook the unit's secret.</summary>
public sealed record Outgoing(Delivery Delivery, Notice Notice, string? WebhookSecret);

/// <summary>
/// E-mail through SMTP (MailKit). One message per address, whose Message-ID comes from the delivery's idempotency key:
/// a message sent again after a crash carries the same Message-ID (and <c>X-Antq-Idempotency-Key</c>), so a mailbox or
/// a person can tell it is the same notice.
/// </summary>
public sealed class EmailChannel(IOptions<NotificationOptions> options)
{
    public const string IdempotencyHeader = "X-Antq-Idempotency-Key";

    /// <summary>
    /// Sends the messages over one connection, calling <paramref name="recorded"/> with each one's result (null on
    /// success, else the error) as soon as the server has answered for it, so that it is recorded before the next goes.
    /// </summary>
    public async Task SendAsync(IReadOnlyList<Outgoing> batch, Func<Outgoing, string?, Task> recorded, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        var settings = options.Value.Smtp;
        using var client = new SmtpClient { Timeout = (int)options.Value.Dispatcher.SendTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, Enum.Parse<SecureSocketOptions>(settings.Security, ignoreCase: true), ct);
            if (!string.IsNullOrEmpty(settings.UserName)) await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            foreach (var item in batch) await recorded(item, $"SMTP {settings.Host}:{settings.Port}: {ex.GetType().Name}: {ex.Message}");
            return;
        }

        var sent = 0;
        foreach (var item in batch)
        {
            string? error = null;
            try
            {
                await client.SendAsync(Build(item, settings), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = $"{ex.GetType().Name}: {ex.Message}";
            }

            await recorded(item, error);
            sent++;
            if (error is not null && !client.IsConnected) break;
        }

        foreach (var item in batch.Skip(sent)) await recorded(item, "SMTP connection lost before sending");
        try { await client.DisconnectAsync(true, ct); }
        catch (Exception) { /* every message is already recorded as sent or failed */ }
    }

    public static MimeMessage Build(Outgoing item, SmtpSettings settings)
    {
        var notice = item.Notice;
        var message = new MimeMessage
        {
            MessageId = Delivery.MessageIdFor(item.Delivery.IdempotencyKey),
            Subject = notice.Title ?? "",
            Date = notice.SentAt ?? notice.DueAt,
            Body = new TextPart("plain")
            {
                Text = $"{notice.Body}\n\n--\nThư tự động của Hệ thống báo cáo phong trào toàn dân bảo vệ an ninh Tổ quốc. Vui lòng không trả lời thư này.\n",
            },
        };
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(item.Delivery.Recipient));
        message.Headers.Add(IdempotencyHeader, item.Delivery.IdempotencyKey);
        message.Headers.Add("X-Antq-Notice-Id", notice.Id.ToString());
        message.Headers.Add("X-Antq-Kind", notice.Kind);
        return message;
    }
}

/// <summary>
/// A unit's webhook: POST of the notice as JSON, signed (<c>X-Antq-Signature</c>, over a timestamp and the body:
/// <see cref="WebhookSignature"/>) with the unit's secret and carrying <c>Idempotency-Key</c>: a receiver that keeps the
/// keys it has seen acts on each notice exactly once. The client (<see cref="WebhookHttp"/>) connects only to allowed
/// addresses, follows no redirect and gives up after <c>Notification:Webhooks:Timeout</c>.
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory clients)
{
    public const string ClientName = "webhooks";
    public const string IdempotencyHeader = "Idempotency-Key";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Vietnamese stays readable in the body a receiver logs; the signature covers the exact bytes either way.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public sealed record Payload(Guid Id, string Kind, string OrgUnitCode, string Period, string Title, string Body, DateTimeOffset? SentAt, bool Late);

    public static byte[] BodyOf(Notice notice) => JsonSerializer.SerializeToUtf8Bytes(
        new Payload(notice.Id, notice.Kind, notice.OrgUnitCode, notice.Period, notice.Title ?? "", notice.Body ?? "", notice.SentAt, notice.Late), Json);

    /// <summary>Null on a 2xx answer, otherwise the error (a redirect included: it is not followed).</summary>
    public async Task<string?> SendAsync(Outgoing item, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(item.WebhookSecret)) return "Đơn vị chưa có khóa bí mật để ký webhook";
        var body = BodyOf(item.Notice);
        using var request = new HttpRequestMessage(HttpMethod.Post, item.Delivery.Recipient)
        {
            Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json; charset=utf-8" } } },
        };
        // Signed at each attempt, with the time of the wire (the system clock, not the platform's, which local mode and
        // tests shift): the receiver compares it with its own clock.
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(body, item.WebhookSecret, DateTimeOffset.UtcNow));
        request.Headers.Add(IdempotencyHeader, item.Delivery.IdempotencyKey);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? null
                : status is >= 300 and < 400 ? $"HTTP {status} {response.ReasonPhrase}: webhook không theo chuyển hướng ({response.Headers.Location})"
                : $"HTTP {status} {response.ReasonPhrase}";
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return (ex as WebhookAddressRefusedException ?? ex.InnerException as WebhookAddressRefusedException)?.Message
                   ?? $"{ex.GetType().Name}: {ex.Message}";
        }
    }
}
