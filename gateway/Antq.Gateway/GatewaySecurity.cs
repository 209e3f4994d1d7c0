using System.Globalization;
using System.Threading.RateLimiting;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.RateLimiting;

namespace Antq.Gateway;

/// <summary>
/// Limits at the door: a per-address limit on password grants at the token endpoint (password guessing) and a
/// per-user limit on writes. Code exchanges and refreshes are not limited: their secrets cannot be guessed, and the
/// portal makes every user's exchange from its one address. Limits are settings
/// (section <c>Gateway:RateLimits</c>); a refusal is 429 with <c>Retry-After</c> and a Vietnamese problem.
/// </summary>
public static class GatewaySecurity
{
    public const string TokenPolicy = "token";
    public const string WritePolicy = "writes";

    public sealed class RateLimitOptions
    {
        /// <summary>Token requests per address per window.</summary>
        public int TokenPermits { get; set; } = 30;

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
            options.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window;
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };

            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var path = context.Request.Path;
                if (path.StartsWithSegments("/connect/token") && context.Items[GrantTypeKey] as string == "password")
                {
                    return RateLimitPartition.GetFixedWindowLimiter("token:" + Address(context), _ => Window(limits.TokenPermits, limits.Window));
                }

                if (path.StartsWithSegments("/api") && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
                    && !HttpMethods.IsOptions(context.Request.Method))
                {
                    var caller = context.User.Identity?.IsAuthenticated == true ? "user:" + context.User.UserId() : "addr:" + Address(context);
                    return RateLimitPartition.GetFixedWindowLimiter("write:" + caller, _ => Window(limits.WritePermits, limits.Window));
                }

                return RateLimitPartition.GetNoLimiter("none");
            });
        });
        return builder;
    }

    const string GrantTypeKey = "antq.grant_type";

    /// <summary>Reads the grant type of a token request (the form stays readable for the proxy) before the limiter partitions it.</summary>
    public static IApplicationBuilder UseTokenGrantType(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/connect/token") && HttpMethods.IsPost(context.Request.Method)
                && context.Request.HasFormContentType && context.Request.ContentLength is null or < 64 * 1024)
            {
                context.Request.EnableBuffering();
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                context.Items[GrantTypeKey] = form["grant_type"].ToString();
                context.Request.Body.Position = 0;
            }

            await next(context);
        });

    static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
