using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Antq.ServiceDefaults;
using Yarp.ReverseProxy;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Gateway;

/// <summary>
/// The platform's dead letters in one place, for administrators: <c>GET /api/dead-letters</c> asks every service
/// behind the gateway (one instance of each: replicas share their database and queues) and merges their lists,
/// naming the services that did not answer; <c>POST /api/dead-letters/{id}/redrive</c> goes to the service the id
/// begins with; <c>POST /api/dead-letters/redrive</c> to every service. The caller's token goes with each request and
/// each service checks it again.
/// </summary>
public static class DeadLetterFanOut
{
    public const string HttpClientName = "dead-letters";

    public static IServiceCollection AddDeadLetterFanOut(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(60));
        return services;
    }

    public static IEndpointRouteBuilder MapDeadLetterFanOut(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(DeadLetterEndpoints.Path).WithTags("Thư chết (dead letters)")
            .RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin));

        group.MapGet("/", async (HttpContext http, IProxyStateLookup proxy, IHttpClientFactory clients, CancellationToken cancellationToken) =>
        {
            var answers = await Task.WhenAll(Services(proxy).Select(s => SendAsync(http, clients, s, HttpMethod.Get, DeadLetterEndpoints.Path, cancellationToken)));
            var items = new JsonArray();
            var unreachable = new List<string>();
            foreach (var (service, status, body) in answers)
            {
                if (status == StatusCodes.Status404NotFound) continue; // a service without a bus (the portal)
                if (status != StatusCodes.Status200OK || JsonNode.Parse(body ?? "") is not JsonArray list)
                {
                    unreachable.Add(service);
                    continue;
                }

                foreach (var item in list.ToList())
                {
                    list.Remove(item);
                    items.Add(item);
                }
            }

            return Results.Ok(new { items, unreachable });
        }).WithName("listPlatformDeadLetters");

        group.MapPost("/redrive", async (HttpContext http, IProxyStateLookup proxy, IHttpClientFactory clients, CancellationToken cancellationToken) =>
        {
            var answers = await Task.WhenAll(Services(proxy).Select(s =>
                SendAsync(http, clients, s, HttpMethod.Post, DeadLetterEndpoints.Path + "/redrive", cancellationToken)));
            var redriven = answers.Where(a => a.Status == StatusCodes.Status200OK)
                .Sum(a => JsonNode.Parse(a.Body!)?["redriven"]?.GetValue<int>() ?? 0);
            var unreachable = answers.Where(a => a.Status is not (StatusCodes.Status200OK or StatusCodes.Status404NotFound)).Select(a => a.Service).ToList();
            return Results.Ok(new { redriven, unreachable });
        }).WithName("redriveAllPlatformDeadLetters");

        group.MapPost("/{id}/redrive", async (string id, HttpContext http, IProxyStateLookup proxy, IHttpClientFactory clients, CancellationToken cancellationToken) =>
        {
            var service = Services(proxy).FirstOrDefault(s => s.Cluster == id.Split(':')[0]);
            if (service.Cluster is null)
            {
                return Problem(StatusCodes.Status404NotFound, $"Mã thư chết '{id}' không bắt đầu bằng tên một dịch vụ của nền tảng.");
            }

            var (_, status, body) = await SendAsync(http, clients, service, HttpMethod.Post,
                $"{DeadLetterEndpoints.Path}/{Uri.EscapeDataString(id)}/redrive", cancellationToken);
            return status == 0
                ? Problem(StatusCodes.Status503ServiceUnavailable, $"Dịch vụ {service.Cluster} không phản hồi; hãy thử gửi lại sau.")
                : Results.Content(body ?? "", "application/json", statusCode: status);
        }).WithName("redrivePlatformDeadLetter");

        return app;
    }

    /// <summary>Each cluster with one address to ask: a healthy instance if the proxy knows one.</summary>
    static IEnumerable<(string Cluster, string Address)> Services(IProxyStateLookup proxy) =>
        proxy.GetClusters()
            .Select(c => (c.ClusterId, Destination: c.DestinationsState.AvailableDestinations.FirstOrDefault() ?? c.Destinations.Values.FirstOrDefault()))
            .Where(c => c.Destination is not null)
            .Select(c => (c.ClusterId, c.Destination!.Model.Config.Address));

    static async Task<(string Service, int Status, string? Body)> SendAsync(HttpContext http, IHttpClientFactory clients,
        (string Cluster, string Address) service, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(new Uri(service.Address), path));
            if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization.ToString(), out var authorization))
                request.Headers.Authorization = authorization;
            request.Headers.TryAddWithoutValidation(Correlation.HeaderName, http.Request.Headers[Correlation.HeaderName].ToString());
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            return (service.Cluster, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (service.Cluster, 0, null);
        }
    }
}
