using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Antq.ServiceDefaults;

/// <summary>
/// Headers that keep browsers from sniffing content types, framing pages or leaking addresses, on every answer of every
/// service (refusals included). API answers also forbid any active content and caching.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseAntqSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers.Remove("Server");
                headers.Remove("X-Powered-By");
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            await next(context);
        });
}
