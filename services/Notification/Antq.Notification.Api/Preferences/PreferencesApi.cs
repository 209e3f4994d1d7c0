using System.Security.Claims;
using Antq.Notification.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Notification.Api.Preferences;

/// <summary>
/// How the caller wants to be told. Empty or missing values fall back to the defaults: <see cref="InApp"/> true,
/// <see cref="Email"/> false, <see cref="QuietHours"/> the service's (21:00-07:00), <see cref="RemindAt"/> none (a reminder
/// comes when it goes out), <see cref="DigestWindow"/> the unit's contact point's (00:15:00, 01:00:00, 1.00:00:00, PT1H…).
/// </summary>
public sealed record NotificationPreferencesRequest(bool? InApp, bool? Email, string? QuietHours, string? RemindAt, string? DigestWindow);

/// <summary>
/// The caller's preferences as set (null: not set); <see cref="DefaultQuietHours"/> and <see cref="DefaultRemindAt"/>: the
/// service's quiet hours and the hour its reminders go at, which apply where the account sets none;
/// <see cref="EffectiveDigestWindow"/>: the window that applies to the account's address. <see cref="EmailAddress"/>: the
/// account's address as Identity knows it, where <see cref="Email"/> sends.
/// </summary>
public sealed record NotificationPreferences(bool InApp, bool Email, string? EmailAddress, string? QuietHours, string? RemindAt,
    string? DigestWindow, string? DefaultQuietHours, string? DefaultRemindAt, string EffectiveDigestWindow, bool UnitHasWebhook,
    DateTimeOffset? UpdatedAt);

/// <summary>What saving the preferences takes from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record PreferenceServices(NotificationDbContext Db, TimeProvider Clock, IOptions<NotificationOptions> Options);

/// <summary>Each account's own notification preferences (tùy chọn nhận thông báo), read and set by the account itself.</summary>
public static class PreferencesApi
{
    public static RouteGroupBuilder MapPreferencesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications/preferences").WithTags("Thông báo").RequireAuthorization().Problems(401, 403, 404);
        group.MapGet("/", GetPreferences).WithName("getNotificationPreferences")
            .WithSummary("Tùy chọn nhận thông báo của tài khoản")
            .WithDescription("Các kênh nhận thông báo (hộp thông báo, e-mail tới địa chỉ của tài khoản), giờ nghỉ, giờ nhận nhắc hạn và khoảng gom thư tổng hợp các báo cáo đã nộp mà người dùng đang đăng nhập đã chọn, cùng giá trị đang áp dụng. 404 khi tài khoản chưa có trong danh sách người nhận.");
        group.MapPut("/", PutPreferences).WithName("putNotificationPreferences")
            .WithSummary("Đặt tùy chọn nhận thông báo của tài khoản")
            .WithDescription("Đặt kênh nhận (ít nhất một trong hộp thông báo và e-mail), giờ nghỉ (ví dụ `21:00-07:00`; không nhận nhắc hạn trong khoảng này), giờ nhận nhắc hạn (ví dụ `07:30`; nhắc hạn gửi sớm hơn giờ này được giữ đến giờ này, không được nằm trong giờ nghỉ) và khoảng gom thư tổng hợp (`00:15:00`, `01:00:00`, `1.00:00:00` hoặc ISO 8601 như `PT1H`, từ 1 phút đến 1 ngày). Để trống một trường: dùng giá trị mặc định. Giá trị sai: 400 với lỗi từng trường.")
            .Problems(400);
        return group;
    }

    public static async Task<Results<Ok<NotificationPreferences>, ProblemHttpResult>> GetPreferences(ClaimsPrincipal user, NotificationDbContext db,
        IOptions<NotificationOptions> options, CancellationToken ct)
    {
        if (await AccountAsync(user, db, ct) is not { } account) return NotKnown();
        var preferences = await db.Set<AccountPreferences>().AsNoTracking().FirstOrDefaultAsync(p => p.UserId == account.UserId, ct);
        return TypedResults.Ok(await ViewAsync(account, preferences, db, options.Value, ct));
    }

    public static async Task<Results<Ok<NotificationPreferences>, ProblemHttpResult>> PutPreferences(
        NotificationPreferencesRequest request, ClaimsPrincipal user, [AsParameters] PreferenceServices services, CancellationToken ct)
    {
        var (db, clock, options) = services;
        if (await AccountAsync(user, db, ct) is not { } account) return NotKnown();
        var errors = Validate(request, account.Email, options.Value.Reminders.ParseQuietHours());
        if (errors.Count > 0)
        {
            return Invalid(errors.Count == 1 ? errors.Values.Single()[0] : "Tùy chọn nhận thông báo chưa hợp lệ; xem chi tiết từng trường.", errors);
        }

        var preferences = await db.Set<AccountPreferences>().FirstOrDefaultAsync(p => p.UserId == account.UserId, ct);
        if (preferences is null)
        {
            preferences = new AccountPreferences { UserId = account.UserId };
            db.Add(preferences);
        }

        preferences.InApp = request.InApp ?? true;
        preferences.Email = request.Email ?? false;
        preferences.QuietHours = QuietHours.TryParse(request.QuietHours, out var quiet) ? quiet?.ToString() : null;
        preferences.RemindAt = QuietHours.TryParseTime(request.RemindAt, out var hour) ? QuietHours.Format(hour) : null;
        preferences.DigestWindow = DigestWindow.TryParse(request.DigestWindow, out var window) ? window : null;
        preferences.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ViewAsync(account, preferences, db, options.Value, ct));
    }

    /// <summary>Each wrong value with what it should look like, keyed by the request's field (camelCase), in Vietnamese.</summary>
    public static Dictionary<string, string[]> Validate(NotificationPreferencesRequest request, string? accountEmail, QuietHours? defaultQuiet)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.InApp == false && request.Email != true)
            errors["inApp"] = ["Cần chọn ít nhất một kênh nhận thông báo: hộp thông báo hoặc e-mail."];
        if (request.Email == true && string.IsNullOrWhiteSpace(accountEmail))
            errors["email"] = ["Tài khoản của bạn chưa có địa chỉ e-mail; đề nghị quản trị viên cập nhật địa chỉ trước khi chọn nhận thư."];

        var quietValid = QuietHours.TryParse(request.QuietHours, out var quiet);
        if (!quietValid)
            errors["quietHours"] = [$"Giờ nghỉ \"{request.QuietHours!.Trim()}\" không hợp lệ: ghi giờ bắt đầu và giờ kết thúc dạng giờ:phút, ví dụ 21:00-07:00 (hai giờ phải khác nhau)."];

        if (!string.IsNullOrWhiteSpace(request.RemindAt))
        {
            if (!QuietHours.TryParseTime(request.RemindAt, out var hour))
                errors["remindAt"] = [$"Giờ nhận nhắc hạn \"{request.RemindAt.Trim()}\" không hợp lệ: ghi dạng giờ:phút, ví dụ 07:30."];
            else if (quietValid && (quiet ?? defaultQuiet) is { } night && night.Contains(VietnamTime.At(new DateOnly(2026, 1, 1), hour)))
                errors["remindAt"] = [$"Giờ nhận nhắc hạn {QuietHours.Format(hour)} nằm trong giờ nghỉ {night}: chọn một giờ làm việc."];
        }

        if (!string.IsNullOrWhiteSpace(request.DigestWindow) && !DigestWindow.TryParse(request.DigestWindow, out _))
            errors["digestWindow"] = [$"Khoảng gom thư tổng hợp \"{request.DigestWindow.Trim()}\" không hợp lệ. {DigestWindow.Error}"];
        return errors;
    }

    static async Task<NotificationPreferences> ViewAsync(Recipient account, AccountPreferences? own, NotificationDbContext db, NotificationOptions options,
        CancellationToken ct)
    {
        var contact = await db.Set<ContactPoint>().AsNoTracking().FirstOrDefaultAsync(c => c.OrgUnitCode == account.OrgUnitCode, ct);
        var reminders = options.Reminders;
        return new NotificationPreferences(
            own?.InApp ?? true, own?.Email ?? false, account.Email, own?.QuietHours, own?.RemindAt,
            own?.DigestWindow is { } w ? DigestWindow.Format(w) : null,
            reminders.ParseQuietHours()?.ToString(),
            reminders.ParseRemindAt() is { } at ? QuietHours.Format(at) : null,
            DigestWindow.Format(own?.DigestWindow ?? contact?.DigestWindow ?? options.Digest.Window),
            contact?.WebhookUrl is not null, own?.UpdatedAt);
    }

    /// <summary>The caller's account in the copy of Identity's users, matched by the user name in the token.</summary>
    static Task<Recipient?> AccountAsync(ClaimsPrincipal user, NotificationDbContext db, CancellationToken ct)
    {
        var userName = user.UserName() ?? "";
        return db.Recipients.AsNoTracking().FirstOrDefaultAsync(r => r.UserName == userName, ct);
    }

    static ProblemHttpResult NotKnown() => Problem(404, "Tài khoản của bạn chưa có trong danh sách người nhận thông báo; thử lại sau ít phút.");
}
