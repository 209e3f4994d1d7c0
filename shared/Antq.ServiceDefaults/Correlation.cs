using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Antq.ServiceDefaults;

/// <summary>
/// The gateway gives each request an <c>X-Correlation-Id</c> (or keeps the caller's); every service echoes it,
/// logs under it and tags its spans with it, so a person can quote one id for a whole flow.
/// </summary>
public static class Correlation
{
    public const string HeaderName = "X-Correlation-Id";

    public static IApplicationBuilder UseAntqCorrelationId(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var id = context.Request.Headers[HeaderName].ToString();
            if (string.IsNullOrWhiteSpace(id) || id.Length > 100 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                id = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
                context.Request.Headers[HeaderName] = id;
            }

            // When the answer starts, and only if it has none yet: a proxied answer (the gateway) already carries the
            // id the service echoed, which is this one, and a second copy would make the header a list.
            context.Response.OnStarting(() =>
            {
                if (!context.Response.Headers.ContainsKey(HeaderName)) context.Response.Headers[HeaderName] = id;
                return Task.CompletedTask;
            });
            Activity.Current?.SetTag("antq.correlation_id", id);

            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Antq.Correlation");
            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
            {
                await next(context);
            }
        });
}
