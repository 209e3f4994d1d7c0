using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Antq.Audit;
using Antq.Notification.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Notification.Api.ContactPoints;

/// <summary>
/// Where a unit's notices go: e-mail addresses, a webhook URL (refused if its host is or resolves to an internal address:
/// <see cref="WebhookAddressPolicy"/>) and the secret that signs it (16 to 200 characters, kept unless a new one is given), and how long the digest of submissions to each address gathers them (<c>00:30:00</c> or <c>PT30M</c>, one
/// minute to a day; empty: the service's default).
/// </summary>
public sealed record ContactPointRequest(IReadOnlyList<string>? Emails, string? WebhookUrl, string? WebhookSecret, string? DigestWindow = null);

/// <summary><see cref="DigestWindow"/>: the contact point's own window, if any; <see cref="EffectiveDigestWindow"/>: the one that applies.</summary>
public sealed record ContactPointResponse(string OrgUnitCode, IReadOnlyList<string> Emails, string? WebhookUrl, bool HasWebhookSecret,
    string? DigestWindow, string EffectiveDigestWindow, DateTimeOffset UpdatedAt, string UpdatedBy);

/// <summary>What the contact point endpoints take from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record ContactPointServices(NotificationDbContext Db, TimeProvider Clock, IOptions<NotificationOptions> Options,
    WebhookAddressPolicy Addresses, WebhookSecrets Secrets);

/// <summary>Contact points (đầu mối nhận thông báo) of units: set by the unit's own officers or an administrator.</summary>
public static class ContactPointsApi
{
    public const int MaxEmails = 20;
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 200;

    public static RouteGroupBuilder MapContactPointsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/contact-points").WithTags("Đầu mối nhận thông báo").RequireAuthorization().Problems(401, 403);
        group.MapGet("/{code}", GetContactPoint).WithName("getContactPoint")
            .WithSummary("Đầu mối nhận thông báo của một đơn vị")
            .WithDescription("Nơi thông báo của đơn vị `code` được gửi tới: các địa chỉ thư điện tử, địa chỉ webhook (không bao giờ trả về khóa ký, chỉ cho biết đã đặt hay chưa) và khoảng gom thư tổng hợp các báo cáo đã nộp. Cán bộ của chính đơn vị và quản trị viên xem được.")
            .Problems(404);
        group.MapPut("/{code}", PutContactPoint).WithName("putContactPoint")
            .WithSummary("Đặt đầu mối nhận thông báo của một đơn vị")
            .WithDescription("Đặt địa chỉ thư điện tử (tối đa 20), địa chỉ webhook (chỉ địa chỉ công khai: địa chỉ nội bộ, loopback, link-local bị từ chối, không theo chuyển hướng), khóa ký webhook (16–200 ký tự, giữ nguyên nếu không gửi khóa mới; lưu mã hóa) và khoảng gom thư tổng hợp (ví dụ `00:30:00` hoặc `PT30M`, từ 1 phút đến 1 ngày). Mọi thay đổi được ghi nhật ký, không ghi khóa ký.")
            .Problems(400, 404);
        return group;
    }

    public static async Task<Results<Ok<ContactPointResponse>, ProblemHttpResult>> GetContactPoint(string code, ClaimsPrincipal user,
        [AsParameters] ContactPointServices services, CancellationToken ct)
    {
        var (db, options) = (services.Db, services.Options);
        if (Forbidden(user, code) is { } forbidden) return forbidden;
        var contact = await db.Set<ContactPoint>().AsNoTracking().FirstOrDefaultAsync(c => c.OrgUnitCode == code, ct);
        if (contact is null)
        {
            return Problem(404, $"Đơn vị {code} chưa khai báo đầu mối nhận thông báo.");
        }

        return TypedResults.Ok(ToResponse(contact, options.Value.Digest.Window));
    }

    public static async Task<Results<Ok<ContactPointResponse>, ProblemHttpResult>> PutContactPoint(string code,
        ContactPointRequest request, HttpContext http, [AsParameters] ContactPointServices services)
    {
        var (db, clock, options, addresses, secrets) = services;
        var (user, ct) = (http.User, http.RequestAborted);
        if (Forbidden(user, code) is { } forbidden) return forbidden;
        // A unit code is at most 50 plain characters (the column's length): anything else is refused before the database sees it.
        if (code.Length > 50 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            return Problem(400, "Mã đơn vị chỉ gồm chữ cái không dấu, chữ số và các ký tự . _ -, tối đa 50 ký tự.");
        }

        var contact = await db.Set<ContactPoint>().FirstOrDefaultAsync(c => c.OrgUnitCode == code, ct);
        var (emails, url, window, errors) = Validate(request, hasSecret: !string.IsNullOrEmpty(contact?.ProtectedWebhookSecret));
        if (errors.Count == 0 && url is not null && await RefusedAddressAsync(new Uri(url), addresses, ct) is { } refusal)
        {
            errors["webhookUrl"] = [refusal];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors.TryGetValue("webhookUrl", out var urlErrors) && errors.Count == 1
                    ? urlErrors[0]
                    : "Thông tin đầu mối nhận thông báo chưa hợp lệ; xem chi tiết từng trường.", errors);
        }

        var before = contact is null ? null : Snapshot.Of(contact);
        if (contact is null)
        {
            contact = new ContactPoint { OrgUnitCode = code, UpdatedBy = "" };
            db.Add(contact);
        }

        contact.Emails = emails;
        contact.WebhookUrl = url;
        contact.DigestWindow = window;
        var secretChanged = false;
        if (url is null)
        {
            secretChanged = contact.ProtectedWebhookSecret is not null;
            contact.ProtectedWebhookSecret = null;
        }
        else if (!string.IsNullOrEmpty(request.WebhookSecret))
        {
            secretChanged = true;
            contact.ProtectedWebhookSecret = secrets.Protect(request.WebhookSecret);
        }

        contact.UpdatedAt = clock.GetUtcNow();
        contact.UpdatedBy = user.UserName() ?? "";
        // Every change is written to the platform's audit trail with the save itself: who, when, what changed (the
        // secret only as "set", "changed" or "removed", never its value).
        if (Snapshot.Changes(before, Snapshot.Of(contact), secretChanged) is { } changes)
        {
            db.AddAdministrativeAct(http, before is null ? "contact-point.created" : "contact-point.changed", $"contact-point/{code}", changes, clock);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(contact, options.Value.Digest.Window));
    }

    /// <summary>
    /// Why a webhook URL is refused by <paramref name="policy"/>, from the addresses its host resolves to now; null when
    /// allowed. A name that does not resolve (yet) is let through: every connection is checked again (<see cref="WebhookHttp"/>).
    /// </summary>
    static async Task<string?> RefusedAddressAsync(Uri url, WebhookAddressPolicy policy, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        IPAddress[] resolved;
        try
        {
            resolved = await WebhookAddressPolicy.ResolveAsync(url.Host, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }

        return policy.FirstRefused(resolved) is { } refused ? WebhookHttp.RefusalOf(url.Host, refused) : null;
    }

    /// <summary>What the audit trail shows of a contact point: everything but the secret, which only shows whether there is one.</summary>
    sealed record Snapshot(string Emails, string? WebhookUrl, bool HasSecret, string? DigestWindow)
    {
        public static Snapshot Of(ContactPoint c) => new(string.Join(", ", c.Emails), c.WebhookUrl, c.ProtectedWebhookSecret is not null,
            c.DigestWindow is { } w ? Digests.DigestWindow.Format(w) : null);

        /// <summary>The changes from <paramref name="before"/> (null: a new contact point) to <paramref name="after"/>; null when none.</summary>
        public static string? Changes(Snapshot? before, Snapshot after, bool secretChanged)
        {
            var changes = new List<string>();
            static string Show(string? value) => string.IsNullOrEmpty(value) ? "(không có)" : value;
            void Compare(string what, string? was, string? now)
            {
                if (Show(was) != Show(now)) changes.Add($"{what}: {Show(was)} → {Show(now)}");
            }

            Compare("e-mail", before?.Emails, after.Emails);
            Compare("webhook", before?.WebhookUrl, after.WebhookUrl);
            if (secretChanged)
                changes.Add(!after.HasSecret ? "khóa bí mật: đã xóa" : before?.HasSecret == true ? "khóa bí mật: đã thay" : "khóa bí mật: đã đặt");
            Compare("khoảng gom thư", before?.DigestWindow, after.DigestWindow);
            // A new contact point is an act even when it says nothing yet.
            return changes.Count > 0 ? string.Join("; ", changes) : before is null ? "(chưa khai báo gì)" : null;
        }
    }

    /// <summary>
    /// Addresses that MimeKit reads as exactly one mailbox with a domain; an absolute http(s) URL; a secret of 16
    /// characters or more; a digest window from one minute to a day (<see cref="DigestWindow"/>), or none.
    /// </summary>
    public static (List<string> Emails, string? Url, TimeSpan? DigestWindow, Dictionary<string, string[]> Errors) Validate(ContactPointRequest request,
        bool hasSecret)
    {
        var errors = new Dictionary<string, string[]>();
        var emails = new List<string>();
        var given = request.Emails ?? [];
        if (given.Count > MaxEmails) errors["emails"] = [$"Chỉ được khai báo tối đa {MaxEmails} địa chỉ e-mail."];
        for (var i = 0; i < given.Count && given.Count <= MaxEmails; i++)
        {
            var text = given[i]?.Trim() ?? "";
            if (!IsEmail(text))
            {
                errors[$"emails[{i}]"] = [$"Địa chỉ e-mail \"{text}\" không hợp lệ."];
                continue;
            }

            if (!emails.Contains(text, StringComparer.OrdinalIgnoreCase)) emails.Add(text);
        }

        string? url = null;
        if (!string.IsNullOrWhiteSpace(request.WebhookUrl))
        {
            if (Uri.TryCreate(request.WebhookUrl.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
                !string.IsNullOrEmpty(uri.Host) && string.IsNullOrEmpty(uri.UserInfo))
            {
                url = uri.ToString();
            }
            else
            {
                errors["webhookUrl"] = ["Địa chỉ webhook phải là một URL đầy đủ bắt đầu bằng http:// hoặc https://."];
            }
        }

        if (!string.IsNullOrEmpty(request.WebhookSecret) && request.WebhookSecret.Length is < MinSecretLength or > MaxSecretLength)
        {
            errors["webhookSecret"] = [$"Khóa bí mật ký webhook phải có từ {MinSecretLength} đến {MaxSecretLength} ký tự."];
        }
        else if (url is not null && string.IsNullOrEmpty(request.WebhookSecret) && !hasSecret)
        {
            errors["webhookSecret"] = [$"Cần khai báo khóa bí mật (ít nhất {MinSecretLength} ký tự) để ký các thông báo gửi tới webhook."];
        }

        TimeSpan? window = null;
        if (!string.IsNullOrWhiteSpace(request.DigestWindow))
        {
            if (Digests.DigestWindow.TryParse(request.DigestWindow, out var parsed)) window = parsed;
            else errors["digestWindow"] = [$"Khoảng gom thư tổng hợp \"{request.DigestWindow.Trim()}\" không hợp lệ. {Digests.DigestWindow.Error}"];
        }

        return (emails, url, window, errors);
    }

    static bool IsEmail(string text) =>
        text.Length is > 0 and <= 254 &&
        MailboxAddress.TryParse(text, out var mailbox) && mailbox.Address == text &&
        mailbox.Address.IndexOf('@') is var at && at > 0 && mailbox.Address[(at + 1)..].Contains('.');

    static ProblemHttpResult? Forbidden(ClaimsPrincipal user, string code)
    {
        if (user.IsInRole(AntqRoles.Admin)) return null;
        var officer = user.IsInRole(AntqRoles.ProvinceOfficer) || user.IsInRole(AntqRoles.DistrictOfficer) || user.IsInRole(AntqRoles.CommuneOfficer);
        if (officer && user.OrgUnitCode() == code) return null;
        return Problem(403, $"Chỉ cán bộ của đơn vị {code} hoặc quản trị hệ thống được khai báo đầu mối nhận thông báo của đơn vị này.");
    }

    static ContactPointResponse ToResponse(ContactPoint c, TimeSpan defaultWindow) =>
        new(c.OrgUnitCode, c.Emails, c.WebhookUrl, c.ProtectedWebhookSecret is not null,
            c.DigestWindow is { } own ? Digests.DigestWindow.Format(own) : null, Digests.DigestWindow.Format(c.DigestWindow ?? defaultWindow),
            c.UpdatedAt, c.UpdatedBy);
}
