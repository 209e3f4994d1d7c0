using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Gateway;

/// <summary>The platform's dead letters: every service's, and the services that did not answer (the list may then be short).</summary>
public sealed record PlatformDeadLetters(IReadOnlyList<DeadLetter> Items, IReadOnlyList<string> Unreachable);

/// <summary>How many dead letters the services sent back, and the services that did not answer.</summary>
public sealed record PlatformRedrive(int Redriven, IReadOnlyList<string> Unreachable);

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

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddDeadLetterFanOut(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(60));
        return services;
    }

    public static IEndpointRouteBuilder MapDeadLetterFanOut(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(DeadLetterEndpoints.Path).WithTags("Thư chết (dead letters)")
            .RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin)).Problems(401, 403);

        group.MapGet("/", ListDeadLetters).WithName("listPlatformDeadLetters")
            .WithSummary("Thư chết của toàn nền tảng (quản trị)")
            .WithDescription("Cổng hỏi mọi dịch vụ (mỗi dịch vụ một phiên bản chạy) và gộp danh sách thư chết của chúng: thông điệp bị chuyển vào hàng đợi `_error` và thông điệp hộp thư đi đã tạm giữ; mỗi mục cho biết là gì, ở đâu, vì sao và từ lúc nào. Dịch vụ không trả lời được nêu tên trong `unreachable`, khi đó danh sách có thể chưa đủ. Chỉ quản trị viên.");
        group.MapPost("/redrive", RedriveAll).WithName("redriveAllPlatformDeadLetters")
            .WithSummary("Gửi lại mọi thư chết của toàn nền tảng (quản trị)")
            .WithDescription("Cổng yêu cầu mọi dịch vụ gửi lại tất cả thư chết của mình, sau khi nguyên nhân đã được khắc phục; trả về tổng số thông điệp đã gửi lại và các dịch vụ không trả lời (`unreachable`). Chỉ quản trị viên.");
        group.MapPost("/{id}/redrive", RedriveOne).WithName("redrivePlatformDeadLetter")
            .WithSummary("Gửi lại một thư chết (quản trị)")
            .WithDescription("Cổng chuyển yêu cầu tới dịch vụ có tên đứng đầu mã thư chết `id` (ví dụ `reporting:outbox:…`) và trả lại câu trả lời của dịch vụ đó. Mã không bắt đầu bằng tên một dịch vụ, hoặc dịch vụ không còn thư đó: 404; dịch vụ không phản hồi: 503. Chỉ quản trị viên.")
            .Produces<DeadLetterEndpoints.RedriveResult>()
            .Problems(404, 503);

        return app;
    }

    /// <summary>Every service's list, merged; a portal without a bus (404) is left out, a service that did not answer named.</summary>
    public static async Task<Ok<PlatformDeadLetters>> ListDeadLetters(HttpContext http, IProxyStateLookup proxy, IHttpClientFactory clients)
    {
        var answers = await Task.WhenAll(Services(proxy).Select(s => SendAsync(http, clients, s, HttpMethod.Get, DeadLetterEndpoints.Path, http.RequestAborted)));
        var items = new List<DeadLetter>();
        var unreachable = new List<string>();
        foreach (var (service, status, body) in answers)
        {
            if (status == StatusCodes.Status404NotFound) continue; // a service without a bus (the portal)
            if (status != StatusCodes.Status200OK || Read<List<DeadLetter>>(body) is not { } list)
            {
                unreachable.Add(service);
                continue;
            }

            items.AddRange(list);
        }

        return TypedResults.Ok(new PlatformDeadLetters(items, unreachable));
    }

    public static async Task<Ok<PlatformRedrive>> RedriveAll(HttpContext http, IProxyStateLookup proxy, IHttpClientFactory clients)
    {
        var answers = await Task.WhenAll(Services(proxy).Select(s =>
            SendAsync(http, clients, s, HttpMethod.Post, DeadLetterEndpoints.Path + "/redrive", http.RequestAborted)));
        var redriven = answers.Where(a => a.Status == StatusCodes.Status200OK)
            .Sum(a => JsonNode.Parse(a.Body!)?["redriven"]?.GetValue<int>() ?? 0);
        var unreachable = answers.Where(a => a.Status is not (StatusCodes.Status200OK or StatusCodes.Status404NotFound)).Select(a => a.Service).ToList();
        return TypedResults.Ok(new PlatformRedrive(redriven, unreachable));
    }

    /// <summary>Passed on to the service the id names; its answer (200 with the count, or its problem) goes back as it came.</summary>
    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> RedriveOne(string id, HttpContext http, IProxyStateLookup proxy, IHttpClientFactory clients)
    {
        var service = Services(proxy).FirstOrDefault(s => s.Cluster == id.Split(':')[0]);
        if (service.Cluster is null)
        {
            return Problem(StatusCodes.Status404NotFound, $"Mã thư chết '{id}' không bắt đầu bằng tên một dịch vụ của nền tảng.");
        }

        var (_, status, body) = await SendAsync(http, clients, service, HttpMethod.Post,
            $"{DeadLetterEndpoints.Path}/{Uri.EscapeDataString(id)}/redrive", http.RequestAborted);
        return status == 0
            ? Problem(StatusCodes.Status503ServiceUnavailable, $"Dịch vụ {service.Cluster} không phản hồi; hãy thử gửi lại sau.")
            : TypedResults.Content(body ?? "", "application/json", statusCode: status);
    }

    static T? Read<T>(string? body) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(body ?? "", Json); }
        catch (JsonException) { return null; }
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
