using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Antq.Testing.Load;

/// <summary>The roll-up of one unit as the load tools check it: the reports behind an indicator, its sum, and completeness.</summary>
public sealed record RollupView(int Reports, decimal Sum, int Submitted, int Expected);

/// <summary>The administrator's calls that set a platform up for load and fault runs, through the gateway.</summary>
public sealed class PlatformApi(PlatformProcesses platform) : IDisposable
{
    readonly HttpClient http = new() { BaseAddress = new Uri(platform.Gateway), Timeout = TimeSpan.FromMinutes(5) };
    string? token;

    public HttpClient Http => http;

    public async Task<string> TokenAsync(CancellationToken ct = default)
    {
        token = await platform.AdminTokenAsync(ct);
        return token;
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        token ??= await TokenAsync(ct);
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request, ct);
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized) return response;
        response.Dispose();
        await TokenAsync(ct);
        using var again = new HttpRequestMessage(method, path) { Content = content };
        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(again, ct);
    }

    async Task<JsonElement> OkAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var response = await SendAsync(method, path, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> ImportUnitsAsync(string file, string effectiveFrom, CancellationToken ct = default) =>
        OkAsync(HttpMethod.Post, $"api/org-units/import?effectiveFrom={effectiveFrom}", new ByteArrayContent(File.ReadAllBytes(file))
        { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, ct);

    public Task<JsonElement> ImportMergesAsync(string file, CancellationToken ct = default) =>
        OkAsync(HttpMethod.Post, "api/org-units/merges/import", new ByteArrayContent(File.ReadAllBytes(file))
        { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, ct);

    public Task<JsonElement> CreateUserAsync(string username, string password, string role, string unit, CancellationToken ct = default) =>
        OkAsync(HttpMethod.Post, "api/users", JsonContent.Create(new { username, password, fullName = "Cán bộ " + username, role, orgUnitCode = unit }), ct);

    public Task<JsonElement> SetContactPointAsync(string unit, IEnumerable<string> emails, CancellationToken ct = default) =>
        OkAsync(HttpMethod.Put, $"api/contact-points/{unit}", JsonContent.Create(new { emails = emails.ToArray() }), ct);

    /// <summary>
    /// Creates and issues a plan; deadlines are period → ISO date or date-time (Vietnam time when no offset). Issued on
    /// 10 January of its year unless <paramref name="issuedOn"/> says otherwise (a deadline may not come before it).
    /// </summary>
    public async Task<Guid> IssuePlanAsync(string issuer, int year, string number, IReadOnlyDictionary<string, string> deadlines,
        IReadOnlyList<string>? reminders = null, CancellationToken ct = default, string? issuedOn = null)
    {
        var created = await OkAsync(HttpMethod.Post, "api/plans", JsonContent.Create(new
        {
            number,
            title = $"Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}",
            issuedOn = issuedOn ?? $"{year}-01-10",
            issuerCode = issuer,
            year,
            deadlines,
            reminderPolicy = reminders is null ? null : new { reminders },
        }), ct);
        var id = created.GetProperty("id").GetGuid();
        await OkAsync(HttpMethod.Post, $"api/plans/{id}/issue", null, ct);
        return id;
    }

    public async Task<RollupView> RollupAsync(string unit, string period, string indicator, CancellationToken ct = default)
    {
        var rollup = await OkAsync(HttpMethod.Get, $"api/rollups/{unit}/{period}", null, ct);
        var reports = 0;
        decimal sum = 0;
        if (rollup.GetProperty("values").TryGetProperty(indicator, out var cell))
        {
            reports = cell.GetProperty("reports").GetInt32();
            if (cell.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number) sum = value.GetDecimal();
        }

        var completeness = rollup.GetProperty("completeness");
        return new RollupView(reports, sum, completeness.GetProperty("submitted").GetInt32(), completeness.GetProperty("expected").GetInt32());
    }

    /// <summary>Waits until Reporting's copy of the unit tree has <paramref name="children"/> children under the unit for the period.</summary>
    public Task WaitForReportingTreeAsync(string unit, string period, int children, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(async () =>
        {
            using var response = await SendAsync(HttpMethod.Get, $"api/rollups/{unit}/{period}/children", null, default);
            if (!response.IsSuccessStatusCode) return false;
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return body.GetProperty("children").GetArrayLength() == children;
        }, timeout ?? TimeSpan.FromMinutes(2), $"Reporting has the {children} children of {unit} for {period}");

    public Task<JsonElement> PostAsync(string path, CancellationToken ct = default) => OkAsync(HttpMethod.Post, path, null, ct);

    public Task<JsonElement> GetAsync(string path, CancellationToken ct = default) => OkAsync(HttpMethod.Get, path, null, ct);

    public void Dispose() => http.Dispose();
}

/// <summary>Reads from a service's database (checks of the load and fault runs), each time on a new connection: a pooled one may be dead after a database restart.</summary>
public static class Sql
{
    static string Unpooled(string connectionString) => connectionString + ";Pooling=false";

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, CancellationToken ct = default)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<int> ExecuteAsync(string connectionString, string sql, CancellationToken ct = default)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<List<object?[]>> RowsAsync(string connectionString, string sql, CancellationToken ct = default)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Unpooled(connectionString));
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }

        return rows;
    }
}

/// <summary>Text content helpers.</summary>
static class Bodies
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
