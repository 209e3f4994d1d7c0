using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Indicators;
using Antq.Portal.Auth;

namespace Antq.Portal.Api;

/// <summary>
/// The public API through the gateway, called with the signed-in user's access token. Every failure comes back as an
/// <see cref="ApiResult{T}"/> with a Vietnamese message for the page, never as an exception.
/// </summary>
public sealed class AntqApiClient(HttpClient http, UserSession session, ILogger<AntqApiClient> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    const string SignInAgain = "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.";

    // ---- units, deadlines, plans (Plan service)
    public Task<ApiResult<OrgUnit>> GetOrgUnitAsync(string code, CancellationToken ct = default) =>
        SendAsync<OrgUnit>(HttpMethod.Get, $"api/org-units/{Esc(code)}", ct: ct);

    public Task<ApiResult<OrgUnitChildren>> GetChildUnitsAsync(string code, CancellationToken ct = default) =>
        SendAsync<OrgUnitChildren>(HttpMethod.Get, $"api/org-units/{Esc(code)}/children", ct: ct);

    public Task<ApiResult<Deadline>> GetDeadlineAsync(string code, string period, CancellationToken ct = default) =>
        SendAsync<Deadline>(HttpMethod.Get, $"api/deadlines/{Esc(code)}/{Esc(period)}", ct: ct);

    public Task<ApiResult<PlanList>> GetPlansAsync(string issuer, int year, CancellationToken ct = default) =>
        SendAsync<PlanList>(HttpMethod.Get, $"api/plans?issuer={Esc(issuer)}&year={year}", ct: ct);

    public Task<ApiResult<PlanDraft>> ReadPlanTextAsync(string text, CancellationToken ct = default) =>
        SendAsync<PlanDraft>(HttpMethod.Post, "api/plans/drafts/from-text", new StringContent(text, System.Text.Encoding.UTF8, "text/plain"), ct: ct);

    public Task<ApiResult<Plan>> CreatePlanAsync(object plan, CancellationToken ct = default) =>
        SendAsync<Plan>(HttpMethod.Post, "api/plans", JsonContent.Create(plan, options: Json), ct: ct);

    public Task<ApiResult<Plan>> IssuePlanAsync(Guid id, CancellationToken ct = default) =>
        SendAsync<Plan>(HttpMethod.Post, $"api/plans/{id}/issue", ct: ct);

    public Task<ApiResult<Cascade>> GetCascadeAsync(Guid id, CancellationToken ct = default) =>
        SendAsync<Cascade>(HttpMethod.Get, $"api/plans/{id}/cascade", ct: ct);

    public Task<ApiResult<Classification>> GetClassificationAsync(string code, int year, CancellationToken ct = default) =>
        SendAsync<Classification>(HttpMethod.Get, $"api/classifications/{Esc(code)}/{year}", ct: ct);

    public Task<ApiResult<Classification>> SaveEvaluationAsync(string code, int year, object evaluation, CancellationToken ct = default) =>
        SendAsync<Classification>(HttpMethod.Put, $"api/classifications/{Esc(code)}/{year}/evaluation", JsonContent.Create(evaluation, options: Json), ct: ct);

    public Task<ApiResult<ClassificationSummary>> GetClassificationSummaryAsync(string code, int year, CancellationToken ct = default) =>
        SendAsync<ClassificationSummary>(HttpMethod.Get, $"api/classifications/{Esc(code)}/{year}/summary", ct: ct);

    public Task<ApiResult<UnitImport>> ImportUnitsAsync(Stream file, string contentType, string? effectiveFrom, CancellationToken ct = default)
    {
        var content = new StreamContent(file);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var query = string.IsNullOrWhiteSpace(effectiveFrom) ? "" : $"?effectiveFrom={Esc(effectiveFrom)}";
        return SendAsync<UnitImport>(HttpMethod.Post, $"api/org-units/import{query}", content, ct: ct);
    }

    // ---- catalogue, reports, roll-ups (Reporting service)
    /// <summary>
    /// The catalogue in force as a period's report sees it (<see cref="Catalogue.ForPeriod"/>), read as the catalogue
    /// library reads it: the form is judged by these very indicators and rules, with <see cref="ReportValidator"/>.
    /// </summary>
    public Task<ApiResult<Catalogue>> GetCatalogueAsync(string period, CancellationToken ct = default) =>
        SendAsync<Catalogue>(HttpMethod.Get, $"api/indicators?period={Esc(period)}", ct: ct, read: Catalogue.JsonOptions);

    /// <summary>Publishes a new catalogue version (Admin); the service checks it whole and answers its problems in Vietnamese.</summary>
    public Task<ApiResult<JsonElement>> PublishCatalogueAsync(byte[] json, CancellationToken ct = default)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return SendAsync<JsonElement>(HttpMethod.Put, "api/indicators/catalogue", content, ct: ct);
    }

    public Task<ApiResult<Report>> GetReportAsync(string code, string period, CancellationToken ct = default) =>
        SendAsync<Report>(HttpMethod.Get, $"api/reports/{Esc(code)}/{Esc(period)}", ct: ct);

    public Task<ApiResult<Report>> SaveReportAsync(string code, string period, IReadOnlyDictionary<string, object?> values,
        IReadOnlyDictionary<string, string?> narrative, string? etag, CancellationToken ct = default) =>
        SendAsync<Report>(HttpMethod.Put, $"api/reports/{Esc(code)}/{Esc(period)}",
            JsonContent.Create(new { values, narrative }, options: Json), etag, ct);

    /// <summary>Saves the report from a filled Excel form; errors name the cell ("Ô C7: …").</summary>
    public Task<ApiResult<Report>> UploadReportFormAsync(string code, string period, byte[] workbook, CancellationToken ct = default)
    {
        var content = new ByteArrayContent(workbook);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return SendAsync<Report>(HttpMethod.Put, $"api/reports/{Esc(code)}/{Esc(period)}", content, ct: ct);
    }

    public Task<ApiResult<Report>> SubmitReportAsync(string code, string period, string? etag, CancellationToken ct = default) =>
        SendAsync<Report>(HttpMethod.Post, $"api/reports/{Esc(code)}/{Esc(period)}/submit", null, etag, ct);

    public Task<ApiResult<Report>> ReturnReportAsync(string code, string period, string reason, CancellationToken ct = default) =>
        SendAsync<Report>(HttpMethod.Post, $"api/reports/{Esc(code)}/{Esc(period)}/return", JsonContent.Create(new { reason }, options: Json), ct: ct);

    public Task<ApiResult<Report>> AcceptReportAsync(string code, string period, CancellationToken ct = default) =>
        SendAsync<Report>(HttpMethod.Post, $"api/reports/{Esc(code)}/{Esc(period)}/accept", null, ct: ct);

    public Task<ApiResult<Rollup>> GetRollupAsync(string code, string period, CancellationToken ct = default) =>
        SendAsync<Rollup>(HttpMethod.Get, $"api/rollups/{Esc(code)}/{Esc(period)}", ct: ct);

    public Task<ApiResult<ChildrenRollup>> GetRollupChildrenAsync(string code, string period, CancellationToken ct = default) =>
        SendAsync<ChildrenRollup>(HttpMethod.Get, $"api/rollups/{Esc(code)}/{Esc(period)}/children", ct: ct);

    public Task<ApiResult<ChildrenIndicator>> GetRollupChildrenIndicatorAsync(string code, string period, string indicator, CancellationToken ct = default) =>
        SendAsync<ChildrenIndicator>(HttpMethod.Get, $"api/rollups/{Esc(code)}/{Esc(period)}/children/{Esc(indicator)}", ct: ct);

    /// <summary>A period's roll-up re-expressed on the unit valid at <paramref name="mapTo"/> (so với cùng kỳ across the 2025 reform).</summary>
    public Task<ApiResult<MappedRollup>> GetMappedRollupAsync(string code, string period, DateOnly mapTo, CancellationToken ct = default) =>
        SendAsync<MappedRollup>(HttpMethod.Get, $"api/rollups/{Esc(code)}/{Esc(period)}?mapTo={mapTo:yyyy-MM-dd}", ct: ct);

    /// <summary>Whether the service offers the document at all (a 404 or 501 hides the button); reads only the headers.</summary>
    public async Task<bool> ExportExistsAsync(string code, string period, string format, CancellationToken ct = default)
    {
        try
        {
            using var request = await RequestAsync(HttpMethod.Get, ExportPath(code, period, format), null, null, ct);
            if (request is null) return false;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public static string ExportPath(string code, string period, string format) =>
        $"api/rollups/{Esc(code)}/{Esc(period)}/export?format={Esc(format)}";

    /// <summary>Streams a document of the API (an export) for the portal's download endpoint.</summary>
    public async Task<HttpResponseMessage?> DownloadAsync(string path, CancellationToken ct)
    {
        var request = await RequestAsync(HttpMethod.Get, path, null, null, ct);
        return request is null ? null : await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    // ---- inbox (Notification service)
    public Task<ApiResult<List<Notice>>> GetNotificationsAsync(CancellationToken ct = default) =>
        SendAsync<List<Notice>>(HttpMethod.Get, "api/notifications", ct: ct);

    public Task<ApiResult<JsonElement>> MarkReadAsync(string id, CancellationToken ct = default) =>
        SendAsync<JsonElement>(HttpMethod.Post, $"api/notifications/{Esc(id)}/read", ct: ct);

    /// <summary>The signed-in account's own notification preferences (getNotificationPreferences).</summary>
    public Task<ApiResult<NotificationPreferences>> GetNotificationPreferencesAsync(CancellationToken ct = default) =>
        SendAsync<NotificationPreferences>(HttpMethod.Get, "api/notifications/preferences", ct: ct);

    /// <summary>Sets them (putNotificationPreferences); wrong values come back per field, in Vietnamese.</summary>
    public Task<ApiResult<NotificationPreferences>> PutNotificationPreferencesAsync(NotificationPreferencesRequest request, CancellationToken ct = default) =>
        SendAsync<NotificationPreferences>(HttpMethod.Put, "api/notifications/preferences", JsonContent.Create(request, options: Json), ct: ct);

    // ---- users (Identity service)
    public Task<ApiResult<UserProfile>> CreateUserAsync(CreateUser user, CancellationToken ct = default) =>
        SendAsync<UserProfile>(HttpMethod.Post, "api/users", JsonContent.Create(user, options: Json), ct: ct);

    /// <summary>The platform's status (Admin): every service's readiness, version, outbox, dead letters and queues, merged by the gateway.</summary>
    public Task<ApiResult<PlatformStatus>> GetStatusAsync(CancellationToken ct = default) =>
        SendAsync<PlatformStatus>(HttpMethod.Get, "api/status", ct: ct);

    public Task<ApiResult<UserPage>> ListUsersAsync(string? search, string? role, int page, CancellationToken ct = default) =>
        SendAsync<UserPage>(HttpMethod.Get, $"api/users?page={page}&pageSize=20"
            + (string.IsNullOrWhiteSpace(search) ? "" : $"&search={Esc(search.Trim())}")
            + (string.IsNullOrWhiteSpace(role) ? "" : $"&role={Esc(role)}"), ct: ct);

    /// <summary>Disables (ending the user's sessions) or enables an account.</summary>
    public Task<ApiResult<UserProfile>> SetUserActiveAsync(string username, bool active, CancellationToken ct = default) =>
        SendAsync<UserProfile>(HttpMethod.Patch, $"api/users/{Esc(username)}", JsonContent.Create(new { active }, options: Json), ct: ct);

    public Task<ApiResult<UserProfile>> ResetPasswordAsync(string username, string password, CancellationToken ct = default) =>
        SendAsync<UserProfile>(HttpMethod.Post, $"api/users/{Esc(username)}/password", JsonContent.Create(new { password }, options: Json), ct: ct);

    public Task<ApiResult<UserProfile>> UnlockUserAsync(string username, CancellationToken ct = default) =>
        SendAsync<UserProfile>(HttpMethod.Post, $"api/users/{Esc(username)}/unlock", ct: ct);

    static string Esc(string value) => Uri.EscapeDataString(value);

    async Task<HttpRequestMessage?> RequestAsync(HttpMethod method, string path, HttpContent? content, string? etag, CancellationToken ct)
    {
        var token = await session.AccessTokenAsync(ct);
        if (token is null) return null;
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, HttpContent? content = null, string? etag = null, CancellationToken ct = default,
        JsonSerializerOptions? read = null)
    {
        HttpRequestMessage? request;
        try
        {
            request = await RequestAsync(method, path, content, etag, ct);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning(ex, "Refreshing the token before {Method} {Path} failed", method, path);
            return ApiResult<T>.Failure(HttpStatusCode.ServiceUnavailable, "Không kết nối được máy chủ đăng nhập; vui lòng thử lại sau.");
        }

        if (request is null) return ApiResult<T>.Failure(HttpStatusCode.Unauthorized, SignInAgain);
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, ct);
                var etagHeader = response.Headers.ETag?.ToString();
                if (response.IsSuccessStatusCode)
                {
                    if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
                        return ApiResult<T>.Success(default, response.StatusCode, etagHeader);
                    var value = await response.Content.ReadFromJsonAsync<T>(read ?? Json, ct);
                    return ApiResult<T>.Success(value, response.StatusCode, etagHeader);
                }

                return await ProblemAsync<T>(response, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                logger.LogWarning(ex, "{Method} {Path} failed", method, path);
                return ApiResult<T>.Failure(HttpStatusCode.ServiceUnavailable, "Không kết nối được dịch vụ; vui lòng thử lại sau.");
            }
        }
    }

    /// <summary>problem+json → "title: detail" and the errors map; anything else → a message by status code.</summary>
    static async Task<ApiResult<T>> ProblemAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        var status = response.StatusCode;
        string? title = null, detail = null;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (text.Length > 0 && text.TrimStart().StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(text);
                var root = doc.RootElement;
                title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in e.EnumerateObject())
                    {
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? [.. field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : m.ToString())]
                            : [field.Value.ToString()];
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document; the status code speaks.
        }

        var message = detail ?? title ?? StatusMessage(status);
        return ApiResult<T>.Failure(status, message, errors);
    }

    public static string StatusMessage(HttpStatusCode status) => (int)status switch
    {
        400 => "Yêu cầu không hợp lệ.",
        401 => SignInAgain,
        403 => "Bạn không có quyền thực hiện thao tác này.",
        404 => "Không tìm thấy.",
        409 => "Xung đột dữ liệu.",
        412 => "Dữ liệu đã được người khác thay đổi; hãy tải lại trang.",
        429 => "Quá nhiều yêu cầu; vui lòng thử lại sau ít phút.",
        >= 500 => "Lỗi hệ thống; vui lòng thử lại sau.",
        _ => "Không thể xử lý yêu cầu.",
    };
}
