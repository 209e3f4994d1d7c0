using System.Globalization;
using System.Threading.RateLimiting;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.RateLimiting;

namespace Antq.Gateway;

/// <summary>
/// Limits at the door. Sign-in attempts (password grants at the token endpoint and the portal's login form) are limited
/// per address and per user name, against password guessing from one machine and against one account from many (the
/// Identity service's lockout is the last line). Writes are limited per user (per address when anonymous): the portal
/// sends every user's writes from its one address, so an address limit on signed-in writes would throttle them all
/// together. Code exchanges and refreshes are not limited: their secrets cannot be guessed, and the portal makes every
/// user's exchange from its one address. Limits are settings (section <c>Gateway:RateLimits</c>); a refusal is 429
/// with <c>Retry-After</c> and a Vietnamese problem (a Vietnamese page for the login form).
/// </summary>
public static class GatewaySecurity
{
    public sealed class RateLimitOptions
    {
        /// <summary>Sign-in attempts per address per window.</summary>
        public int TokenPermits { get; set; } = 30;

        /// <summary>Sign-in attempts per user name per window, from any address.</summary>
        public int TokenPermitsPerUser { get; set; } = 10;

        /// <summary>Writes (POST, PUT, PATCH, DELETE under /api) per user (or per address when anonymous) per window.</summary>
        public int WritePermits { get; set; } = 600;

        public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
    }

    public static IHostApplicationBuilder AddGatewaySecurity(this IHostApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection("Gateway:RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                if (context.HttpContext.Request.Path.StartsWithSegments(LoginPath))
                {
                    // A person at the login form reads a page, not a problem document.
                    response.ContentType = "text/html; charset=utf-8";
                    await response.WriteAsync(TooManySignInsPage(seconds), cancellationToken);
                }
            };

            // Every limiter that applies must grant: address and user name for a sign-in, the caller for a write.
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    IsSignIn(context)
                        ? RateLimitPartition.GetFixedWindowLimiter("signin-address:" + Address(context), _ => Window(limits.TokenPermits, limits.Window))
                        : RateLimitPartition.GetNoLimiter("none")),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    IsSignIn(context) && context.Items[UserNameKey] is string { Length: > 0 } userName
                        ? RateLimitPartition.GetFixedWindowLimiter("signin-user:" + userName, _ => Window(limits.TokenPermitsPerUser, limits.Window))
                        : RateLimitPartition.GetNoLimiter("none")),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                {
                    var request = context.Request;
                    if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
                        || HttpMethods.IsOptions(request.Method))
                    {
                        return RateLimitPartition.GetNoLimiter("none");
                    }

                    var caller = context.User.Identity?.IsAuthenticated == true ? "user:" + context.User.UserId() : "addr:" + Address(context);
                    return RateLimitPartition.GetFixedWindowLimiter("write:" + caller, _ => Window(limits.WritePermits, limits.Window));
                }));
        });
        return builder;
    }

    const string TokenPath = "/connect/token";
    const string LoginPath = "/account/login";
    const string GrantTypeKey = "antq.grant_type";
    const string UserNameKey = "antq.sign_in_user";

    /// <summary>A password tried: a password grant at the token endpoint, or the login form posted.</summary>
    static bool IsSignIn(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) &&
        ((context.Request.Path.StartsWithSegments(TokenPath) && context.Items[GrantTypeKey] as string == "password")
         || context.Request.Path.StartsWithSegments(LoginPath));

    /// <summary>
    /// Reads the grant type and the user name of a sign-in (the form stays readable for the proxy) before the limiter
    /// partitions it. User names are compared as the Identity service compares them: trimmed, case-insensitive.
    /// </summary>
    public static IApplicationBuilder UseTokenGrantType(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if ((path.StartsWithSegments(TokenPath) || path.StartsWithSegments(LoginPath)) && HttpMethods.IsPost(context.Request.Method)
                && context.Request.HasFormContentType && context.Request.ContentLength is null or < 64 * 1024)
            {
                context.Request.EnableBuffering();
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                context.Items[GrantTypeKey] = form["grant_type"].ToString();
                var userName = form["username"].ToString().Trim().ToLowerInvariant();
                context.Items[UserNameKey] = userName.Length <= 100 ? userName : userName[..100]; // no user name is longer; keys stay small
                context.Request.Body.Position = 0;
            }

            await next(context);
        });

    static string TooManySignInsPage(int seconds) => $$"""
        <!DOCTYPE html>
        <html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Đăng nhập quá nhiều lần</title></head>
        <body style="font-family: sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">
        <h1 style="font-size: 1.3rem">Đăng nhập quá nhiều lần</h1>
        <p>Có quá nhiều lần đăng nhập từ máy này hoặc vào tài khoản này trong thời gian ngắn. Vui lòng thử lại sau {{seconds}} giây.</p>
        <p><a href="/">Quay lại trang chủ</a></p>
        </body></html>
        """;

    static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
