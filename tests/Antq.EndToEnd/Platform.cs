using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Identity.Api.Data;
using Antq.Plan.Api.Data;
using Antq.Portal.Api;
using Antq.Reporting.Api.Data;
using Antq.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.EndToEnd;

/// <summary>
/// The whole platform in this process, every host on a real socket: Identity, Plan and Reporting on
/// their own databases and one virtual host of the real broker, the portal, and the gateway on a fixed port that the
/// browser reaches (OpenID Connect redirects name it). A small real province (Lai Châu, 38 communes) is loaded
/// through the Plan service's import API, with a province plan that sets the annual deadline.
/// </summary>
public sealed class Platform : IAsyncLifetime
{
    public const string AdminPassword = "Quan-tri-E2E-2026";
    public const string ProvinceCode = "12";
    public const string Period = "2026-Y";
    public const string DueOn = "2026-12-15";

    readonly RSA signingKey = RSA.Create(2048);
    readonly List<IAsyncDisposable> disposables = [];
    TestVirtualHost vhost = null!;

    public string Address { get; private set; } = "";
    public HttpClient Admin { get; private set; } = null!;
    public IReadOnlyList<(string Code, string Name)> Communes { get; private set; } = [];

    /// <summary>The portal replicas' services: the first is behind the gateway.</summary>
    public IReadOnlyList<IServiceProvider> Portals { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var port = FreePorts.Next();
        Address = $"http://127.0.0.1:{port}/";
        vhost = await TestVirtualHost.CreateAsync("e2e");
        var publicKey = signingKey.ExportSubjectPublicKeyInfoPem();

        var identity = await StartAsync<IdentityDbContext>("identity", publicKey, settings =>
        {
            settings["Identity:SigningKeyPem"] = signingKey.ExportPkcs8PrivateKeyPem();
            settings["ANTQ_ADMIN_PASSWORD"] = AdminPassword;
            PortalHost.Register(settings, Address);
        });
        var plan = await StartAsync<PlanDbContext>("plan", publicKey);
        var reporting = await StartAsync<ReportingDbContext>("reporting", publicKey);
        var classification = await StartAsync<Antq.Classification.Api.Data.ClassificationDbContext>("classification", publicKey);
        var notification = await StartAsync<Antq.Notification.Api.Data.NotificationDbContext>("notification", publicKey);

        var portalSettings = PortalHost.Settings(Address, publicKey, vhost);
        // Two portal replicas on the broker, each with its own queue of Reporting's events. The browser reaches the
        // first through the gateway (sign-in sessions are per replica); the second shows every replica hears every event.
        var portals = new List<IServiceProvider>();
        for (var i = 0; i < 2; i++)
        {
            var portal = new HostFactory<AntqApiClient>(portalSettings);
            portal.UseKestrel(0);
            portal.StartServer();
            disposables.Add(portal);
            portals.Add(portal.Services);
        }

        Portals = portals;
        var firstPortal = portals[0];

        var gatewaySettings = new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = Address,
            ["Auth:SigningKeyPem"] = publicKey,
        };
        foreach (var (cluster, addresses) in instances)
        {
            for (var i = 0; i < addresses.Count; i++)
                gatewaySettings[$"ReverseProxy:Clusters:{cluster}:Destinations:d{i + 1}:Address"] = addresses[i];
        }

        gatewaySettings["ReverseProxy:Clusters:portal:Destinations:d1:Address"] = AddressOf(firstPortal);
        var gateway = new HostFactory<Antq.Gateway.ClusterHealthCheck>(gatewaySettings);
        gateway.UseKestrel(port);
        gateway.StartServer();
        disposables.Add(gateway);

        Admin = new HttpClient { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromMinutes(2) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync("admin", AdminPassword));
        await LoadProvinceAsync();
    }

    /// <summary>Instances of each backend service: two, so that every test also shows the services are safe with replicas.</summary>
    public const int Replicas = 2;

    readonly Dictionary<string, List<string>> instances = new();

    async Task<IServiceProvider> StartAsync<TContext>(string name, string publicKey, Action<Dictionary<string, string?>>? configure = null)
        where TContext : class
    {
        var database = await TestDatabase.CreateAsync("e2e-" + name);
        disposables.Add(database);
        IServiceProvider? first = null;
        for (var i = 1; i <= Replicas; i++)
        {
            var factory = new ServiceFactory<TContext>(name, database, vhost);
            factory.Settings["Auth:SigningKeyPem"] = publicKey;
            factory.Settings["Auth:Issuer"] = Address;
            configure?.Invoke(factory.Settings);
            factory.UseKestrel(0);
            factory.StartServer();
            disposables.Add(factory);
            first ??= factory.Services;
            if (!instances.TryGetValue(name, out var addresses)) instances[name] = addresses = [];
            addresses.Add(AddressOf(factory.Services));
        }

        return first!;
    }

    /// <summary>Lai Châu from the real two-tier list (the demo province when ../shared is absent), and a plan with the deadline.</summary>
    async Task LoadProvinceAsync()
    {
        var file = TestEnvironment.SharedFile("data", "dvhc", "units-2026-07-two-tier.json");
        var all = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsArray();
        var province = all.First(p => (string?)p!["Code"] == ProvinceCode)!.DeepClone();
        var body = new JsonArray(province).ToJsonString();
        var imported = await Admin.PostAsync("api/org-units/import", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        Communes = [.. province["Wards"]!.AsArray().Select(w => ((string)w!["Code"]!, (string)w["FullName"]!))];

        var created = await Admin.PostAsJsonAsync("api/plans", new
        {
            number = "15/KH-CAT-PV01",
            title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
            issuedOn = "2026-01-15",
            issuerCode = ProvinceCode,
            year = 2026,
            deadlines = new Dictionary<string, string> { ["2026-H1"] = "2026-06-15", [Period] = DueOn },
            targets = new[] { new { indicator = "TIPS_TOTAL", comparator = ">=", value = 100m, scope = "subtree" } },
        });
        var plan = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.IsSuccessStatusCode, plan.ToString());
        var issued = await Admin.PostAsync($"api/plans/{plan.GetProperty("id").GetString()}/issue", null);
        Assert.True(issued.IsSuccessStatusCode, await issued.Content.ReadAsStringAsync());

        // Reporting learns the units and the deadlines through the broker.
        await Eventually(async () =>
        {
            var board = await Admin.GetAsync($"api/rollups/{ProvinceCode}/{Period}/children");
            if (!board.IsSuccessStatusCode) return false;
            var rows = (await board.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("children");
            return rows.GetArrayLength() == Communes.Count && rows.EnumerateArray().All(r => r.GetProperty("dueAt").ValueKind == JsonValueKind.String);
        }, "Reporting never received Lai Châu's units and deadlines");
    }

    public async Task CreateUserAsync(string username, string password, string fullName, string role, string unit)
    {
        var response = await Admin.PostAsJsonAsync("api/users", new { username, password, fullName, role, orgUnitCode = unit });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public async Task<string> TokenAsync(string username, string password)
    {
        using var client = new HttpClient { BaseAddress = new Uri(Address) };
        var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = username, ["password"] = password,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    public static async Task Eventually(Func<Task<bool>> condition, string failure, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(250);
        }

        Assert.Fail(failure);
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        for (var i = disposables.Count - 1; i >= 0; i--)
        {
            try { await disposables[i].DisposeAsync(); }
            catch (Exception) { /* keep tearing down the rest */ }
        }

        await vhost.DisposeAsync();
    }


    static string AddressOf(IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";

    /// <summary>A host without a database of its own (the portal, the gateway).</summary>
    sealed class HostFactory<TEntryPoint>(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<TEntryPoint>
        where TEntryPoint : class
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ANTQ_MODE", "local");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}
