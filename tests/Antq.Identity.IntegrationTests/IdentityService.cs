using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Antq.Identity.Api.Data;
using Antq.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Antq.Identity.IntegrationTests;

/// <summary>
/// The Identity service in process on its own database and virtual host, with an RSA key made for this run: the
/// private half signs (<c>Identity:SigningKeyPem</c>), the public half is what the service's JwtBearer trusts
/// (<c>Auth:SigningKeyPem</c>), exactly as another service would.
/// </summary>
public sealed class IdentityService : IAsyncLifetime, IAsyncDisposable
{
    public const string AdminPassword = "Kiemthu-Quantri-2026";
    public const string Issuer = "http://127.0.0.1:8080/";
    public const string PortalRedirectUri = "http://127.0.0.1:8080/signin-oidc";

    readonly Action<Dictionary<string, string?>>? configure;

    public IdentityService() { }

    IdentityService(Action<Dictionary<string, string?>> configure) => this.configure = configure;

    public RSA Key { get; } = RSA.Create(2048);

    public TestDatabase Database { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public ServiceFactory<Program> Factory { get; private set; } = null!;

    /// <summary>For tests that need settings of their own; the caller disposes it.</summary>
    public static async Task<IdentityService> CreateAsync(Action<Dictionary<string, string?>> configure)
    {
        var service = new IdentityService(configure);
        await service.CreateResourcesAsync();
        return service;
    }

    public async Task InitializeAsync()
    {
        await CreateResourcesAsync();
        _ = Factory.Server; // start now: migrations, clients, the admin account
    }

    async Task CreateResourcesAsync()
    {
        Database = await TestDatabase.CreateAsync("identity");
        VirtualHost = await TestVirtualHost.CreateAsync("identity");
        Factory = new ServiceFactory<Program>("identity", Database, VirtualHost);
        Factory.Settings["Identity:SigningKeyPem"] = Key.ExportPkcs8PrivateKeyPem();
        Factory.Settings["Auth:SigningKeyPem"] = Key.ExportSubjectPublicKeyInfoPem();
        Factory.Settings["ANTQ_ADMIN_PASSWORD"] = AdminPassword;
        configure?.Invoke(Factory.Settings);
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
        if (VirtualHost is not null) await VirtualHost.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
        Key.Dispose();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public HttpClient CreateClient(string? accessToken = null)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (accessToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>A browser: keeps cookies, does not follow redirects (the test follows them and looks at each).</summary>
    public HttpClient CreateBrowser() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The form scripts send: <c>grant_type=password&amp;username=…&amp;password=…&amp;client_id=antq-cli</c>.</summary>
    public async Task<HttpResponseMessage> RequestPasswordTokenAsync(string userName, string password, string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = userName,
            ["password"] = password,
            ["client_id"] = "antq-cli",
        };
        if (scope is not null) form["scope"] = scope;
        using var client = CreateClient();
        return await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }

    public async Task<string> GetAccessTokenAsync(string userName, string password)
    {
        using var response = await RequestPasswordTokenAsync(userName, password);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token request for {userName} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public Task<string> GetAdminTokenAsync() => GetAccessTokenAsync("admin", AdminPassword);

    /// <summary>Creates an account as the admin and answers its password.</summary>
    public async Task<string> CreateUserAsync(string userName, string role = "CommuneOfficer", string orgUnitCode = "00004")
    {
        const string password = "Matkhau-2026-ok";
        using var client = CreateClient(await GetAdminTokenAsync());
        using var response = await client.PostAsJsonAsync("/api/users", new
        {
            username = userName,
            password,
            fullName = "Nguyễn Văn Kiểm Thử",
            role,
            orgUnitCode,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return password;
    }

    /// <summary>Checks a token as any other service would: signature with the published key, issuer, audience, lifetime.</summary>
    public async Task<JsonWebToken> ValidateAccessTokenAsync(string token)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = "antq-api",
            IssuerSigningKey = new RsaSecurityKey(Key.ExportParameters(false)),
        });
        Assert.True(result.IsValid, $"the access token does not validate: {result.Exception?.Message}");
        return (JsonWebToken)result.SecurityToken;
    }

    public async Task<T> QueryAsync<T>(Func<IdentityDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IdentityDbContext>());
    }
}
