using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Antq.Classification.Api.Data;
using Antq.Contracts.Plan;
using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Classification.IntegrationTests;

public sealed record UnitRow(string Code, string Name, string Kind, string? Parent);

/// <summary>
/// The Classification service in process on its own database and virtual host, with its copy of the unit tree holding
/// the real two-tier list (34 provinces, 3,321 communes, valid from 1 July 2025).
/// </summary>
public sealed class ClassificationFixture : IAsyncLifetime
{
    public static readonly DateOnly Reform = new(2025, 7, 1);

    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceFactory<ClassificationDbContext> Service { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public List<UnitRow> Units { get; } = LoadUnits();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("classification");
        VirtualHost = await TestVirtualHost.CreateAsync("classification");
        Service = new ServiceFactory<ClassificationDbContext>("classification", Database, VirtualHost);
        Service.Settings["Logging:LogLevel:Default"] = "Warning";
        // The consumers' exchanges exist once the bus is up: started so before tests publish raw messages.
        await Service.StartAsync();
        await InDbAsync(db => InsertUnitsAsync(db, Units));
        Admin = Service.CreateClientAs("quantri", AntqRoles.Admin, "BCA");
    }

    public IEnumerable<UnitRow> ChildrenOf(string code) => Units.Where(u => u.Parent == code).OrderBy(u => u.Code, StringComparer.Ordinal);

    public HttpClient As(string user, string role, string unit) => Service.CreateClientAs(user, role, unit);

    public async Task<T> InDbAsync<T>(Func<ClassificationDbContext, Task<T>> action)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ClassificationDbContext>());
    }

    public Task InDbAsync(Func<ClassificationDbContext, Task> action) => InDbAsync(async db => { await action(db); return true; });

    static List<UnitRow> LoadUnits()
    {
        var rows = new List<UnitRow> { new("BCA", "Bộ Công an", "Ministry", null) };
        using var two = JsonDocument.Parse(File.ReadAllBytes(TestEnvironment.SharedFile("data", "dvhc", "units-2026-07-two-tier.json")));
        foreach (var province in two.RootElement.EnumerateArray())
        {
            var p = province.GetProperty("Code").GetString()!;
            rows.Add(new(p, province.GetProperty("FullName").GetString()!, "Province", "BCA"));
            foreach (var ward in province.GetProperty("Wards").EnumerateArray())
                rows.Add(new(ward.GetProperty("Code").GetString()!, ward.GetProperty("FullName").GetString()!, "Commune", p));
        }

        return rows;
    }

    /// <summary>Writes unit versions into the service's copy, as the OrgUnitsChanged consumer would.</summary>
    public static async Task InsertUnitsAsync(ClassificationDbContext db, IReadOnlyList<UnitRow> rows)
    {
        var ids = rows.Select(_ => Guid.NewGuid()).ToArray();
        var codes = rows.Select(r => r.Code).ToArray();
        var names = rows.Select(r => r.Name).ToArray();
        var kinds = rows.Select(r => r.Kind).ToArray();
        var parents = rows.Select(r => r.Parent).ToArray();
        var froms = rows.Select(_ => Reform).ToArray();
        var sequences = rows.Select((_, i) => (long)i + 1).ToArray();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO unit_tree_versions (id, code, name, kind, parent_code, valid_from, valid_to, change_sequence)
            SELECT i, c, n, k, p, f, NULL, s FROM unnest({ids}, {codes}, {names}, {kinds}, {parents}, {froms}, {sequences}) AS t(i, c, n, k, p, f, s)
            """);
    }

    /// <summary>
    /// Publishes ReportAccepted on the real broker as Reporting would once the contract carries the report's values:
    /// a MassTransit envelope with a <c>values</c> object, through the broker's management API (the contract type has
    /// no such property yet, so it cannot be built in C#).
    /// </summary>
    public async Task PublishReportAcceptedAsync(string code, int year, IReadOnlyDictionary<string, decimal> values, DateTimeOffset occurredAt, string acceptedBy = "pv01")
    {
        var messageId = Guid.NewGuid();
        var envelope = new
        {
            messageId,
            messageType = new[] { "urn:message:Antq.Contracts.Reporting:ReportAccepted" },
            sentTime = occurredAt,
            message = new
            {
                reportId = Guid.NewGuid(), orgUnitCode = code, reportsToCode = (string?)null, period = $"{year}-Y",
                acceptedBy, occurredAt, values,
            },
        };
        var body = new
        {
            properties = new { content_type = "application/vnd.masstransit+json", message_id = messageId.ToString(), delivery_mode = 2 },
            routing_key = "",
            payload = JsonSerializer.Serialize(envelope, JsonOptions),
            payload_encoding = "string",
        };
        using var response = await RabbitApi.PostAsJsonAsync(
            $"exchanges/{Uri.EscapeDataString(VirtualHost.Name)}/{Uri.EscapeDataString("Antq.Contracts.Reporting:ReportAccepted")}/publish", body);
        response.EnsureSuccessStatusCode();
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(result.RootElement.GetProperty("routed").GetBoolean(), "ReportAccepted was not routed to the Classification queue");
    }

    public async Task PublishPlanAsync(Guid planId, string number, string issuer, int year, params PlanTargetSet[] targets)
    {
        await Service.Services.GetRequiredService<IBus>().Publish(new PlanIssued
        {
            PlanId = planId, Number = number, Title = $"Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}",
            IssuerCode = issuer, Year = year, IssuedOn = new DateOnly(year, 1, 15), Deadlines = [],
            ReminderPolicy = new PlanReminderPolicy { Reminders = ["-P7D"], OverdueRepeat = "P3D", EscalateAfter = "P7D" },
            Targets = targets, OccurredAt = DateTimeOffset.UtcNow,
        });
    }

    /// <summary>Waits for something the broker delivers; fails with <paramref name="what"/> after 30 seconds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"Timed out waiting: {what}");
            await Task.Delay(100);
        }
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    static readonly HttpClient RabbitApi = CreateRabbitApi();

    static HttpClient CreateRabbitApi()
    {
        var uri = new Uri(TestEnvironment.Amqp);
        var parts = uri.UserInfo.Split(':', 2);
        var user = parts.Length > 0 && parts[0].Length > 0 ? Uri.UnescapeDataString(parts[0]) : "guest";
        var password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "guest";
        var client = new HttpClient { BaseAddress = new Uri(TestEnvironment.RabbitApi + "/api/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
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
public sealed class ClassificationCollection : ICollectionFixture<ClassificationFixture>
{
    public const string Name = "classification";
}

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static StringContent JsonBody(object body) => new(JsonSerializer.Serialize(body, Json), Encoding.UTF8, "application/json");

    public static async Task<JsonElement> OkJsonAsync(this Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts the status and answers the problem body.</summary>
    public static async Task<JsonElement> ProblemAsync(this Task<HttpResponseMessage> call, int status)
    {
        using var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body) => client.PutAsync(path, JsonBody(body));

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object? body = null) =>
        client.PostAsync(path, body is null ? null : JsonBody(body));

    public static Dictionary<string, string[]> Errors(this JsonElement problem) =>
        problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetString()!).ToArray())
            : [];

    public static decimal? Decimal(this JsonElement element, string name) =>
        element.GetProperty(name).ValueKind == JsonValueKind.Null ? null : element.GetProperty(name).GetDecimal();
}

public static class HttpCreated
{
    public static async Task OkOrCreatedAsync(this Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
