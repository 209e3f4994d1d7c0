using System.Diagnostics;
using System.Diagnostics.Metrics;
using Yarp.ReverseProxy.Model;

namespace Antq.Gateway;

/// <summary>
/// The door's own figures (meter <c>Antq.Gateway</c>, served at the gateway's <c>/metrics</c>; see
/// docs/observability.md): <c>antq.gateway.requests</c> (every request, by route template, method and status code, and
/// whether it was forwarded to a service) and <c>antq.gateway.refusals</c> (requests refused, by reason: <c>auth</c>
/// — no valid token, 401; <c>scope</c> — a valid token without the right to it, 403; <c>limit</c> — a rate limit,
/// 429; <c>size</c> — a body or an address too large, 413 and 414; and by who refused: the gateway itself, or the
/// service behind it, such as a unit outside the caller's scope), and <c>antq.gateway.retries</c> (reads sent again to
/// another replica because the first could not be reached, by cluster). Taken around the whole pipeline, by a startup filter,
/// so that refusals made before any endpoint (the limiter, the size checks, authentication) are counted too.
/// </summary>
public static class GatewayMetrics
{
    public const string MeterName = "Antq.Gateway";

    static readonly Meter Meter = new(MeterName);

    static readonly Counter<long> Requests = Meter.CreateCounter<long>("antq.gateway.requests", "{request}",
        "Requests at the gateway by route template, method, status code and whether a service answered.");

    static readonly Counter<long> Refusals = Meter.CreateCounter<long>("antq.gateway.refusals", "{request}",
        "Requests refused by reason (auth, scope, limit, size) and by who refused (gateway or service).");

    static readonly Counter<long> Retries = Meter.CreateCounter<long>("antq.gateway.retries", "{request}",
        "Reads sent again to another replica because the first could not be reached (ReplicaRetry), by cluster.");

    /// <summary>A read sent again to another replica of <paramref name="cluster"/> (<see cref="ReplicaRetry"/>).</summary>
    public static void RequestRetried(string cluster) => Retries.Add(1, new KeyValuePair<string, object?>("antq.gateway.cluster", cluster));

    /// <summary>The reason a status code refuses for; null for any other answer.</summary>
    public static string? ReasonOf(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "auth",
        StatusCodes.Status403Forbidden => "scope",
        StatusCodes.Status429TooManyRequests => "limit",
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status414UriTooLong => "size",
        _ => null,
    };

    static void Record(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var forwarded = context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is not null;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
        Requests.Add(1, new TagList
        {
            { "http.route", route },
            { "http.request.method", context.Request.Method },
            { "http.response.status_code", status },
            { "antq.gateway.forwarded", forwarded },
        });
        if (ReasonOf(status) is { } reason)
        {
            Refusals.Add(1, new KeyValuePair<string, object?>("antq.gateway.refusal.reason", reason),
                new KeyValuePair<string, object?>("antq.gateway.refused_by", forwarded ? "service" : "gateway"));
        }
    }

    /// <summary>Counts every request once its answer is decided, around everything else the gateway does.</summary>
    public sealed class Filter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    Record(context);
                }
            });
            next(app);
        };
    }
}
