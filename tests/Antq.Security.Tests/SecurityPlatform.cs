using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Classification.Api.Data;
using Antq.Identity.Api.Data;
using Antq.Notification.Api.Data;
using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Antq.Security.Tests;

/// <summary>
/// One service of the platform as the security tests see it: its host (for its routes), its database, and clients that
/// reach it the only way the public does, through the gateway.
/// </summary>
public sealed record ServiceUnderTest(string Name, IServiceProvider Services, Func<HttpClient> CreateClient, TestDatabase Database)
{
    /// <summary>The name the matrix gives the gateway's own routes (the status and the merged dead letters, /docs).</summary>
    public const string GatewayName = "gateway";
    /// <summary>
    /// Every route the running app answers (method + pattern), from its EndpointDataSource; health, OpenAPI and
    /// /metrics left out (/metrics answers loopback only and never through the gateway: tests/Antq.Observability.Tests).
    /// </summary>
    public IReadOnlyList<(string Method, string Pattern)> Routes()
    {
        var source = Services.GetRequiredService<EndpointDataSource>();
        return [.. source.Endpoints.OfType<RouteEndpoint>()
            // At the gateway, the routes it forwards: each service's own rows cover what they reach.
            .Where(e => e.Metadata.GetMetadata<Yarp.ReverseProxy.Model.RouteModel>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => (m, "/" + e.RoutePattern.RawText!.Trim('/'))))
            .Where(r => !r.Item2.StartsWith("/health", StringComparison.Ordinal) && !r.Item2.StartsWith("/openapi", StringComparison.Ordinal)
                        && r.Item2 != Antq.ServiceDefaults.MetricsEndpoint.Path)
            .Distinct()
            .OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => r.m, StringComparer.Ordinal)];
    }

    public HttpClient As(string role, string unit, string? user = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue(user ?? $"{role.ToLowerInvariant()}.{unit}", role, unit));
        return client;
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>
    /// A fingerprint of every table: the row count and an md5 of all rows, except the outbox, inbox and key tables
    /// that background work touches on its own (their row counts only).
    /// </summary>
    public async Task<Dictionary<string, string>> SnapshotAsync()
    {
        var result = new Dictionary<string, string>();
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        foreach (var table in tables.Where(t => t != "__EFMigrationsHistory"))
        {
            var countOnly = table.Contains("outbox") || table.Contains("inbox") || table.Contains("data_protection") || table.Contains("openiddict")
                || table.Contains("lock") || table.Contains("lease");
            var sql = countOnly
                ? $"SELECT count(*)::text FROM \"{table}\""
                : $"SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"{table}\" t";
            await using var command = new NpgsqlCommand(sql, connection);
            result[table] = (string)(await command.ExecuteScalarAsync())!;
        }

        return result;
    }
}

/// <summary>
/// The platform as the public reaches it: the five services in this process, each on a real socket (Kestrel), on its
/// own database of the real PostgreSQL, all on one virtual host of the real RabbitMQ, and the real gateway in front of
/// them, configured from its own appsettings.json like production, with its clusters pointed at the services. Every
/// request of the security tests goes through the gateway, with the same kind of signed token the gateway checks.
/// Two settings differ from production: the rate limits are raised (the matrix would be throttled; the limits are
/// tested in Antq.Gateway.IntegrationTests), and the portal's catch-all route is moved aside (there is no portal here),
/// so that a service route the gateway does not expose is the gateway's own 404, which the matrix reports.
/// Units: province A (Lai Châu, two of its communes) and province B (Điện Biên, one commune), from the real two-tier list.
/// </summary>
public sealed class SecurityPlatform : IAsyncLifetime
{
    public const string AdminPassword = "Quan-tri-Bao-mat-2026";
    public const string Period = "2026-Y";
    public const int Year = 2026;
    public const string ProvinceA = "12";
    public const string ProvinceB = "11";

    /// <summary>An account the hostile corpus changes and sets passwords for, never one the other tests sign in with.</summary>
    public const string TargetUser = "muc.tieu.kiem.thu";

    readonly List<IAsyncDisposable> disposables = [];
    TestVirtualHost vhost = null!;

    /// <summary>One connection pool for every client of the tests; clients are cheap, connections are not.</summary>
    /// Redirects are not followed: a route's own answer (a 302 to the login page) is what the matrix judges.
    readonly SocketsHttpHandler connections = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false };

    /// <summary>The gateway's address, the only one the tests' requests go to.</summary>
    public Uri Gateway { get; private set; } = null!;

    public string CommuneA1 { get; private set; } = "";
    public string CommuneA2 { get; private set; } = "";
    public string CommuneB1 { get; private set; } = "";

    public ServiceUnderTest Identity { get; private set; } = null!;
    public ServiceUnderTest Plan { get; private set; } = null!;
    public ServiceUnderTest Reporting { get; private set; } = null!;
    public ServiceUnderTest Classification { get; private set; } = null!;
    public ServiceUnderTest Notification { get; private set; } = null!;

    public IReadOnlyList<ServiceUnderTest> All => [Identity, Plan, Reporting, Classification, Notification];

    /// <summary>The gateway's own routes (no database: only its routes and clients are read).</summary>
    public ServiceUnderTest GatewayItself { get; private set; } = null!;

    /// <summary>Draft plans made in setup, by issuer code, for the routes that take a plan id.</summary>
    public Dictionary<string, Guid> DraftPlans { get; } = new();

    /// <summary>The parent of each unit of the tree (null for a province).</summary>
    public Dictionary<string, string?> Parent { get; } = new();

    public async Task InitializeAsync()
    {
        vhost = await TestVirtualHost.CreateAsync("security");
        var issuingKey = RSA.Create(2048);
        var starts = new[]
        {
            StartAsync<IdentityDbContext>("identity", s =>
            {
                s["Identity:SigningKeyPem"] = issuingKey.ExportPkcs8PrivateKeyPem();
                s["ANTQ_ADMIN_PASSWORD"] = AdminPassword;
            }),
            StartAsync<PlanDbContext>("plan"),
            StartAsync<ReportingDbContext>("reporting"),
            StartAsync<ClassificationDbContext>("classification"),
            StartAsync<NotificationDbContext>("notification"),
        };
        var started = await Task.WhenAll(starts);
        (Identity, Plan, Reporting, Classification, Notification) = (started[0], started[1], started[2], started[3], started[4]);
        StartGateway(started.ToDictionary(s => s.Name, s => AddressOf(s.Services)));
        await LoadUnitsAsync();
        await CreateTargetUserAsync();
    }

    async Task<ServiceUnderTest> StartAsync<TContext>(string name, Action<Dictionary<string, string?>>? configure = null) where TContext : class
    {
        var database = await TestDatabase.CreateAsync("sec-" + name);
        var factory = new SignedServiceFactory<TContext>(name, database, vhost);
        configure?.Invoke(factory.Settings);
        disposables.Add(database);
        disposables.Add(factory);
        factory.UseKestrel(0);
        factory.StartServer();
        return new ServiceUnderTest(name, factory.Services, () => new HttpClient(connections, disposeHandler: false) { BaseAddress = Gateway }, database);
    }

    void StartGateway(Dictionary<string, string> services)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:SigningKeyPem"] = TestTokens.PublicKeyPem,
            ["Gateway:RateLimits:TokenPermits"] = "1000000",
            ["Gateway:RateLimits:TokenPermitsPerUser"] = "1000000",
            ["Gateway:RateLimits:WritePermits"] = "1000000",
            ["ReverseProxy:Routes:portal:Match:Path"] = "/khong-co-cong-thong-tin-trong-kiem-thu/{**rest}",
        };
        foreach (var (name, address) in services) settings[$"ReverseProxy:Clusters:{name}:Destinations:d1:Address"] = address;
        var gateway = new GatewayHost(settings);
        gateway.UseKestrel(0);
        gateway.StartServer();
        disposables.Add(gateway);
        Gateway = new Uri(AddressOf(gateway.Services));
        GatewayItself = new ServiceUnderTest(ServiceUnderTest.GatewayName, gateway.Services,
            () => new HttpClient(connections, disposeHandler: false) { BaseAddress = Gateway }, null!);
    }

    static string AddressOf(IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";

    async Task CreateTargetUserAsync()
    {
        using var admin = Identity.As(AntqRoles.Admin, "BCA", "admin");
        var created = await admin.PostAsJsonAsync("/api/users", new
        {
            username = TargetUser, password = "Muc-Tieu-Ban-Dau-2026", fullName = "Lường Văn Thử", role = AntqRoles.CommuneOfficer, orgUnitCode = CommuneA1,
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    /// <summary>The header each service signs its answers with, so a test tells them from the gateway's own.</summary>
    public const string ServedBy = "X-Antq-Test-Served-By";

    /// <summary>A service that signs every answer with <see cref="ServedBy"/> (its name).</summary>
    sealed class SignedServiceFactory<TContext>(string name, TestDatabase database, TestVirtualHost virtualHost)
        : ServiceFactory<TContext>(name, database, virtualHost) where TContext : class
    {
        readonly SignAnswers signature = new(name);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(signature));
        }
    }

    sealed class SignAnswers(string name) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, inner) =>
            {
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers[ServedBy] = name;
                    return Task.CompletedTask;
                });
                return inner(context);
            });
            next(app);
        };
    }

    /// <summary>The gateway, from its own project and appsettings.json, with the settings above.</summary>
    sealed class GatewayHost(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Antq.Gateway.ClusterHealthCheck>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ANTQ_MODE", "local");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }

    async Task LoadUnitsAsync()
    {
        var file = TestEnvironment.SharedFile("data", "dvhc", "units-2026-07-two-tier.json");
        var all = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsArray();
        JsonNode Trim(string code, int wards)
        {
            var province = all.First(p => (string?)p!["Code"] == code)!.DeepClone();
            var kept = new JsonArray([.. province["Wards"]!.AsArray().Take(wards).Select(w => w!.DeepClone())]);
            province["Wards"] = kept;
            return province;
        }

        var a = Trim(ProvinceA, 2);
        var b = Trim(ProvinceB, 1);
        CommuneA1 = (string)a["Wards"]![0]!["Code"]!;
        CommuneA2 = (string)a["Wards"]![1]!["Code"]!;
        CommuneB1 = (string)b["Wards"]![0]!["Code"]!;
        Parent[ProvinceA] = null;
        Parent[ProvinceB] = null;
        Parent[CommuneA1] = ProvinceA;
        Parent[CommuneA2] = ProvinceA;
        Parent[CommuneB1] = ProvinceB;

        using var admin = Plan.As(AntqRoles.Admin, ProvinceA, "admin");
        var imported = await admin.PostAsync("/api/org-units/import", new StringContent(new JsonArray(a, b).ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());

        // An issued province plan gives Reporting its periods and deadlines; drafts give the plan routes an id per issuer.
        var issued = await CreatePlanAsync(admin, ProvinceA, "15/KH-CAT-PV01");
        var issue = await admin.PostAsync($"/api/plans/{issued}/issue", null);
        Assert.True(issue.IsSuccessStatusCode, await issue.Content.ReadAsStringAsync());
        foreach (var (unit, number) in new[] { (ProvinceA, "16/KH-CAT"), (CommuneA1, "3/KH-CAX"), (CommuneA2, "5/KH-CAX"), (CommuneB1, "4/KH-CAX"), (ProvinceB, "17/KH-CAT") })
        {
            DraftPlans[unit] = await CreatePlanAsync(admin, unit, number);
        }

        using var reporting = Reporting.As(AntqRoles.Admin, ProvinceA, "admin");
        await Eventually(async () =>
        {
            var board = await reporting.GetAsync($"/api/rollups/{ProvinceA}/{Period}/children");
            var other = await reporting.GetAsync($"/api/rollups/{CommuneB1}/{Period}");
            if (!board.IsSuccessStatusCode || !other.IsSuccessStatusCode) return false;
            var rows = (await board.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("children");
            return rows.GetArrayLength() == 2 && rows.EnumerateArray().All(r => r.GetProperty("dueAt").ValueKind == JsonValueKind.String);
        }, "Reporting never received the units and deadlines");

        using var classification = Classification.As(AntqRoles.Admin, ProvinceA, "admin");
        await Eventually(async () =>
        {
            var one = await classification.GetAsync($"/api/classifications/{CommuneB1}/{Year}/summary");
            var two = await classification.GetAsync($"/api/classifications/{ProvinceA}/{Year}/summary");
            return one.StatusCode != System.Net.HttpStatusCode.NotFound && two.StatusCode != System.Net.HttpStatusCode.NotFound;
        }, "Classification never received the units");
    }

    static async Task<Guid> CreatePlanAsync(HttpClient admin, string issuer, string number)
    {
        var created = await admin.PostAsJsonAsync("/api/plans", PlanBody(issuer, number));
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("id").GetGuid();
    }

    public static object PlanBody(string issuer, string number) => new
    {
        number,
        title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
        issuedOn = "2026-01-15",
        issuerCode = issuer,
        year = Year,
        deadlines = new Dictionary<string, string> { ["2026-H1"] = "2026-06-15", [Period] = "2026-12-15" },
        targets = new[] { new { indicator = "TIPS_TOTAL", comparator = ">=", value = 100m, scope = "subtree" } },
    };

    public static async Task Eventually(Func<Task<bool>> condition, string failure, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }

        Assert.Fail(failure);
    }

    public async Task DisposeAsync()
    {
        for (var i = disposables.Count - 1; i >= 0; i--)
        {
            try { await disposables[i].DisposeAsync(); }
            catch (Exception) { /* keep tearing down the rest */ }
        }

        await vhost.DisposeAsync();
        connections.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<SecurityPlatform>
{
    public const string Name = "platform";
}
