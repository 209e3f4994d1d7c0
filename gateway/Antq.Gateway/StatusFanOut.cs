using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Yarp.ReverseProxy;

namespace Antq.Gateway;

/// <summary>
/// The platform's status as <c>GET /api/status</c> answers it (its document; the answer is merged from each service's
/// own JSON, see <see cref="StatusFanOut"/>): one entry per service, the sections only one service knows lifted to the
/// top (present when a service gave them), and the totals.
/// </summary>
public sealed record PlatformStatus(DateTimeOffset CheckedAt, PlatformTotals Totals, IReadOnlyList<PlatformServiceStatus> Services)
{
    /// <summary>Reporting's section: the latest closings (khóa sổ).</summary>
    public IReadOnlyList<JsonElement>? Closings { get; init; }

    /// <summary>Notification's section: the latest deliveries that failed.</summary>
    public IReadOnlyList<JsonElement>? FailedDeliveries { get; init; }
}

/// <summary>What an operator looks at first: services asked, down, not ready, the outboxes' backlog and the dead letters.</summary>
public sealed record PlatformTotals(int Services, int Down, int NotReady, long OutboxUnsent, long OutboxParked, double? OldestUnsentAgeSeconds, long DeadLetters);

/// <summary>
/// One service's status (<c>GET /api/status/self</c>, without its sections, which are lifted to the top), with
/// <c>up</c>; a service that did not answer has only its name, <c>up</c> = false, <c>ready</c> = false, the HTTP status it
/// gave if any and the reason in Vietnamese.
/// </summary>
public sealed record PlatformServiceStatus(string Service, bool Up, bool Ready)
{
    public int? HttpStatus { get; init; }
    public string? Reason { get; init; }
    public string? Version { get; init; }
    public string? Commit { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
    public IReadOnlyDictionary<string, string>? Checks { get; init; }
    public IReadOnlyList<ServiceStatusEndpoints.OutboxStatus>? Outboxes { get; init; }
    public long? DeadLetters { get; init; }
    public IReadOnlyList<BrokerQueue>? Queues { get; init; }
    public IReadOnlyList<string>? Problems { get; init; }
}

/// <summary>
/// The platform's status page for administrators: <c>GET /api/status</c> asks every service behind the gateway for its
/// own status (<c>GET /api/status/self</c>, one instance of each, with the caller's token, which each checks again),
/// adds the gateway's, and merges them: one entry per service (readiness, version, outbox backlog, dead letters, its
/// queues on the broker), the sections only one service knows lifted to the top (<c>closings</c> from Reporting,
/// <c>failedDeliveries</c> from Notification), and totals. A service that does not answer in time, or answers with an
/// error, is shown as down with the reason; the page as a whole still answers 200.
/// </summary>
public static class StatusFanOut
{
    public const string Path = "/api/status";
    public const string HttpClientName = "status";

    /// <summary>How long a service has to answer before it is shown as down (<c>Gateway:StatusTimeout</c>, default 5 s).</summary>
    public static TimeSpan Timeout(IConfiguration configuration) => configuration.GetValue<TimeSpan?>("Gateway:StatusTimeout") ?? TimeSpan.FromSeconds(5);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddStatusFanOut(this IServiceCollection services, IConfiguration configuration)
    {
        var timeout = Timeout(configuration);
        services.AddHttpClient(HttpClientName, client => client.Timeout = timeout);
        return services;
    }

    public static IEndpointRouteBuilder MapStatusFanOut(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, GetStatus)
            .RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin))
            .WithTags("Tình trạng hệ thống").WithName("getPlatformStatus")
            .WithSummary("Tình trạng của toàn nền tảng (quản trị)")
            .WithDescription("Cổng hỏi tình trạng riêng của mọi dịch vụ (`GET /api/status/self`, mỗi dịch vụ một phiên bản chạy, với mã truy cập của người gọi) và thêm tình trạng của chính cổng: mỗi dịch vụ một mục (sẵn sàng, phiên bản, hộp thư đi chưa gửi, thư chết, hàng đợi trên máy chủ thông điệp), các mục chỉ một dịch vụ biết được đưa lên đầu (`closings` của Reporting, `failedDeliveries` của Notification), và các tổng số. Dịch vụ không trả lời kịp hoặc trả lời lỗi được ghi là ngừng (`up` = false) kèm lý do; cả trang vẫn trả lời 200. Chỉ quản trị viên.")
            .Produces<PlatformStatus>(StatusCodes.Status200OK, "application/json")
            .Problems(401, 403);
        return app;
    }

    public static async Task<JsonHttpResult<JsonObject>> GetStatus(HttpContext http, IProxyStateLookup proxy, IHttpClientFactory clients, TimeProvider clock)
    {
        var cancellationToken = http.RequestAborted;
        var asked = Services(proxy).Select(s => AskAsync(http, clients, s, cancellationToken)).ToList();
        var gateway = JsonSerializer.SerializeToNode(await ServiceStatusEndpoints.ReadSelfAsync(http.RequestServices, cancellationToken), Json)!.AsObject();
        gateway["service"] = "gateway";
        gateway["up"] = true;
        var entries = new List<JsonObject> { gateway };
        entries.AddRange(await Task.WhenAll(asked));
        return TypedResults.Json(Merge(entries, clock.GetUtcNow()), Json);
    }

    /// <summary>The answer: every entry, the sections lifted and concatenated (newest first), and the totals an operator looks at first.</summary>
    static JsonObject Merge(IReadOnlyList<JsonObject> entries, DateTimeOffset now)
    {
        var sections = new SortedDictionary<string, List<JsonNode>>(StringComparer.Ordinal);
        long unsent = 0, parked = 0, deadLetters = 0;
        double? oldestAge = null;
        foreach (var entry in entries)
        {
            if (entry["sections"] is JsonObject own)
            {
                foreach (var (name, list) in own)
                {
                    if (list is not JsonArray items) continue;
                    if (!sections.TryGetValue(name, out var all)) sections[name] = all = [];
                    foreach (var item in items) if (item is not null) all.Add(item.DeepClone());
                }

                entry.Remove("sections"); // shown once, at the top
            }

            foreach (var outbox in entry["outboxes"] as JsonArray ?? [])
            {
                unsent += outbox?["unsent"]?.GetValue<long>() ?? 0;
                parked += outbox?["parked"]?.GetValue<long>() ?? 0;
                if (outbox?["oldestUnsentAgeSeconds"] is JsonValue age && age.GetValue<double>() is var seconds && (oldestAge is null || seconds > oldestAge))
                    oldestAge = seconds;
            }

            if (entry["deadLetters"] is JsonValue letters) deadLetters += letters.GetValue<long>();
        }

        var answer = new JsonObject
        {
            ["checkedAt"] = now,
            ["totals"] = new JsonObject
            {
                ["services"] = entries.Count,
                ["down"] = entries.Count(e => e["up"]?.GetValue<bool>() != true),
                ["notReady"] = entries.Count(e => e["up"]?.GetValue<bool>() == true && e["ready"]?.GetValue<bool>() != true),
                ["outboxUnsent"] = unsent,
                ["outboxParked"] = parked,
                ["oldestUnsentAgeSeconds"] = oldestAge,
                ["deadLetters"] = deadLetters,
            },
            ["services"] = new JsonArray([.. entries]),
        };
        foreach (var (name, items) in sections) answer[name] = new JsonArray([.. items]);
        return answer;
    }

    /// <summary>Each cluster with one address to ask: a healthy instance if the proxy knows one.</summary>
    static IEnumerable<(string Cluster, string Address)> Services(IProxyStateLookup proxy) =>
        proxy.GetClusters()
            .Select(c => (c.ClusterId, Destination: c.DestinationsState.AvailableDestinations.FirstOrDefault() ?? c.Destinations.Values.FirstOrDefault()))
            .Where(c => c.Destination is not null)
            .OrderBy(c => c.ClusterId, StringComparer.Ordinal)
            .Select(c => (c.ClusterId, c.Destination!.Model.Config.Address));

    /// <summary>One service's own status, or an entry saying it is down and why (in Vietnamese, for the page).</summary>
    static async Task<JsonObject> AskAsync(HttpContext http, IHttpClientFactory clients, (string Cluster, string Address) service, CancellationToken cancellationToken)
    {
        JsonObject Down(string reason, int? status = null) => new()
        {
            ["service"] = service.Cluster, ["up"] = false, ["ready"] = false, ["httpStatus"] = status, ["reason"] = reason,
        };

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(service.Address), ServiceStatusEndpoints.Path));
            if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization.ToString(), out var authorization))
                request.Headers.Authorization = authorization;
            request.Headers.TryAddWithoutValidation(Correlation.HeaderName, http.Request.Headers[Correlation.HeaderName].ToString());
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
                return Down($"Dịch vụ trả lời mã {(int)response.StatusCode} thay vì tình trạng của nó.", (int)response.StatusCode);
            if (JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) is not JsonObject answer)
                return Down("Câu trả lời của dịch vụ không đọc được.", (int)response.StatusCode);
            answer["service"] = service.Cluster;
            answer["up"] = true;
            return answer;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return Down(ex is TaskCanceledException ? "Dịch vụ không trả lời kịp thời." : "Không kết nối được tới dịch vụ.");
        }
    }
}
