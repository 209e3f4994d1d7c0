using System.Globalization;
using System.Threading.RateLimiting;
using Antq.ServiceDefaults;
using Antq.Settings;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Antq.Gateway;

/// <summary>
/// Limits at the door. Sign-in attempts (password grants at the token endpoint and the portal's login form) are limited
/// per address, against password guessing and spraying from one machine, and per user name from each address, so that
/// guesses at one account from elsewhere never use up its owner's attempts (the Identity service's lockout, per
/// account and address too, is the last line). A sign-in form is a few hundred bytes: one larger than
/// <see cref="RateLimitOptions.SignInFormMaxBytes"/> is refused outright with 413, and still counted against its address,
/// so padding cannot carry an attempt past the limits. Writes are limited per user (per address when anonymous): the portal
/// sends every user's writes from its one address, so an address limit on signed-in writes would throttle them all
/// together. Code exchanges and refreshes are not limited: their secrets cannot be guessed, and the portal makes every
/// user's exchange from its one address. Limits are settings (section <c>Gateway:RateLimits</c>); a refusal is 429
/// with <c>Retry-After</c> and a Vietnamese problem (a Vietnamese page for the login form).
/// <para>
/// The counters are in each gateway replica's memory, not shared: with N replicas behind a load balancer an address
/// can make at most N times each limit per window (N × <see cref="RateLimitOptions.TokenPermits"/> sign-in attempts),
/// and fewer when the balancer keeps a client on one replica. The bound stays small next to what password guessing
/// needs, and Identity's own lockout, counted in its database and so shared by its replicas, is the last line. Set the
/// limits to the total wanted divided by the replicas when an exact total matters (docs/deploy.md, "What scales how").
/// </para>
/// </summary>
public static class GatewaySecurity
{
    public sealed class RateLimitOptions
    {
        public const string Section = "Gateway:RateLimits";

        /// <summary>Sign-in attempts per address per window.</summary>
        [Positive]
        public int TokenPermits { get; set; } = 30;

        /// <summary>Sign-in attempts per user name from one address per window.</summary>
        [Positive]
        public int TokenPermitsPerUser { get; set; } = 10;

        /// <summary>
        /// The largest body of a POST to the token endpoint or the login form; more is refused with 413 and counted as a
        /// sign-in. A password form is a few hundred bytes, a code exchange or refresh a few kilobytes.
        /// </summary>
        [Positive]
        public int SignInFormMaxBytes { get; set; } = 16 * 1024;

        /// <summary>Writes (POST, PUT, PATCH, DELETE under /api) per user (or per address when anonymous) per window.</summary>
        [Positive]
        public int WritePermits { get; set; } = 600;

        [Positive]
        public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
    }

    public static IHostApplicationBuilder AddGatewaySecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSettings<RateLimitOptions>(builder.Configuration, RateLimitOptions.Section);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, settings) =>
        {
            var limits = settings.Value;
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
                        ? RateLimitPartition.GetFixedWindowLimiter("signin-user:" + Address(context) + ":" + userName,
                            _ => Window(limits.TokenPermitsPerUser, limits.Window))
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
    const string OversizedKey = "antq.sign_in_oversized";

    /// <summary>
    /// A password tried: a password grant at the token endpoint, the login form posted, or a body too large to be read
    /// at either (its grant is unknown, so it counts as the worst it could be).
    /// </summary>
    static bool IsSignIn(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) &&
        ((context.Request.Path.StartsWithSegments(TokenPath) && (context.Items[GrantTypeKey] as string == "password" || context.Items.ContainsKey(OversizedKey)))
         || context.Request.Path.StartsWithSegments(LoginPath));

    /// <summary>
    /// Reads the grant type and the user name of a sign-in (the form stays readable for the proxy) before the limiter
    /// partitions it. User names are compared as the Identity service compares them: trimmed, case-insensitive. A body
    /// larger than <see cref="RateLimitOptions.SignInFormMaxBytes"/> (by its length, or, without one, by reading no
    /// further than the bound) is marked, counted by the limiter, then refused by <see cref="UseSignInFormBound"/>.
    /// </summary>
    public static IApplicationBuilder UseTokenGrantType(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        var bound = Math.Max(1024, limits.SignInFormMaxBytes);
        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if ((request.Path.StartsWithSegments(TokenPath) || request.Path.StartsWithSegments(LoginPath)) && HttpMethods.IsPost(request.Method))
            {
                if (request.ContentLength > bound || (request.ContentLength is null && await LongerThanAsync(request, bound, context.RequestAborted)))
                {
                    context.Items[OversizedKey] = true;
                }
                else if (request.HasFormContentType)
                {
                    request.EnableBuffering();
                    var form = await request.ReadFormAsync(context.RequestAborted);
                    context.Items[GrantTypeKey] = form["grant_type"].ToString();
                    var userName = form["username"].ToString().Trim().ToLowerInvariant();
                    context.Items[UserNameKey] = userName.Length <= 100 ? userName : userName[..100]; // no user name is longer; keys stay small
                    request.Body.Position = 0;
                }
            }

            await next(context);
        });
    }

    /// <summary>
    /// After the limiter: a sign-in body over the bound, already counted, is refused with a Vietnamese 413 problem and
    /// never reaches the Identity service.
    /// </summary>
    public static IApplicationBuilder UseSignInFormBound(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!context.Items.ContainsKey(OversizedKey))
            {
                await next(context);
                return;
            }

            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                "Biểu mẫu đăng nhập quá lớn; một lần đăng nhập chỉ gồm tên đăng nhập và mật khẩu. Lần gửi này vẫn được tính vào giới hạn số lần đăng nhập.");
        });

    /// <summary>Whether a body without a declared length runs past <paramref name="bound"/> bytes; what was read stays readable.</summary>
    static async Task<bool> LongerThanAsync(HttpRequest request, int bound, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        var buffer = new byte[8192];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > bound) return true;
        }

        request.Body.Position = 0;
        return false;
    }

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
