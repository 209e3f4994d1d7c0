using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Reporting.IntegrationTests;

/// <summary>
/// The Reporting service in process on its own database and virtual host, with its copy of the unit tree holding the
/// real lists: the three-tier one valid from 2020-01-01 to 2025-07-01 and the two-tier one from 2025-07-01.
/// </summary>
public class ReportingFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceFactory<ReportingDbContext> Service { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public UnitLists Units { get; } = UnitLists.Load();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("reporting");
        VirtualHost = await TestVirtualHost.CreateAsync("reporting");
        Service = new ServiceFactory<ReportingDbContext>("reporting", Database, VirtualHost);
        Service.Settings["Logging:LogLevel:Default"] = "Warning";
        _ = Service.Server; // migrations and the catalogue seed run before it answers
        await using var scope = Service.Services.CreateAsyncScope();
        await Units.InsertAsync(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
        Admin = Service.CreateClientAs("quantri", AntqRoles.Admin, "BCA");
    }

    public HttpClient As(string user, string role, string unit) => Service.CreateClientAs(user, role, unit);

    public async Task<T> InDbAsync<T>(Func<ReportingDbContext, Task<T>> action)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Service.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ReportingCollection : ICollectionFixture<ReportingFixture>
{
    public const string Name = "reporting";
}

public sealed record UnitRow(string Code, string Name, string Kind, string? Parent, DateOnly From, DateOnly? To);

/// <summary>The real lists of ../shared/data/dvhc as unit versions.</summary>
public sealed class UnitLists
{
    public static readonly DateOnly Reform = new(2025, 7, 1);

    public required List<UnitRow> Rows { get; init; }

    ILookup<string, UnitRow>? byParent;

    public IEnumerable<UnitRow> ChildrenOf(string code, DateOnly at) =>
        (byParent ??= Rows.Where(r => r.Parent is not null).ToLookup(r => r.Parent!))[code]
            .Where(r => r.From <= at && (r.To is null || r.To > at)).OrderBy(r => r.Code, StringComparer.Ordinal);

    public static UnitLists Load()
    {
        var rows = new List<UnitRow> { new("BCA", "Bộ Công an", "Ministry", null, new DateOnly(2020, 1, 1), null) };
        using (var three = JsonDocument.Parse(File.ReadAllBytes(TestEnvironment.SharedFile("data", "dvhc", "units-2025-06-three-tier.json"))))
        {
            foreach (var province in three.RootElement.EnumerateArray())
            {
                var p = province.GetProperty("Code").GetString()!;
                rows.Add(new(p, province.GetProperty("FullName").GetString()!, "Province", "BCA", new DateOnly(2020, 1, 1), Reform));
                foreach (var district in province.GetProperty("District").EnumerateArray())
                {
                    var d = district.GetProperty("Code").GetString()!;
                    rows.Add(new(d, district.GetProperty("FullName").GetString()!, "District", p, new DateOnly(2020, 1, 1), Reform));
                    if (district.GetProperty("Ward").ValueKind != JsonValueKind.Array) continue;
                    foreach (var ward in district.GetProperty("Ward").EnumerateArray())
                        rows.Add(new(ward.GetProperty("Code").GetString()!, ward.GetProperty("FullName").GetString()!, "Commune", d, new DateOnly(2020, 1, 1), Reform));
                }
            }
        }

        using (var two = JsonDocument.Parse(File.ReadAllBytes(TestEnvironment.SharedFile("data", "dvhc", "units-2026-07-two-tier.json"))))
        {
            foreach (var province in two.RootElement.EnumerateArray())
            {
                var p = province.GetProperty("Code").GetString()!;
                rows.Add(new(p, province.GetProperty("FullName").GetString()!, "Province", "BCA", Reform, null));
                foreach (var ward in province.GetProperty("Wards").EnumerateArray())
                    rows.Add(new(ward.GetProperty("Code").GetString()!, ward.GetProperty("FullName").GetString()!, "Commune", p, Reform, null));
            }
        }

        return new UnitLists { Rows = rows };
    }

    /// <summary>Writes the versions into the service's copy (Reporting's, or any service's that keeps one), as the OrgUnitsChanged consumer would.</summary>
    public async Task InsertAsync(Microsoft.EntityFrameworkCore.DbContext db)
    {
        var ids = Rows.Select(_ => Guid.NewGuid()).ToArray();
        var codes = Rows.Select(r => r.Code).ToArray();
        var names = Rows.Select(r => r.Name).ToArray();
        var kinds = Rows.Select(r => r.Kind).ToArray();
        var parents = Rows.Select(r => r.Parent).ToArray();
        var froms = Rows.Select(r => r.From).ToArray();
        var tos = Rows.Select(r => r.To).ToArray();
        var sequences = Enumerable.Range(1, Rows.Count).Select(i => (long)i).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO unit_tree_versions (id, code, name, kind, parent_code, valid_from, valid_to, change_sequence)
            SELECT * FROM unnest({ids}, {codes}, {names}, {kinds}, {parents}, {froms}, {tos}, {sequences})
            """);
    }
}

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static StringContent JsonBody(object body) => new(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> OkJsonAsync(this Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonBody(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object? body = null) =>
        client.PostAsync(path, body is null ? null : JsonBody(body));

    /// <summary>The problem's errors map, code → messages.</summary>
    public static Dictionary<string, string[]> Errors(this JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetString()!).ToArray())
            : [];

    public static Task<HttpResponseMessage> GetResponseAsync(this HttpClient client, string path) => client.GetAsync(path);

    public static Task<HttpResponseMessage> PostAsJson<T>(this HttpClient client, string path, T body) => client.PostAsJsonAsync(path, body, Json);
}
