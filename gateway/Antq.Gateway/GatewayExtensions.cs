using System.Security.Claims;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.Features;
using Scalar.AspNetCore;
using Yarp.ReverseProxy.Transforms;

namespace Antq.Gateway;

/// <summary>
/// The one public door: routes and clusters come from configuration (section <c>ReverseProxy</c>); the gateway checks
/// the token, stamps the caller's identity and a correlation id on the forwarded request, limits request size, and
/// serves every service's API reference at <c>/docs</c>.
/// </summary>
public static class GatewayExtensions
{
    /// <summary>Headers the gateway sets from the validated token; whatever a caller sends under these names is dropped.</summary>
    public static readonly string[] IdentityHeaders = ["X-Antq-User", "X-Antq-Role", "X-Antq-Unit"];

    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        var maxBody = MaxRequestBodyBytes(builder.Configuration);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options =>
        {
            options.Limits.MaxRequestBodySize = maxBody;
            // The server's own refusal of a long request line has no body; the gateway refuses long addresses itself
            // (MaxRequestTargetLength) with a Vietnamese problem, and the server only past this ceiling.
            options.Limits.MaxRequestLineSize = RequestLineCeiling;
            options.AddServerHeader = false;
        });

        var proxy = builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .WithConnectTimeout(builder.Configuration);
        // Behind a headless Kubernetes Service (the portal's), a destination's host name stands for each of its pods:
        // resolved to them all, the gateway balances across them and can keep a person's circuit on one (sticky
        // sessions). Off by default: elsewhere every destination is one address (Gateway:ResolveDestinations).
        if (builder.Configuration.GetValue("Gateway:ResolveDestinations:Enabled", false))
        {
            var refresh = builder.Configuration.GetValue("Gateway:ResolveDestinations:RefreshPeriod", TimeSpan.FromSeconds(10));
            proxy.AddDnsDestinationResolver(options => options.RefreshPeriod = refresh);
        }
        proxy.AddTransforms(context =>
            {
                context.AddRequestTransform(transform =>
                {
                    var headers = transform.ProxyRequest.Headers;
                    foreach (var name in IdentityHeaders) headers.Remove(name);
                    var user = transform.HttpContext.User;
                    if (user.Identity?.IsAuthenticated == true)
                    {
                        headers.TryAddWithoutValidation("X-Antq-User", Uri.EscapeDataString(user.UserName() ?? ""));
                        headers.TryAddWithoutValidation("X-Antq-Role", string.Join(',', user.FindAll(AntqClaims.Role).Select(c => c.Value)));
                        headers.TryAddWithoutValidation("X-Antq-Unit", user.OrgUnitCode() ?? "");
                    }

                    headers.Remove(Correlation.HeaderName);
                    headers.TryAddWithoutValidation(Correlation.HeaderName, transform.HttpContext.Request.Headers[Correlation.HeaderName].ToString());
                    return ValueTask.CompletedTask;
                });
            });

        builder.AddGatewaySecurity();
        builder.Services.AddTransient<IStartupFilter, GatewayMetrics.Filter>();
        builder.Services.AddHttpClient(ClusterHealthCheck.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(3));
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("clusters", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddDeadLetterFanOut();
        builder.Services.AddStatusFanOut(builder.Configuration);
        return builder;
    }

    static long MaxRequestBodyBytes(IConfiguration configuration) =>
        configuration.GetValue<long?>("Gateway:MaxRequestBodyBytes") ?? 10 * 1024 * 1024;

    /// <summary>Kestrel's limit on the request line at the gateway; addresses are refused well before (<see cref="MaxRequestTargetLength"/>).</summary>
    const int RequestLineCeiling = 64 * 1024;

    /// <summary>
    /// <c>Gateway:MaxRequestTargetLength</c>: the longest path and query the gateway forwards, default 8,000 characters,
    /// under the services' own request-line limit (8 KiB) so that none of them ever refuses one without a body.
    /// </summary>
    static int MaxRequestTargetLength(IConfiguration configuration) =>
        Math.Min(configuration.GetValue<int?>("Gateway:MaxRequestTargetLength") ?? 8000, RequestLineCeiling - 100);

    public static WebApplication MapGateway(this WebApplication app)
    {
        var maxBody = MaxRequestBodyBytes(app.Configuration);
        var maxTarget = MaxRequestTargetLength(app.Configuration);
        app.Use(async (context, next) =>
        {
            // 414 with no body; the status code pages make it a Vietnamese problem.
            // As sent (percent-encoded) where the server keeps it, else as decoded.
            var length = Math.Max(context.Features.Get<IHttpRequestFeature>()?.RawTarget?.Length ?? 0,
                (context.Request.Path.Value?.Length ?? 0) + (context.Request.QueryString.Value?.Length ?? 0));
            if (length > maxTarget)
            {
                context.Response.StatusCode = StatusCodes.Status414UriTooLong;
                return;
            }

            await next(context);
        });
        app.UseTokenGrantType();
        app.UseRateLimiter();
        app.UseSignInFormBound();
        app.MapReverseProxy(proxy =>
        {
            // A body larger than the limit is refused before it is forwarded (a Vietnamese problem follows from the
            // status code pages); a chunked body without a length is cut by the server at the same limit.
            proxy.Use(async (context, next) =>
            {
                if (context.Request.ContentLength > maxBody)
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    return;
                }

                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                {
                    feature.MaxRequestBodySize = maxBody;
                }

                await next();
            });
            // The steps a custom pipeline must name itself (the parameterless MapReverseProxy adds them): without them
            // the portal's sticky sessions (SessionAffinity) and the clusters' LoadBalancingPolicy were ignored, each
            // request went to a destination chosen at random, and a Blazor circuit's connection could reach the replica
            // that did not hold it (404).
            proxy.UseRetryOnAnotherReplica();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

        app.MapDeadLetterFanOut();
        app.MapStatusFanOut();

        // The gateway's own document (the routes it answers itself) next to the services' (routed to each).
        app.MapOpenApi("/openapi/gateway.json").AllowAnonymous();
        var documents = app.Configuration.GetSection("Gateway:ApiDocuments").Get<string[]>() ?? [];
        app.MapScalarApiReference("/docs", options =>
        {
            options.Title = "AntqPlatform API";
            options.OpenApiRoutePattern = "/openapi/{documentName}.json";
            foreach (var document in documents) options.AddDocument(document);
        }).AllowAnonymous();

        return app;
    }
}
