using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Notification.Api.Data;
using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;

namespace Antq.Plan.IntegrationTests;

/// <summary>
/// The Plan, Notification and Reporting services in process, each on its own database, on one virtual host of the real broker,
/// with the real unit lists (three-tier from 2020-01-01, two-tier from 2025-07-01) and a few residential areas below
/// communes. Tests share the units and keep apart by using different provinces or years.
/// </summary>
public sealed class PlansFixture : IAsyncLifetime
{
    public TestDatabase PlanDatabase { get; private set; } = null!;
    public TestDatabase NotificationDatabase { get; private set; } = null!;
    public TestDatabase ReportingDatabase { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceFactory<PlanDbContext> Plan { get; private set; } = null!;
    public ServiceFactory<NotificationDbContext> Notification { get; private set; } = null!;
    public ServiceFactory<ReportingDbContext> Reporting { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>Residential areas (khu dân cư) added below two-tier communes, valid from 2025-07-01.</summary>
    public const string ResidentialAreas = """
        code,name,kind,parentCode
        00004-TDP01,Tổ dân phố 1,ResidentialArea,00004
        00008-TDP01,Tổ dân phố 1,ResidentialArea,00008
        20194-TDP01,Tổ dân phố 1,ResidentialArea,20194
        20197-TDP01,Tổ dân phố 1,ResidentialArea,20197
        10507-TDP01,Tổ dân phố 1,ResidentialArea,10507
        """;

    public async Task InitializeAsync()
    {
        PlanDatabase = await TestDatabase.CreateAsync("plan-plans");
        NotificationDatabase = await TestDatabase.CreateAsync("notif-plans");
        ReportingDatabase = await TestDatabase.CreateAsync("rep-plans");
        VirtualHost = await TestVirtualHost.CreateAsync("plans");
        Plan = new ServiceFactory<PlanDbContext>("plan", PlanDatabase, VirtualHost);
        Notification = new ServiceFactory<NotificationDbContext>("notification", NotificationDatabase, VirtualHost);
        Reporting = new ServiceFactory<ReportingDbContext>("reporting", ReportingDatabase, VirtualHost);
        Admin = Plan.CreateClientAs("admin", AntqRoles.Admin, "BCA");
        Admin.Timeout = TimeSpan.FromMinutes(5);
        await Notification.StartAsync(); // their queues must exist before anything is published
        await Reporting.StartAsync();

        await PostAsync("/api/org-units/import", await File.ReadAllBytesAsync(UnitTreeFixture.Dvhc("units-2025-06-three-tier.json")), "application/json");
        await PostAsync("/api/org-units/import?effectiveFrom=2025-07-01", await File.ReadAllBytesAsync(UnitTreeFixture.Dvhc("units-2026-07-two-tier.json")), "application/json");
        await PostAsync("/api/org-units/import?effectiveFrom=2025-07-01", Encoding.UTF8.GetBytes(ResidentialAreas.Replace("\r", "")), "text/csv");
    }

    async Task PostAsync(string path, byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await Admin.PostAsync(path, content);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public HttpClient Officer(string unitCode, string role = AntqRoles.ProvinceOfficer) =>
        Plan.CreateClientAs($"officer-{unitCode}", role, unitCode);

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Plan.DisposeAsync();
        await Notification.DisposeAsync();
        await Reporting.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await PlanDatabase.DisposeAsync();
        await NotificationDatabase.DisposeAsync();
        await ReportingDatabase.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PlansCollection : ICollectionFixture<PlansFixture>
{
    public const string Name = "plans and deadlines";
}

/// <summary>Calls the plan and deadline API and reads its answers.</summary>
public static class PlanApi
{
    /// <summary>A valid draft body for <paramref name="issuer"/>; tests change what they test.</summary>
    public static JsonObject Draft(string issuer, int year, object? deadlines = null, Guid? parentPlanId = null, string? number = null) => new()
    {
        ["number"] = number ?? $"{Random.Shared.Next(1, 999)}/KH-{issuer}",
        ["title"] = $"Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}",
        ["issuedOn"] = $"{year}-01-10",
        ["issuerCode"] = issuer,
        ["year"] = year,
        ["parentPlanId"] = parentPlanId?.ToString(),
        ["deadlines"] = JsonSerializer.SerializeToNode(deadlines ?? new Dictionary<string, string> { [$"{year}-H1"] = $"{year}-06-15", [$"{year}-Y"] = $"{year}-12-01" }),
        ["targets"] = new JsonArray(new JsonObject { ["indicator"] = "PCT_UNITS_SAFE", ["comparator"] = ">=", ["value"] = 87.5, ["scope"] = "subtree" }),
        ["tasks"] = new JsonArray(new JsonObject { ["content"] = "Tổ chức Ngày hội toàn dân bảo vệ ANTQ", ["leadUnitCode"] = issuer, ["coordinatingUnitCodes"] = new JsonArray(), ["dueOn"] = $"{year}-08-19" }),
    };

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<JsonElement> CreateAsync(HttpClient client, JsonObject body)
    {
        var (status, json) = await SendAsync(client, HttpMethod.Post, "/api/plans", body);
        Assert.True(status == HttpStatusCode.Created, $"POST /api/plans answered {(int)status}: {json}");
        return json;
    }

    public static async Task<JsonElement> IssueAsync(HttpClient client, Guid id)
    {
        var (status, json) = await SendAsync(client, HttpMethod.Post, $"/api/plans/{id}/issue");
        Assert.True(status == HttpStatusCode.OK, $"issue answered {(int)status}: {json}");
        return json;
    }

    public static async Task<Guid> CreateAndIssueAsync(HttpClient client, JsonObject body)
    {
        var id = (await CreateAsync(client, body)).GetProperty("id").GetGuid();
        await IssueAsync(client, id);
        return id;
    }

    public static async Task<JsonElement> DeadlineAsync(HttpClient client, string code, string period)
    {
        var (status, json) = await SendAsync(client, HttpMethod.Get, $"/api/deadlines/{code}/{period}");
        Assert.True(status == HttpStatusCode.OK, $"deadline of {code} {period} answered {(int)status}: {json}");
        return json;
    }
}
