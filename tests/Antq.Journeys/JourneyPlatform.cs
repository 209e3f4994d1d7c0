using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Identity.Api.Data;
using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Journeys;

/// <summary>
/// The whole platform in this process for journeys that cross services: Identity, Plan, Reporting, Classification and
/// Notification, each on a real socket with its own database, one virtual host of the real broker between them, a real
/// SMTP server, and the real gateway in front, through which every request of a test goes. All hosts read one
/// <see cref="PlatformClock"/>, which the test moves forward: a deadline passes, a reminder falls due, a season of a
/// past year is played in order. Nothing is published by hand: every message is the one a service sends.
/// </summary>
public class JourneyPlatform(DateTimeOffset start) : IAsyncLifetime
{
    public const string AdminPassword = "Quan-tri-Journey-2026";
    public const string Password = "Mat-khau-Journey-2026";

    readonly RSA signingKey = RSA.Create(2048);
    readonly List<IAsyncDisposable> disposables = [];
    readonly Dictionary<string, string> addresses = new();
    readonly Dictionary<string, (string Database, IServiceProvider Services)> hosts = new();
    TestVirtualHost vhost = null!;

    /// <summary>The platform's one clock; it starts at the journey's first moment and only moves forward.</summary>
    public PlatformClock Clock { get; } = new(start - DateTimeOffset.UtcNow);

    public string Address { get; private set; } = "";
    public SmtpSink Smtp { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;
    public IServiceProvider Plan { get; private set; } = null!;
    public IServiceProvider Reporting { get; private set; } = null!;
    public IServiceProvider Classification { get; private set; } = null!;
    public IServiceProvider Notification { get; private set; } = null!;

    /// <summary>Every process by name ("identity", "plan", …, "gateway"): the address it listens on (loopback).</summary>
    public IReadOnlyDictionary<string, string> Addresses => addresses;

    /// <summary>Every service by name ("identity", "plan", …): the name of its own database and its services.</summary>
    public IReadOnlyDictionary<string, (string Database, IServiceProvider Services)> Hosts => hosts;

    /// <summary>
    /// True for a journey walked in a browser: the portal runs too, on the platform's clock, behind the gateway (whose
    /// address it signs people in at). Without it the gateway's portal route leads to Identity.
    /// </summary>
    protected virtual bool WithPortal => false;

    /// <summary>The portal's services, when the journey runs one (<see cref="WithPortal"/>).</summary>
    public IServiceProvider? Portal { get; private set; }

    /// <summary>A journey's last word on a service's settings (and the gateway's, as "gateway"), after the platform's own (e.g. the product's poll intervals).</summary>
    protected virtual void Configure(string service, Dictionary<string, string?> settings)
    {
    }

    public virtual async Task InitializeAsync()
    {
        var port = FreePorts.Next();
        Address = $"http://127.0.0.1:{port}/";
        vhost = await TestVirtualHost.CreateAsync("journey");
        Smtp = await SmtpSink.StartAsync();
        var publicKey = signingKey.ExportSubjectPublicKeyInfoPem();

        await StartAsync<IdentityDbContext>("identity", publicKey, settings =>
        {
            settings["Identity:SigningKeyPem"] = signingKey.ExportPkcs8PrivateKeyPem();
            settings["ANTQ_ADMIN_PASSWORD"] = AdminPassword;
            if (WithPortal) PortalHost.Register(settings, Address);
        });
        Plan = await StartAsync<PlanDbContext>("plan", publicKey);
        Reporting = await StartAsync<ReportingDbContext>("reporting", publicKey, settings => settings["Closing:PollInterval"] = "00:00:00.500");
        Classification = await StartAsync<Antq.Classification.Api.Data.ClassificationDbContext>("classification", publicKey);
        Notification = await StartAsync<Antq.Notification.Api.Data.NotificationDbContext>("notification", publicKey, settings =>
        {
            settings["Notification:Smtp:Host"] = "127.0.0.1";
            settings["Notification:Smtp:Port"] = Smtp.Port.ToString();
            settings["Notification:Smtp:Security"] = "None";
            settings["Notification:Dispatcher:PollInterval"] = "00:00:00.300";
        });

        var gatewaySettings = new Dictionary<string, string?>
        {
            ["Auth:Issuer"] = Address,
            ["Auth:SigningKeyPem"] = publicKey,
            // A season signs in far more often than a person would in a minute.
            ["Gateway:RateLimits:TokenPermits"] = "100000",
            ["Gateway:RateLimits:TokenPermitsPerUser"] = "100000",
            ["Gateway:RateLimits:WritePermits"] = "100000",
        };
        foreach (var (cluster, address) in addresses) gatewaySettings[$"ReverseProxy:Clusters:{cluster}:Destinations:d1:Address"] = address;
        if (WithPortal)
        {
            var portalSettings = PortalHost.Settings(Address, publicKey, vhost);
            Configure("portal", portalSettings);
            var portal = new HostFactory<Antq.Portal.Api.AntqApiClient>(portalSettings, Clock);
            portal.UseKestrel(0);
            portal.StartServer();
            disposables.Add(portal);
            Portal = portal.Services;
            addresses["portal"] = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        }

        gatewaySettings["ReverseProxy:Clusters:portal:Destinations:d1:Address"] = addresses[WithPortal ? "portal" : "identity"];
        Configure("gateway", gatewaySettings);
        var gateway = new HostFactory<Antq.Gateway.ClusterHealthCheck>(gatewaySettings, Clock);
        gateway.UseKestrel(port);
        gateway.StartServer();
        disposables.Add(gateway);
        addresses["gateway"] = Address;

        Admin = Client("admin", AdminPassword);
    }

    async Task<IServiceProvider> StartAsync<TContext>(string name, string publicKey, Action<Dictionary<string, string?>>? configure = null)
        where TContext : class
    {
        var database = await TestDatabase.CreateAsync("journey-" + name);
        disposables.Add(database);
        var factory = new ServiceFactory<TContext>(name, database, vhost) { Clock = Clock };
        factory.Settings["Auth:SigningKeyPem"] = publicKey;
        factory.Settings["Auth:Issuer"] = Address;
        factory.Settings["Logging:LogLevel:Default"] = "Warning";
        configure?.Invoke(factory.Settings);
        Configure(name, factory.Settings);
        factory.UseKestrel(0);
        factory.StartServer();
        disposables.Add(factory);
        hosts[name] = (database.Name, factory.Services);
        addresses[name] = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        return factory.Services;
    }

    /// <summary>A client through the gateway signed in as <paramref name="username"/>; it signs in again when its token is old on the platform's clock.</summary>
    public HttpClient Client(string username, string password = Password) =>
        new(new SignedIn(this, username, password) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = new Uri(Address),
            Timeout = TimeSpan.FromMinutes(2),
        };

    /// <summary>An account with a role, a unit and an e-mail address (the user name at the journey's domain).</summary>
    public async Task<HttpClient> UserAsync(string username, string role, string unit, string fullName = "Cán bộ thử nghiệm")
    {
        var response = await Admin.PostAsJsonAsync("api/users", new { username, password = Password, fullName, role, orgUnitCode = unit, email = EmailOf(username) });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return Client(username);
    }

    /// <summary>Where a unit's notices go by e-mail (its contact point): the officer's address.</summary>
    public async Task ContactAsync(string unit, string username)
    {
        using var response = await Admin.PutAsJsonAsync($"api/contact-points/{unit}", new { emails = new[] { EmailOf(username) } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string EmailOf(string username) => $"{username}@journey.antq.test";

    /// <summary>
    /// Imports one province of a unit list of <c>../shared/data/dvhc/</c> through the Plan service's API, valid from
    /// <paramref name="effectiveFrom"/>, and waits until Reporting, Classification and Notification have it.
    /// </summary>
    public async Task<JsonNode> ImportProvinceAsync(string file, string provinceCode, string effectiveFrom, Action<JsonNode>? amend = null)
    {
        var all = JsonNode.Parse(await File.ReadAllTextAsync(TestEnvironment.SharedFile("data", "dvhc", file)))!.AsArray();
        var province = all.First(p => (string?)p!["Code"] == provinceCode)!.DeepClone();
        amend?.Invoke(province);
        var body = new JsonArray(province).ToJsonString();
        var imported = await Admin.PostAsync($"api/org-units/import?effectiveFrom={effectiveFrom}", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        await Eventually.UntilAsync(async () =>
        {
            foreach (var services in new[] { Reporting, Classification, Notification })
            {
                await using var scope = services.CreateAsyncScope();
                var db = (Microsoft.EntityFrameworkCore.DbContext)scope.ServiceProvider.GetRequiredService(DbContextTypeOf(services));
                var count = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
                    db.Set<Antq.UnitTree.UnitTreeVersion>(), u => u.Code == provinceCode);
                if (count == 0) return false;
            }

            return true;
        }, TimeSpan.FromSeconds(90), $"the copies of the unit tree receive province {provinceCode}");
        return province;
    }

    Type DbContextTypeOf(IServiceProvider services) =>
        services == Reporting ? typeof(ReportingDbContext)
        : services == Classification ? typeof(Antq.Classification.Api.Data.ClassificationDbContext)
        : typeof(Antq.Notification.Api.Data.NotificationDbContext);

    public async Task<T> InAsync<TContext, T>(IServiceProvider services, Func<TContext, Task<T>> action) where TContext : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TContext>());
    }

    /// <summary>The instant a date's day starts in Vietnam (a deadline "trước ngày" that day).</summary>
    public static DateTimeOffset VietnamMidnight(string date) => new(DateTime.Parse(date + "T00:00:00", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(7));

    public virtual async Task DisposeAsync()
    {
        Admin?.Dispose();
        for (var i = disposables.Count - 1; i >= 0; i--)
        {
            try { await disposables[i].DisposeAsync(); }
            catch (Exception) { /* keep tearing down the rest */ }
        }

        if (Smtp is not null) await Smtp.DisposeAsync();
        if (vhost is not null) await vhost.DisposeAsync();
    }

    /// <summary>Signs in with the password grant through the gateway, and again once the token is 10 minutes old on the platform's clock.</summary>
    sealed class SignedIn(JourneyPlatform platform, string username, string password) : DelegatingHandler
    {
        string? token;
        DateTimeOffset issuedAt;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = platform.Clock.GetUtcNow();
            if (token is null || now - issuedAt > TimeSpan.FromMinutes(10) || now < issuedAt)
            {
                token = await TokenAsync(cancellationToken);
                issuedAt = now;
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await base.SendAsync(request, cancellationToken);
        }

        async Task<string> TokenAsync(CancellationToken ct)
        {
            using var client = new HttpClient { BaseAddress = new Uri(platform.Address) };
            using var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = username, ["password"] = password,
            }), ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            Assert.True(response.IsSuccessStatusCode, $"{username} could not sign in: {body}");
            return body.GetProperty("access_token").GetString()!;
        }
    }

    /// <summary>A host without a database of its own (the gateway), on the platform's clock.</summary>
    sealed class HostFactory<TEntryPoint>(IReadOnlyDictionary<string, string?> settings, PlatformClock clock) : WebApplicationFactory<TEntryPoint>
        where TEntryPoint : class
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ANTQ_MODE", "local");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(clock);
                services.AddSingleton<TimeProvider>(clock);
            });
        }
    }
}
