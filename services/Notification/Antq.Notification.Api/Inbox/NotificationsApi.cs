using System.Security.Claims;
using Antq.Notification.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Notification.Api.Inbox;

/// <summary>A notice in the caller's inbox; <see cref="Id"/> is the notice's, the same in the e-mail headers and the webhook body.</summary>
public sealed record InboxNotice(Guid Id, string Kind, string OrgUnitCode, string Period, string Title, string Body,
    DateTimeOffset CreatedAt, bool Read, bool Late, DateTimeOffset DueAt);

public sealed record DeliveryLogEntry(long Id, Guid NoticeId, string Kind, string OrgUnitCode, string Period, string Channel,
    string Recipient, string IdempotencyKey, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt,
    DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt, string? LastError);

public sealed record ScheduledNotice(Guid Id, string Kind, string Slot, string Status, DateTimeOffset DueAt, DateTimeOffset? DeadlineAt,
    DateTimeOffset? SentAt, bool Late, string? AudienceUnitCode, string? CancelReason, string? Title);

/// <summary>The inbox's filters: only the unread (<c>unread=true</c>), at most <c>limit</c> notices (1–500, 100 if not given).</summary>
public sealed record InboxQuery([FromQuery(Name = "unread")] bool? Unread, [FromQuery(Name = "limit")] int? Limit);

/// <summary>The delivery log's filters: by state, by channel, by notice; at most <c>limit</c> entries (1–1000, 200 if not given).</summary>
public sealed record DeliveryLogQuery(
    [FromQuery(Name = "status")] string? Status,
    [FromQuery(Name = "channel")] string? Channel,
    [FromQuery(Name = "noticeId")] Guid? NoticeId,
    [FromQuery(Name = "limit")] int? Limit);

/// <summary>What the inbox's endpoints take from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record InboxServices(NotificationDbContext Db, TimeProvider Clock);

/// <summary>A unit and a period, as the route names them.</summary>
public sealed record UnitPeriod([FromRoute(Name = "code")] string Code, [FromRoute(Name = "period")] string Period);

public sealed record ScheduleView(string OrgUnitCode, string Period, DateTimeOffset? DeadlineAt, string? Deadline, string ReportStatus,
    Guid? PlanId, IReadOnlyList<ScheduledNotice> Notices);

/// <summary>The caller's in-app inbox (hộp thông báo), the delivery log, and a unit's reminder schedule.</summary>
public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Thông báo").RequireAuthorization().Problems(401, 403);
        group.MapGet("/", GetInbox).WithName("getInbox")
            .WithSummary("Hộp thư thông báo của người dùng")
            .WithDescription("Các thông báo gửi tới người dùng đang đăng nhập (nhắc hạn, quá hạn, chuyển cấp, báo cáo được nộp, trả lại, duyệt), mới nhất trước; `unread=true` chỉ lấy thông báo chưa đọc; tối đa `limit` thông báo.");
        group.MapPost("/{id:guid}/read", MarkRead).WithName("markNotificationRead")
            .WithSummary("Đánh dấu thông báo đã đọc")
            .WithDescription("Đánh dấu thông báo `id` của người dùng đang đăng nhập là đã đọc; 404 khi không có thông báo đó trong hộp thư của người dùng.")
            .Problems(404);
        group.MapGet("/deliveries", GetDeliveries).WithName("getDeliveries")
            .WithSummary("Nhật ký gửi thư điện tử và webhook")
            .WithDescription("Các lần gửi thông báo qua thư điện tử và webhook, mới nhất trước, với trạng thái từng lần thử; lọc theo trạng thái (`status`), kênh (`channel`), thông báo (`noticeId`). Chỉ quản trị viên.");
        group.MapGet("/schedule/{code}/{period}", GetSchedule).WithName("getNotificationSchedule")
            .WithSummary("Lịch nhắc hạn của một đơn vị trong một kỳ")
            .WithDescription("Hạn nộp mà Notification đang giữ cho đơn vị `code` kỳ `period`, chính sách nhắc hạn áp dụng và các lần nhắc, báo quá hạn, chuyển cấp đã và sẽ gửi.")
            .Problems(404);
        return group;
    }

    /// <summary>
    /// The caller's notices, newest first by the moment each was meant for (its due time; for an event, when it
    /// happened): notices that went out together after a stop keep their order, whichever dispatcher sent which.
    /// </summary>
    public static async Task<Ok<List<InboxNotice>>> GetInbox([AsParameters] InboxQuery query, ClaimsPrincipal user, [AsParameters] InboxServices services, CancellationToken ct)
    {
        var (db, clock) = services;
        var (unread, limit) = query;
        var take = Math.Clamp(limit ?? 100, 1, 500);
        var items = InboxOf(user, db, clock.GetUtcNow());
        if (unread == true) items = items.Where(i => i.ReadAt == null);
        var list = await items
            .OrderByDescending(i => i.Notice!.DueAt).ThenByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
            .Take(take)
            .Select(i => new InboxNotice(i.NoticeId, i.Notice!.Kind, i.Notice.OrgUnitCode, i.Notice.Period, i.Notice.Title ?? "", i.Notice.Body ?? "",
                i.CreatedAt, i.ReadAt != null, i.Notice.Late, i.Notice.DueAt))
            .ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(Guid id, ClaimsPrincipal user, [AsParameters] InboxServices services, CancellationToken ct)
    {
        var (db, clock) = services;
        var item = await InboxOf(user, db, clock.GetUtcNow()).AsTracking().FirstOrDefaultAsync(i => i.NoticeId == id, ct);
        if (item is null)
        {
            return Problem(404, "Không tìm thấy thông báo này trong hộp thông báo của bạn.");
        }

        item.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>The delivery log, newest first: every attempt's state, for an administrator.</summary>
    public static async Task<Results<Ok<List<DeliveryLogEntry>>, ProblemHttpResult>> GetDeliveries([AsParameters] DeliveryLogQuery query,
        ClaimsPrincipal user, NotificationDbContext db, CancellationToken ct)
    {
        var (status, channel, noticeId, limit) = query;
        if (!user.IsInRole(AntqRoles.Admin))
        {
            return Problem(403, "Chỉ quản trị hệ thống được xem nhật ký gửi thông báo.");
        }

        var deliveries = db.Set<Delivery>().AsNoTracking();
        if (!string.IsNullOrEmpty(status)) deliveries = deliveries.Where(d => d.Status == status);
        if (!string.IsNullOrEmpty(channel)) deliveries = deliveries.Where(d => d.Channel == channel);
        if (noticeId is { } nid) deliveries = deliveries.Where(d => d.NoticeId == nid);
        var list = await deliveries
            .Join(db.Set<Notice>(), d => d.NoticeId, n => n.Id, (d, n) => new { d, n })
            .OrderByDescending(x => x.d.Id)
            .Take(Math.Clamp(limit ?? 200, 1, 1000))
            .Select(x => new DeliveryLogEntry(x.d.Id, x.d.NoticeId, x.n.Kind, x.n.OrgUnitCode, x.n.Period, x.d.Channel, x.d.Recipient,
                x.d.IdempotencyKey, x.d.Status, x.d.Attempts, x.d.CreatedAt, x.d.LastAttemptAt, x.d.NextAttemptAt, x.d.DeliveredAt, x.d.LastError))
            .ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    /// <summary>A unit's reminder schedule for a period: every notice planned, sent or cancelled. Its officers and administrators.</summary>
    public static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> GetSchedule([AsParameters] UnitPeriod unit, ClaimsPrincipal user,
        NotificationDbContext db, CancellationToken ct)
    {
        var (code, period) = unit;
        if (!user.IsInRole(AntqRoles.Admin) && user.OrgUnitCode() != code)
        {
            return Problem(403, $"Tài khoản của bạn không được xem lịch nhắc hạn của đơn vị {code}.");
        }

        var schedule = await db.Set<UnitSchedule>().AsNoTracking().FirstOrDefaultAsync(s => s.OrgUnitCode == code && s.Period == period, ct);
        if (schedule is null)
        {
            return Problem(404, $"Chưa có lịch nhắc hạn của đơn vị {code} cho kỳ {period}.");
        }

        var notices = await db.Set<Notice>().AsNoTracking()
            .Where(n => n.OrgUnitCode == code && n.Period == period && n.Kind != NoticeKinds.SubmittedDigest)
            .OrderBy(n => n.DueAt).ThenBy(n => n.Slot)
            .Select(n => new ScheduledNotice(n.Id, n.Kind, n.Slot, n.Status, n.DueAt, n.DeadlineAt, n.SentAt, n.Late, n.AudienceUnitCode, n.CancelReason, n.Title))
            .ToListAsync(ct);
        return TypedResults.Ok(new ScheduleView(code, period, schedule.DeadlineAt,
            schedule.DeadlineAt is { } d ? DueDate.Describe(d) : null, schedule.ReportStatus, schedule.PlanId, notices));
    }

    /// <summary>
    /// The caller's own inbox items: matched by the user name in the token against the copy of Identity's users; a
    /// reminder held for the caller's own hours shows from then.
    /// </summary>
    static IQueryable<InboxItem> InboxOf(ClaimsPrincipal user, NotificationDbContext db, DateTimeOffset now)
    {
        var userName = user.UserName() ?? "";
        var userIds = db.Recipients.Where(r => r.UserName == userName).Select(r => r.UserId);
        return db.Set<InboxItem>().AsNoTracking().Where(i => userIds.Contains(i.UserId) && (i.VisibleAt == null || i.VisibleAt <= now));
    }
}
