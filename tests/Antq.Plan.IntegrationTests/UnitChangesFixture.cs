using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Notification.Api.Data;
using Antq.Plan.Api.Data;
using Antq.Plan.Api.Units;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Plan.IntegrationTests;

/// <summary>
/// The Plan, Notification and Reporting services in process on databases of their own, with the real two-tier list
/// (from 2025-07-01) only. The tree is changed here (units added, moved, closed, merged), so it is kept apart from
/// <see cref="PlansFixture"/>, whose tests count the units of the whole country. Tests keep apart by using different
/// provinces and years; a complete list is always built from the tree as it stands on its date
/// (<see cref="TwoTierListAsync"/>), so that one test's change never undoes another's, whatever their order.
/// </summary>
public sealed class UnitChangesFixture : IAsyncLifetime
{
    public TestDatabase PlanDatabase { get; private set; } = null!;
    public TestDatabase NotificationDatabase { get; private set; } = null!;
    public TestDatabase ReportingDatabase { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public ServiceFactory<PlanDbContext> Plan { get; private set; } = null!;
    public ServiceFactory<NotificationDbContext> Notification { get; private set; } = null!;
    public ServiceFactory<ReportingDbContext> Reporting { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        PlanDatabase = await TestDatabase.CreateAsync("plan-unitchanges");
        NotificationDatabase = await TestDatabase.CreateAsync("notif-unitchanges");
        ReportingDatabase = await TestDatabase.CreateAsync("rep-unitchanges");
        VirtualHost = await TestVirtualHost.CreateAsync("unitchanges");
        Plan = new ServiceFactory<PlanDbContext>("plan", PlanDatabase, VirtualHost);
        Notification = new ServiceFactory<NotificationDbContext>("notification", NotificationDatabase, VirtualHost);
        Reporting = new ServiceFactory<ReportingDbContext>("reporting", ReportingDatabase, VirtualHost);
        Admin = Plan.CreateClientAs("admin", AntqRoles.Admin, "BCA");
        Admin.Timeout = TimeSpan.FromMinutes(5);
        await Notification.StartAsync(); // their queues must exist before anything is published
        await Reporting.StartAsync();

        await ImportAsync("/api/org-units/import?effectiveFrom=2025-07-01",
            await File.ReadAllBytesAsync(UnitTreeFixture.Dvhc("units-2026-07-two-tier.json")), "application/json");
    }

    public HttpClient Officer(string unitCode, string role = AntqRoles.ProvinceOfficer) =>
        Plan.CreateClientAs($"officer-{unitCode}", role, unitCode);

    /// <summary>Posts a unit file to <paramref name="path"/> as the admin and answers the import's summary.</summary>
    public async Task<JsonElement> ImportAsync(string path, byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await Admin.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> ImportCsvAsync(string csv, string effectiveFrom) =>
        ImportAsync($"/api/org-units/import?effectiveFrom={effectiveFrom}", Encoding.UTF8.GetBytes("code,name,kind,parentCode\n" + csv.Replace("\r", "")), "text/csv");

    /// <summary>
    /// The two-tier list (provinces and communes) as the tree stands on <paramref name="asOf"/>, without the communes
    /// <paramref name="without"/> and with the communes <paramref name="with"/>: the file an administrator imports to
    /// close or merge communes from that day.
    /// </summary>
    public async Task<byte[]> TwoTierListAsync(DateOnly asOf, IReadOnlyCollection<string> without, IReadOnlyCollection<(string Code, string Name, string ProvinceCode)> with)
    {
        await using var scope = Plan.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanDbContext>();
        var units = await db.OrgUnits.AsNoTracking()
            .Where(u => (u.Kind == OrgUnitKind.Province || u.Kind == OrgUnitKind.Commune) && u.ValidFrom <= asOf && (u.ValidTo == null || u.ValidTo > asOf))
            .Select(u => new { u.Code, u.Name, u.Kind, u.ParentCode })
            .ToListAsync();
        var communes = units.Where(u => u.Kind == OrgUnitKind.Commune && !without.Contains(u.Code))
            .Select(u => (u.Code, u.Name, ProvinceCode: u.ParentCode!))
            .Concat(with)
            .ToLookup(c => c.ProvinceCode);
        var list = new JsonArray();
        foreach (var province in units.Where(u => u.Kind == OrgUnitKind.Province).OrderBy(u => u.Code, StringComparer.Ordinal))
        {
            var wards = new JsonArray();
            foreach (var commune in communes[province.Code].OrderBy(c => c.Code, StringComparer.Ordinal))
                wards.Add(new JsonObject { ["Code"] = commune.Code, ["FullName"] = commune.Name, ["ProvinceCode"] = province.Code });
            list.Add(new JsonObject { ["Code"] = province.Code, ["FullName"] = province.Name, ["Wards"] = wards });
        }

        return Encoding.UTF8.GetBytes(list.ToJsonString());
    }

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
