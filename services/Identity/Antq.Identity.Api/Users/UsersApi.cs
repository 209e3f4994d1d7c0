using Antq.Calendar;
using Antq.Identity.Api.Data;
using Antq.Identity.Api.Data.Configurations;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using System.Security.Claims;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Identity.Api.Users;

/// <summary>What the user endpoints take from the container, grouped [AsParameters] as eShop's CatalogServices.</summary>
public sealed record UserServices(IdentityDbContext Db, IPasswordHasher<User> Hasher, IOpenIddictTokenManager Tokens,
    IOpenIddictAuthorizationManager Authorizations, TimeProvider Clock);

/// <summary>
/// Accounts: an administrator creates, lists, changes, disables, unlocks them and sets their passwords; everyone reads
/// their own profile and changes their own password. Every change is in the audit trail, and a change of what other
/// services keep (name, role, unit, e-mail, active) is announced as <c>UserChanged</c> in the same transaction.
/// </summary>
public static class UsersApi
{
    public const string WrongCurrentPassword = "Mật khẩu hiện tại không đúng.";

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization().Problems(401, 403);
        users.MapGet("/", ListUsers).RequireAuthorization(AdminOnly).WithName("listUsers")
            .WithSummary("Danh sách tài khoản (quản trị)")
            .WithDescription("Các tài khoản theo trang, lọc theo vai trò (`role`), đơn vị (`unit`) và chuỗi tìm trong tên đăng nhập hoặc họ tên (`search`, tối đa 100 ký tự).")
            .Problems(400);
        users.MapPost("/", CreateUser).RequireAuthorization(AdminOnly).WithName("createUser")
            .WithSummary("Tạo tài khoản (quản trị)")
            .WithDescription("Tạo tài khoản với vai trò và đơn vị. Mật khẩu phải theo quy tắc mật khẩu; tên đăng nhập đã có là 409. Việc tạo được ghi vào nhật ký kiểm tra và thông báo cho các dịch vụ khác (UserChanged).")
            .Problems(409).WithRequestExample(new CreateUserRequest("xa.hamrong", "Doi@MatKhau2026", "Nguyễn Văn An", "CommuneOfficer", "14758", "an.nv@thanhhoa.congan.gov.vn"));
        users.MapGet("/me", GetMe).WithName("getMe")
            .WithSummary("Tài khoản đang đăng nhập")
            .WithDescription("Hồ sơ của người dùng đang đăng nhập: tên, vai trò, đơn vị, thư điện tử.")
            .Problems(404);
        users.MapPost("/me/password", ChangeOwnPassword).WithName("changeOwnPassword")
            .WithSummary("Đổi mật khẩu của mình")
            .WithDescription("Đổi mật khẩu của chính mình: cần mật khẩu hiện tại; mật khẩu mới theo quy tắc mật khẩu.")
            .Problems(404);
        users.MapGet("/audit", GetAudit).RequireAuthorization(AdminOnly).WithName("getAuditTrail")
            .WithSummary("Nhật ký kiểm tra (quản trị)")
            .WithDescription("Nhật ký kiểm tra của toàn nền tảng: đăng nhập, thay đổi tài khoản và mọi thao tác quản trị của các dịch vụ, mới nhất trước.");
        users.MapGet("/{username}", GetUser).RequireAuthorization(AdminOnly).WithName("getUser")
            .WithSummary("Một tài khoản (quản trị)")
            .WithDescription("Hồ sơ của tài khoản `username`, kể cả trạng thái khoá do nhập sai mật khẩu.")
            .Problems(404);
        users.MapPatch("/{username}", UpdateUser).RequireAuthorization(AdminOnly).WithName("updateUser")
            .WithSummary("Sửa tài khoản (quản trị)")
            .WithDescription("Đổi họ tên, vai trò, đơn vị, thư điện tử hoặc vô hiệu hoá/kích hoạt tài khoản; chỉ các trường được gửi thay đổi. Không thể tự vô hiệu hoá hoặc tự bỏ quyền quản trị (409).")
            .Problems(400, 404, 409).WithRequestExample(new UpdateUserRequest(null, "DistrictOfficer", "380", null, null));
        users.MapPost("/{username}/password", ResetPassword).RequireAuthorization(AdminOnly).WithName("resetPassword")
            .WithSummary("Đặt lại mật khẩu (quản trị)")
            .WithDescription("Đặt mật khẩu mới cho tài khoản `username` (theo quy tắc mật khẩu) và mở khoá nếu đang bị khoá.")
            .Problems(404);
        users.MapPost("/{username}/unlock", Unlock).RequireAuthorization(AdminOnly).WithName("unlockUser")
            .WithSummary("Mở khoá tài khoản (quản trị)")
            .WithDescription("Mở khoá tài khoản bị khoá tạm thời do nhập sai mật khẩu quá nhiều lần.")
            .Problems(404);
        return app;
    }

    static void AdminOnly(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder policy) => policy.RequireRole(AntqRoles.Admin);

    /// <summary>POST /api/users. A field the body does not know is refused (400) by the service defaults.</summary>
    public static async Task<Results<Created<UserProfile>, ValidationProblem, ProblemHttpResult>> CreateUser(
        CreateUserRequest request, HttpContext http, [AsParameters] UserServices services, CancellationToken cancellationToken)
    {
        var (db, hasher, _, _, clock) = services;
        var errors = UserRules.ValidateNewUser(request.Username, request.Password, request.FullName, request.Role, request.OrgUnitCode, request.Email);
        if (errors.Count > 0) return Invalid(errors);

        var userName = request.Username!.Trim();
        var normalized = User.Normalize(userName);
        if (await db.Users.AnyAsync(u => u.NormalizedUserName == normalized, cancellationToken))
        {
            return DuplicateUserName(userName);
        }

        var now = clock.GetUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(now),
            UserName = userName,
            NormalizedUserName = normalized,
            PasswordHash = "",
            FullName = request.FullName!.Trim(),
            Role = request.Role!,
            OrgUnitCode = request.OrgUnitCode!.Trim(),
            Email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(),
            Active = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);

        db.Users.Add(user);
        db.AuditEntries.Add(Audit(http, now, AuditEntry.UserCreated, user, $"{user.Role} {user.OrgUnitCode}"));
        // One SaveChanges, one transaction: the account and its announcement commit together or not at all.
        db.AddOutboxMessage(UserChangedMessage.From(user, now), clock);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(UserConfiguration.UniqueUserNameIndex))
        {
            return DuplicateUserName(userName); // created by someone else between the check and the save
        }

        return TypedResults.Created($"/api/users/{Uri.EscapeDataString(user.UserName)}", UserProfile.From(user, now));
    }

    /// <summary>GET /api/users?role=&amp;unit=&amp;search=&amp;active=&amp;page=&amp;pageSize=: accounts by user name, a page at a time (Admin).</summary>
    public static async Task<Results<Ok<UserPage>, ProblemHttpResult>> ListUsers(
        [AsParameters] UserListQuery filter, IdentityDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (role, unit, search, active, page, pageSize) = filter;
        var query = db.Users.AsNoTracking().Include(u => u.Lockouts).AsQueryable();
        if (!string.IsNullOrWhiteSpace(role))
        {
            if (!UserRules.Roles.Contains(role)) return Problem(400, $"Vai trò \"{role}\" không hợp lệ; dùng một trong: {string.Join(", ", UserRules.Roles)}.", "role");
            query = query.Where(u => u.Role == role);
        }

        if (!string.IsNullOrWhiteSpace(unit)) query = query.Where(u => u.OrgUnitCode == unit.Trim());
        if (active is { } isActive) query = query.Where(u => u.Active == isActive);
        if (!string.IsNullOrWhiteSpace(search))
        {
            if (search.Length > 100) return Problem(400, "Chuỗi tìm kiếm không được dài quá 100 ký tự.", "search");
            var pattern = "%" + search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(u => EF.Functions.ILike(u.UserName, pattern) || EF.Functions.ILike(u.FullName, pattern));
        }

        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var number = Math.Max(page ?? 1, 1);
        var total = await query.CountAsync(cancellationToken);
        var users = await query.OrderBy(u => u.NormalizedUserName).Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new UserPage(number, size, total, [.. users.Select(u => UserProfile.From(u, now))]));
    }

    /// <summary>GET /api/users/me: the caller's own profile.</summary>
    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> GetMe(
        ClaimsPrincipal principal, IdentityDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var user = await CurrentAsync(db, principal, cancellationToken);
        return user is null ? NoAccount() : TypedResults.Ok(UserProfile.From(user, clock.GetUtcNow()));
    }

    /// <summary>
    /// POST /api/users/me/password: the signed-in user's new password, against the current one. A wrong current password
    /// counts as a failed login (and locks the account as logins do); a change ends every other session of the user.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangeOwnPassword(
        ChangePasswordRequest request, HttpContext http, [AsParameters] UserServices services, CancellationToken cancellationToken)
    {
        var (db, hasher, tokens, authorizations, clock) = services;
        var user = await CurrentAsync(db, http.User, cancellationToken, tracked: true);
        if (user is null) return NoAccount();

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(request.CurrentPassword)) errors["currentPassword"] = ["Mật khẩu hiện tại là bắt buộc."];
        if (UserRules.PasswordError(request.NewPassword, user.UserName) is { } weak) errors["newPassword"] = [weak];
        else if (request.NewPassword == request.CurrentPassword) errors["newPassword"] = ["Mật khẩu mới phải khác mật khẩu hiện tại."];
        if (errors.Count > 0) return Invalid(errors);

        var (checkedUser, refusal) = await ConnectApi.CheckPasswordAsync(http, db, hasher, user.UserName, request.CurrentPassword, cancellationToken, successAction: null);
        if (checkedUser is null)
        {
            var message = refusal == ConnectApi.WrongCredentials ? WrongCurrentPassword : refusal!;
            return Invalid(new Dictionary<string, string[]> { ["currentPassword"] = [message] }, message);
        }

        await SetPasswordAsync(db, hasher, tokens, authorizations, user, request.NewPassword!,
            Audit(http, clock.GetUtcNow(), AuditEntry.PasswordChanged, user, "Người dùng tự đổi mật khẩu; các phiên đăng nhập khác đã kết thúc."), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>GET /api/users/audit?action=&amp;actor=&amp;service=&amp;subject=&amp;take=: the newest entries of the platform's trail first (Admin).</summary>
    public static async Task<Ok<List<AuditEntryView>>> GetAudit(
        [AsParameters] AuditQuery filter, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var (action, actor, service, subject, take) = filter;
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(action)) entries = entries.Where(e => e.Action == action.Trim());
        if (!string.IsNullOrWhiteSpace(actor)) entries = entries.Where(e => e.Actor.ToLower() == actor.Trim().ToLowerInvariant());
        if (!string.IsNullOrWhiteSpace(service)) entries = entries.Where(e => e.Service == service.Trim().ToLowerInvariant());
        if (!string.IsNullOrWhiteSpace(subject)) entries = entries.Where(e => e.Subject == subject.Trim());
        var count = Math.Clamp(take ?? 200, 1, 1000);
        var page = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(count)
            .Select(e => new AuditEntryView(e.At, e.Service, e.Actor, e.Action, e.Subject, e.Detail, e.Address))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(page);
    }

    /// <summary>GET /api/users/{username} (Admin).</summary>
    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> GetUser(
        string username, IdentityDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var user = await FindAsync(db, username, cancellationToken, tracked: false);
        return user is null ? UserNotFound(username) : TypedResults.Ok(UserProfile.From(user, clock.GetUtcNow()));
    }

    /// <summary>
    /// PATCH /api/users/{username} (Admin): the fields sent change (<c>email: ""</c> removes the address), the others stay.
    /// Disabling ends every session of the user at once (refresh tokens and authorizations revoked); access tokens
    /// already issued lapse within their short lifetime. An administrator cannot disable or demote the account in use.
    /// </summary>
    public static async Task<Results<Ok<UserProfile>, ValidationProblem, ProblemHttpResult>> UpdateUser(
        string username, UpdateUserRequest request, HttpContext http, [AsParameters] UserServices services)
    {
        var (db, _, tokens, authorizations, clock) = services;
        var cancellationToken = http.RequestAborted;
        if (request is { FullName: null, Role: null, OrgUnitCode: null, Email: null, Active: null })
            return Problem(400, "Không có gì để thay đổi: hãy gửi ít nhất một trong các trường fullName, role, orgUnitCode, email, active.");
        var errors = UserRules.ValidateChange(request.FullName, request.Role, request.OrgUnitCode, request.Email);
        if (errors.Count > 0) return Invalid(errors);

        var user = await FindAsync(db, username, cancellationToken, tracked: true);
        if (user is null) return UserNotFound(username);
        if (user.Id.ToString() == http.User.UserId() && (request.Active == false || request.Role is { } role && role != AntqRoles.Admin))
            return Problem(409, "Không thể tự vô hiệu hoá hoặc tự bỏ vai trò quản trị của tài khoản đang dùng; hãy nhờ một quản trị viên khác.");

        var now = clock.GetUtcNow();
        var changes = new List<string>();
        void Change(string what, string? before, string? after, Action apply)
        {
            if (before == after) return;
            changes.Add($"{what}: {before ?? "(trống)"} → {after ?? "(trống)"}");
            apply();
        }

        if (request.FullName is { } fullName) Change("họ tên", user.FullName, fullName.Trim(), () => user.FullName = fullName.Trim());
        if (request.Role is { } newRole) Change("vai trò", user.Role, newRole, () => user.Role = newRole);
        if (request.OrgUnitCode is { } unit) Change("đơn vị", user.OrgUnitCode, unit.Trim(), () => user.OrgUnitCode = unit.Trim());
        if (request.Email is { } email)
        {
            var address = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
            Change("email", user.Email, address, () => user.Email = address);
        }

        var disabling = request.Active == false && user.Active;
        var enabling = request.Active == true && !user.Active;
        if (disabling || enabling)
        {
            changes.Add(disabling ? "vô hiệu hoá tài khoản, kết thúc mọi phiên đăng nhập" : "kích hoạt lại tài khoản");
            user.Active = enabling;
        }

        if (changes.Count == 0) return TypedResults.Ok(UserProfile.From(user, now)); // nothing happened, nothing to audit

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.UpdatedAt = now;
        var action = disabling ? AuditEntry.UserDisabled : enabling ? AuditEntry.UserEnabled : AuditEntry.UserUpdated;
        db.AuditEntries.Add(Audit(http, now, action, user, string.Join("; ", changes)));
        db.AddOutboxMessage(UserChangedMessage.From(user, now), clock);
        await db.SaveChangesAsync(cancellationToken);
        if (disabling) await EndSessionsAsync(tokens, authorizations, user, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(UserProfile.From(user, now));
    }

    /// <summary>POST /api/users/{username}/password (Admin): sets a new password under the password rules and ends the user's sessions.</summary>
    public static async Task<Results<Ok<UserProfile>, ValidationProblem, ProblemHttpResult>> ResetPassword(
        string username, ResetPasswordRequest request, HttpContext http, [AsParameters] UserServices services)
    {
        var (db, hasher, tokens, authorizations, clock) = services;
        var cancellationToken = http.RequestAborted;
        var user = await FindAsync(db, username, cancellationToken, tracked: true);
        if (user is null) return UserNotFound(username);
        if (UserRules.PasswordError(request.Password, user.UserName) is { } weak)
            return Invalid(new Dictionary<string, string[]> { ["password"] = [weak] });

        var now = clock.GetUtcNow();
        await SetPasswordAsync(db, hasher, tokens, authorizations, user, request.Password!,
            Audit(http, now, AuditEntry.PasswordReset, user, "Quản trị viên đặt lại mật khẩu; các phiên đăng nhập của người dùng đã kết thúc."), cancellationToken);
        return TypedResults.Ok(UserProfile.From(user, now));
    }

    /// <summary>
    /// POST /api/users/{username}/unlock (Admin): lifts every lockout of the account (from whichever addresses) and
    /// clears their counts of wrong passwords.
    /// </summary>
    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> Unlock(
        string username, HttpContext http, [AsParameters] UserServices services, CancellationToken cancellationToken)
    {
        var (db, clock) = (services.Db, services.Clock);
        var user = await FindAsync(db, username, cancellationToken, tracked: true);
        if (user is null) return UserNotFound(username);
        var now = clock.GetUtcNow();
        if (user.Lockouts.Count == 0) return TypedResults.Ok(UserProfile.From(user, now));

        var locked = user.Lockouts.Where(l => l.LockedUntil > now).ToList();
        var detail = locked.Count > 0
            ? "Mở khoá tài khoản cho " + string.Join("; ", locked.Select(l => $"địa chỉ {l.Address} (đang khoá đến {VietnamTime.Timestamp(l.LockedUntil!.Value)})")) + "."
            : $"Xoá {user.Lockouts.Sum(l => l.FailedLogins)} lần nhập sai mật khẩu.";
        user.Lockouts.Clear(); // the lines are deleted with the audit entry, in one transaction
        user.UpdatedAt = now;
        db.AuditEntries.Add(Audit(http, now, AuditEntry.UserUnlocked, user, detail));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(UserProfile.From(user, now));
    }

    /// <summary>The new password, its audit line and the end of the user's sessions, in one transaction.</summary>
    static async Task SetPasswordAsync(IdentityDbContext db, IPasswordHasher<User> hasher, IOpenIddictTokenManager tokens,
        IOpenIddictAuthorizationManager authorizations, User user, string password, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.PasswordHash = hasher.HashPassword(user, password);
        user.UpdatedAt = audit.At;
        db.AuditEntries.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
        await EndSessionsAsync(tokens, authorizations, user, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Revokes every refresh token and authorization of the user (OpenIddict's stores share this context, hence the
    /// caller's transaction): no script or portal session can get a new access token.
    /// </summary>
    static async Task EndSessionsAsync(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, User user, CancellationToken cancellationToken)
    {
        await tokens.RevokeBySubjectAsync(user.Id.ToString(), cancellationToken);
        await authorizations.RevokeBySubjectAsync(user.Id.ToString(), cancellationToken);
    }

    static AuditEntry Audit(HttpContext http, DateTimeOffset now, string action, User user, string? detail) =>
        AuditEntry.Create(now, http.User.UserName() ?? http.User.UserId() ?? "?", action, user.UserName, detail, http.Connection.RemoteIpAddress?.ToString());

    static Task<User?> FindAsync(IdentityDbContext db, string username, CancellationToken cancellationToken, bool tracked)
    {
        var normalized = User.Normalize(username);
        var users = (tracked ? db.Users : db.Users.AsNoTracking()).Include(u => u.Lockouts);
        return normalized.Length > 50 ? Task.FromResult<User?>(null) : users.SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
    }

    static async Task<User?> CurrentAsync(IdentityDbContext db, ClaimsPrincipal principal, CancellationToken cancellationToken, bool tracked = false)
    {
        if (!Guid.TryParse(principal.UserId(), out var id)) return null;
        var users = tracked ? db.Users : db.Users.AsNoTracking();
        return await users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
    }

    static ValidationProblem Invalid(Dictionary<string, string[]> errors, string detail = "Vui lòng sửa các trường được nêu trong 'errors'.") =>
        Validation(errors, detail);

    static ProblemHttpResult NoAccount() => Problem(404, "Không tìm thấy tài khoản của người dùng đang đăng nhập.");

    static ProblemHttpResult UserNotFound(string username) =>
        Problem(404, $"Không tìm thấy người dùng '{(username.Length > 50 ? username[..50] + "…" : username)}'.");

    static ProblemHttpResult DuplicateUserName(string userName) => Problem(409, $"Tên đăng nhập '{userName}' đã được sử dụng.");
}

/// <summary>Body of POST /api/users. Every field is optional here so that a missing one is a validation error, not a binding failure.</summary>
/// <summary>The account list's filters: role, unit, text in the user name or full name, active or not; the page and its size.</summary>
public sealed record UserListQuery(
    [FromQuery(Name = "role")] string? Role,
    [FromQuery(Name = "unit")] string? Unit,
    [FromQuery(Name = "search")] string? Search,
    [FromQuery(Name = "active")] bool? Active,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize);

/// <summary>The audit trail's filters: action, actor, service, subject; at most <c>take</c> entries (1–1000, 200 if not given).</summary>
public sealed record AuditQuery(
    [FromQuery(Name = "action")] string? Action,
    [FromQuery(Name = "actor")] string? Actor,
    [FromQuery(Name = "service")] string? Service,
    [FromQuery(Name = "subject")] string? Subject,
    [FromQuery(Name = "take")] int? Take);

public sealed record CreateUserRequest(
    string? Username, string? Password, string? FullName, string? Role, string? OrgUnitCode, string? Email);

/// <summary>Body of PATCH /api/users/{username}: only the fields sent change.</summary>
public sealed record UpdateUserRequest(string? FullName, string? Role, string? OrgUnitCode, string? Email, bool? Active);

/// <summary>Body of POST /api/users/{username}/password.</summary>
public sealed record ResetPasswordRequest(string? Password);

/// <summary>Body of POST /api/users/me/password.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>One line of the audit trail as an administrator reads it.</summary>
public sealed record AuditEntryView(DateTimeOffset At, string Service, string Actor, string Action, string Subject, string? Detail, string? Address);

/// <summary>A page of accounts.</summary>
public sealed record UserPage(int Page, int PageSize, int Total, IReadOnlyList<UserProfile> Users);

/// <summary>
/// An account as clients see it; never the password hash. <paramref name="LockedUntil"/> while a lockout lasts from any
/// address (the latest), <paramref name="Lockouts"/> the addresses with wrong passwords counted (for an administrator).
/// </summary>
public sealed record UserProfile(
    Guid Id, string Username, string FullName, string Role, string OrgUnitCode, string? Email, bool Active, DateTimeOffset? LockedUntil,
    IReadOnlyList<SignInLockoutView> Lockouts)
{
    public static UserProfile From(User user, DateTimeOffset now)
    {
        var lockouts = user.Lockouts.OrderBy(l => l.Address, StringComparer.Ordinal)
            .Select(l => new SignInLockoutView(l.Address, l.FailedLogins, l.LockedUntil > now ? l.LockedUntil : null, l.LastFailedAt))
            .ToList();
        return new(user.Id, user.UserName, user.FullName, user.Role, user.OrgUnitCode, user.Email, user.Active,
            lockouts.Max(l => l.LockedUntil), lockouts);
    }
}

/// <summary>Wrong passwords for an account from one address, and until when that address is locked out (tạm khoá).</summary>
public sealed record SignInLockoutView(string Address, int FailedLogins, DateTimeOffset? LockedUntil, DateTimeOffset LastFailedAt);
