using System.Security.Claims;
using Antq.Identity.Api.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Antq.Identity.Api.SignIn;

/// <summary>
/// The OpenID Connect endpoints in pass-through mode: OpenIddict checks the protocol (client, grant, PKCE, redirect
/// address) before these handlers run; they decide who the user is and answer with a sign-in or a refusal, which
/// OpenIddict turns into tokens or an OAuth error.
/// </summary>
public static class ConnectApi
{
    public const string WrongCredentials = "Tên đăng nhập hoặc mật khẩu không đúng.";
    public const string AccountDisabled = "Tài khoản đã bị vô hiệu hoá; vui lòng liên hệ quản trị viên.";
    public const string AccountLocked = "Tài khoản tạm thời bị khoá do nhập sai mật khẩu quá nhiều lần; vui lòng thử lại sau {0} phút hoặc liên hệ quản trị viên.";
    public const string AccountGone = "Tài khoản không còn hiệu lực; vui lòng đăng nhập lại.";

    const string Server = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        var connect = app.MapGroup("/connect").WithTags("OpenID Connect").ExcludeFromDescription();
        // Protocol endpoints (OpenID Connect), described by the discovery document rather than by OpenAPI.
        connect.MapPost("/token", Exchange).WithName("connectToken");
        connect.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], Authorize).WithName("connectAuthorize");
        connect.MapMethods("/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)Logout).WithName("connectLogout");
        return app;
    }

    /// <summary>POST /connect/token: the password grant (scripts, <c>antq-cli</c>), the code and refresh grants.</summary>
    public static async Task<Results<SignInHttpResult, ForbidHttpResult>> Exchange(
        HttpContext context, IdentityDbContext db, IPasswordHasher<User> hasher, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.IsPasswordGrantType())
        {
            var (user, refusal) = await CheckPasswordAsync(context, db, hasher, request.Username, request.Password, cancellationToken);
            if (user is null) return Refuse(Errors.InvalidGrant, refusal!);
            return TypedResults.SignIn(TokenPrincipal.Create(user, request.GetScopes()), authenticationScheme: Server);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The code or refresh token was already validated by OpenIddict; its principal names the user.
            var result = await context.AuthenticateAsync(Server);
            var user = await FindActiveAsync(db, result.Principal, cancellationToken);
            if (user is null) return Refuse(Errors.InvalidGrant, AccountGone);
            return TypedResults.SignIn(TokenPrincipal.Refresh(result.Principal!, user), authenticationScheme: Server);
        }

        return Refuse(Errors.UnsupportedGrantType, "Loại cấp quyền không được hỗ trợ.");
    }

    /// <summary>GET|POST /connect/authorize: the code flow with PKCE for the portal. Anonymous users go to the login page first.</summary>
    public static async Task<Results<SignInHttpResult, ChallengeHttpResult, ForbidHttpResult>> Authorize(
        HttpContext context, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var session = await context.AuthenticateAsync(LoginCookie.Scheme);
        var user = session.Succeeded ? await FindActiveAsync(db, session.Principal, cancellationToken) : null;

        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "Người dùng chưa đăng nhập.");
            }

            if (session.Succeeded) await context.SignOutAsync(LoginCookie.Scheme);

            // Back to this same request after the login page; without prompt=login, or it would ask again forever.
            var parameters = (context.Request.HasFormContentType ? context.Request.Form.AsEnumerable() : context.Request.Query)
                .Where(p => p.Key != Parameters.Prompt || !request.HasPromptValue(PromptValues.Login))
                .ToList();
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
            return TypedResults.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [LoginCookie.Scheme]);
        }

        return TypedResults.SignIn(TokenPrincipal.Create(user, request.GetScopes()), authenticationScheme: Server);
    }

    /// <summary>GET|POST /connect/logout: ends the login session, then OpenIddict returns to the client's post-logout address.</summary>
    public static async Task<SignOutHttpResult> Logout(HttpContext context)
    {
        await context.SignOutAsync(LoginCookie.Scheme);
        return TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Server]);
    }

    /// <summary>
    /// Checks a user name and password. The refusal does not tell a wrong name from a wrong password, and an unknown
    /// name costs as much time as a known one, so neither tells which accounts exist. Too many wrong passwords in a
    /// row from one client address lock that address out of the account for a while (<see cref="AccountLockoutOptions"/>,
    /// <see cref="SignInLockout"/>): whoever floods an account with guesses from elsewhere locks out only themselves, and
    /// the owner still signs in from their own machine. Every attempt is written to the audit trail.
    /// </summary>
    /// <param name="successAction">What the trail records for a good password: a login, or nothing (the caller records its own act).</param>
    internal static async Task<(User? User, string? Refusal)> CheckPasswordAsync(HttpContext context,
        IdentityDbContext db, IPasswordHasher<User> hasher, string? userName, string? password, CancellationToken cancellationToken,
        string? successAction = AuditEntry.LoginSucceeded)
    {
        var clock = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var lockout = context.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<AccountLockoutOptions>>()?.Value ?? new AccountLockoutOptions();
        var now = clock.GetUtcNow();
        var address = SignInLockout.AddressOf(context.Connection.RemoteIpAddress);
        var auditAddress = context.Connection.RemoteIpAddress?.ToString();
        var typed = userName?.Trim() ?? "";

        var signIn = successAction is not null; // a password checked to change it is not a sign-in
        async Task<(User?, string?)> Refuse(User? user, string action, string refusal)
        {
            if (signIn)
            {
                IdentityMetrics.SignedIn(action == AuditEntry.LoginLocked ? "locked" : refusal == AccountDisabled ? "disabled" : "wrong_credentials");
            }

            db.AuditEntries.Add(AuditEntry.Create(now, typed.Length == 0 ? "?" : typed, action, user?.UserName ?? (typed.Length == 0 ? "?" : typed), refusal, auditAddress));
            await db.SaveChangesAsync(cancellationToken);
            return (null, refusal);
        }

        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            if (signIn) IdentityMetrics.SignedIn("wrong_credentials");
            return (null, WrongCredentials);
        }

        var normalized = User.Normalize(userName);
        var user = normalized.Length > 50 ? null : await db.Users.SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, cancellationToken);
        if (user is null)
        {
            hasher.VerifyHashedPassword(TimingDummy, TimingDummy.PasswordHash, password);
            return await Refuse(null, AuditEntry.LoginFailed, WrongCredentials);
        }

        if (await SignInLockoutStore.LockedUntilAsync(db, user.Id, address, now, cancellationToken) is { } until)
        {
            hasher.VerifyHashedPassword(TimingDummy, TimingDummy.PasswordHash, password);
            return await Refuse(user, AuditEntry.LoginLocked, LockedMessage(until - now));
        }

        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            // Counted in place: concurrent wrong passwords each add one, and the one that reaches the threshold locks.
            var count = await SignInLockoutStore.CountFailureAsync(db, user.Id, address, now, lockout, cancellationToken);
            if (count.LockedUntil is not null && count.FailedLogins == Math.Max(1, lockout.MaxFailedLogins)) IdentityMetrics.LockedOut(); // the attempt that locked
            return count.LockedUntil is { } lockedUntil
                ? await Refuse(user, AuditEntry.LoginLocked, LockedMessage(lockedUntil - now))
                : await Refuse(user, AuditEntry.LoginFailed, WrongCredentials);
        }

        if (!user.Active) return await Refuse(user, AuditEntry.LoginFailed, AccountDisabled);

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        await SignInLockoutStore.ClearAsync(db, user.Id, address, cancellationToken);
        if (successAction is not null) db.AuditEntries.Add(AuditEntry.Create(now, user.UserName, successAction, user.UserName, null, auditAddress));
        await db.SaveChangesAsync(cancellationToken);
        if (signIn) IdentityMetrics.SignedIn("succeeded");
        return (user, null);
    }

    static string LockedMessage(TimeSpan left) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, AccountLocked, Math.Max(1, (int)Math.Ceiling(left.TotalMinutes)));

    static async Task<User?> FindActiveAsync(IdentityDbContext db, ClaimsPrincipal? principal, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(principal?.GetClaim(Claims.Subject), out var id)) return null;
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is { Active: true } ? user : null;
    }

    static ForbidHttpResult Refuse(string error, string description) =>
        TypedResults.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [Server]);

    static readonly User TimingDummy = CreateTimingDummy();

    static User CreateTimingDummy()
    {
        var dummy = new User { UserName = "", NormalizedUserName = "", PasswordHash = "", FullName = "", Role = "", OrgUnitCode = "" };
        dummy.PasswordHash = new PasswordHasher<User>().HashPassword(dummy, Guid.NewGuid().ToString());
        return dummy;
    }
}
