using Antq.Identity.Api.Data;
using Antq.Identity.Api.Data.Configurations;
using Antq.Identity.Api.Domain;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;

namespace Antq.Identity.Api.Apis;

/// <summary>Accounts: an administrator creates them; everyone reads their own profile.</summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        users.MapPost("/", CreateUser).RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin));
        users.MapGet("/me", GetMe);
        users.MapGet("/audit", GetAudit).RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin));
        users.MapGet("/{username}", GetUser).RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin));
        return app;
    }

    /// <summary>POST /api/users. Unknown fields are ignored.</summary>
    public static async Task<Results<Created<UserProfile>, ValidationProblem, ProblemHttpResult>> CreateUser(
        CreateUserRequest request, ClaimsPrincipal principal, IdentityDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = UserRules.ValidateNewUser(request.Username, request.Password, request.FullName, request.Role, request.OrgUnitCode, request.Email);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Dữ liệu không hợp lệ", detail: "Vui lòng sửa các trường được nêu trong 'errors'.");
        }

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
        db.AuditEntries.Add(AuditEntry.Create(now, principal.UserName() ?? principal.UserId() ?? "?", AuditEntry.UserCreated, user.UserName,
            $"{user.Role} {user.OrgUnitCode}"));
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

        return TypedResults.Created($"/api/users/{Uri.EscapeDataString(user.UserName)}", UserProfile.From(user));
    }

    /// <summary>GET /api/users/me: the caller's own profile.</summary>
    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> GetMe(
        ClaimsPrincipal principal, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var user = Guid.TryParse(principal.UserId(), out var id)
            ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken)
            : null;
        return user is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Không tìm thấy",
                detail: "Không tìm thấy tài khoản của người dùng đang đăng nhập.")
            : TypedResults.Ok(UserProfile.From(user));
    }

    /// <summary>GET /api/users/audit?take=: the newest entries of the audit trail first (Admin).</summary>
    public static async Task<Ok<List<AuditEntryView>>> GetAudit(IdentityDbContext db, int? take, CancellationToken cancellationToken)
    {
        var count = Math.Clamp(take ?? 200, 1, 1000);
        var entries = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(count)
            .Select(e => new AuditEntryView(e.At, e.Actor, e.Action, e.Subject, e.Detail, e.Address))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(entries);
    }

    /// <summary>GET /api/users/{username} (Admin).</summary>
    public static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> GetUser(
        string username, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(username);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        return user is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Không tìm thấy",
                detail: $"Không tìm thấy người dùng '{username}'.")
            : TypedResults.Ok(UserProfile.From(user));
    }

    static ProblemHttpResult DuplicateUserName(string userName) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Xung đột dữ liệu",
            detail: $"Tên đăng nhập '{userName}' đã được sử dụng.");
}

/// <summary>Body of POST /api/users. Every field is optional here so that a missing one is a validation error, not a binding failure.</summary>
public sealed record CreateUserRequest(
    string? Username, string? Password, string? FullName, string? Role, string? OrgUnitCode, string? Email);

/// <summary>One line of the audit trail as an administrator reads it.</summary>
public sealed record AuditEntryView(DateTimeOffset At, string Actor, string Action, string Subject, string? Detail, string? Address);

/// <summary>An account as clients see it; never the password hash.</summary>
public sealed record UserProfile(
    Guid Id, string Username, string FullName, string Role, string OrgUnitCode, string? Email, bool Active)
{
    public static UserProfile From(User user) =>
        new(user.Id, user.UserName, user.FullName, user.Role, user.OrgUnitCode, user.Email, user.Active);
}
