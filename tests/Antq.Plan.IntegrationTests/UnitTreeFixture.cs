using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;

namespace Antq.Plan.IntegrationTests;

/// <summary>
/// The Plan and Reporting services in process, each on its own database, on one virtual host of the real broker, with
/// the real lists imported once through the API: three-tier (2020-01-01), two-tier (2025-07-01), then the merges.
/// </summary>
public sealed class UnitTreeFixture : IAsyncLifetime
{
    public TestDatabase PlanDatabase { get; private set; } = null!;
    public TestDatabase ReportingDatabase { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceFactory<PlanDbContext> Plan { get; private set; } = null!;
    public ServiceFactory<ReportingDbContext> Reporting { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public HttpClient Viewer { get; private set; } = null!;
    public JsonElement ThreeTierImport { get; private set; }
    public JsonElement TwoTierImport { get; private set; }
    public JsonElement MergesImport { get; private set; }
    public TimeSpan ThreeTierElapsed { get; private set; }
    public TimeSpan TwoTierElapsed { get; private set; }
    public TimeSpan MergesElapsed { get; private set; }

    public static string Dvhc(string file) => TestEnvironment.SharedFile("data", "dvhc", file);

    public async Task InitializeAsync()
    {
        PlanDatabase = await TestDatabase.CreateAsync("plan-units");
        ReportingDatabase = await TestDatabase.CreateAsync("rep-units");
        VirtualHost = await TestVirtualHost.CreateAsync("units");
        Plan = new ServiceFactory<PlanDbContext>("plan", PlanDatabase, VirtualHost);
        Reporting = new ServiceFactory<ReportingDbContext>("reporting", ReportingDatabase, VirtualHost);
        Admin = Plan.CreateClientAs("admin", AntqRoles.Admin, "BCA");
        Admin.Timeout = TimeSpan.FromMinutes(5);
        // At the Ministry, the root: a viewer reads units of every province (a province's viewer reads only its own).
        Viewer = Plan.CreateClientAs("viewer", AntqRoles.Viewer, "BCA");
        await Reporting.StartAsync(); // start it before the imports: its queue must exist to receive the live changes

        (ThreeTierImport, ThreeTierElapsed) = await PostFileAsync("/api/org-units/import", Dvhc("units-2025-06-three-tier.json"));
        (TwoTierImport, TwoTierElapsed) = await PostFileAsync("/api/org-units/import?effectiveFrom=2025-07-01", Dvhc("units-2026-07-two-tier.json"));
        (MergesImport, MergesElapsed) = await PostFileAsync("/api/org-units/merges/import", Dvhc("merges-2025.json"));
    }

    public async Task<(JsonElement Body, TimeSpan Elapsed)> PostFileAsync(string path, string file, string mediaType = "application/json")
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var watch = Stopwatch.StartNew();
        using var response = await Admin.PostAsync(path, content);
        watch.Stop();
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body}");
        return (JsonDocument.Parse(body).RootElement.Clone(), watch.Elapsed);
    }

    public async Task<JsonElement> GetJsonAsync(string path, HttpClient? client = null)
    {
        using var response = await (client ?? Viewer).GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        Viewer.Dispose();
        await Plan.DisposeAsync();
        await Reporting.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await PlanDatabase.DisposeAsync();
        await ReportingDatabase.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class UnitTreeCollection : ICollectionFixture<UnitTreeFixture>
{
    public const string Name = "unit tree";
}
