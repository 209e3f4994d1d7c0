using Antq.Identity.Api.Apis;
using Antq.Identity.Api.Data;
using Antq.Identity.Api.Domain;
using Antq.Identity.Api.Hosting;
using Antq.Identity.Api.Tokens;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Antq.Settings;
using MassTransit;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Antq.Identity.Api;

/// <summary>The Identity service's own wiring: users, roles, unit scopes and token issuing (OpenID Connect).</summary>
public static class IdentityServiceExtensions
{
    /// <summary><c>Identity:AccessTokenLifetime</c> unless set.</summary>
    public static readonly TimeSpan DefaultAccessTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary><c>Identity:RefreshTokenLifetime</c> unless set: a working day; each use gives a new one.</summary>
    public static readonly TimeSpan DefaultRefreshTokenLifetime = TimeSpan.FromHours(8);

    public static IHostApplicationBuilder AddIdentityServices(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;

        builder.AddAntqDbContext<IdentityDbContext>("identity", insertOnlyTables: "audit_entries");
        builder.Services.AddAntqOutbox<IdentityDbContext>(configuration);
        builder.AddAntqBus(bus => bus.AddConsumers(typeof(IdentityServiceExtensions).Assembly));

        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSettings<AccountLockoutOptions>(configuration, AccountLockoutOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);

        // The login cookie and the antiforgery tokens must be readable by every replica.
        builder.Services.AddDataProtection()
            .SetApplicationName("antq-identity")
            .PersistKeysToDbContext<IdentityDbContext>();
        RunAfterMigrations(builder.Services, "DataProtectionHostedService");
        builder.Services.AddAntiforgery(options => options.Cookie.Name = "antq_antiforgery");
        builder.Services.AddAuthentication()
            .AddCookie(LoginCookie.Scheme, options =>
            {
                options.Cookie.Name = LoginCookie.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.LoginPath = "/account/login";
                options.LogoutPath = "/connect/logout";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
            });

        // Read when first needed (at start, by IdentitySeed), not while composing: design-time tools build this host too.
        builder.Services.AddSingleton(services => TokenKeys.Load(services.GetRequiredService<IConfiguration>()));
        var issuer = new Uri(configuration["Auth:Issuer"] ?? Authentication.DefaultIssuer, UriKind.Absolute);

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(issuer)
                    .SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetEndSessionEndpointUris("connect/logout")
                    // A script logs out by revoking its refresh token (token=…&token_type_hint=refresh_token&client_id=…).
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks");

                server.AllowPasswordFlow()
                    .AllowRefreshTokenFlow()
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange();

                server.RegisterScopes(Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess);

                // Plain signed JWTs: every service checks them with standard JwtBearer and the published key set. They
                // cannot be revoked, so they are short: a disabled account or a changed role takes effect within their
                // lifetime, while the refresh token (revocable, rolled at each use) keeps a working session going.
                server.DisableAccessTokenEncryption()
                    .SetAccessTokenLifetime(configuration.GetValue("Identity:AccessTokenLifetime", DefaultAccessTokenLifetime))
                    .SetRefreshTokenLifetime(configuration.GetValue("Identity:RefreshTokenLifetime", DefaultRefreshTokenLifetime));

                server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // TLS ends at the gateway or the load balancer in front of it; this service listens on a private address.
                    .DisableTransportSecurityRequirement();
            });

        // Tokens live in real time, whatever the platform's clock says: a clock shifted for a season of a past year
        // (local mode and tests) moves deadlines and reports, not the lifetime of a sign-in, which every service and the
        // gateway check against the real clock (JwtBearer does not read the platform's).
        builder.Services.AddOptions<OpenIddictServerOptions>().Configure(options => options.TimeProvider = TimeProvider.System);
        builder.Services.AddOptions<OpenIddict.Core.OpenIddictCoreOptions>().Configure(options => options.TimeProvider = TimeProvider.System);

        // The same as server.AddSigningKey/AddEncryptionKey, but with the keys resolved from the container.
        builder.Services.AddOptions<OpenIddictServerOptions>().Configure<TokenKeys>((options, keys) =>
        {
            options.SigningCredentials.Add(new SigningCredentials(keys.SigningKey, SecurityAlgorithms.RsaSha256));
            options.EncryptionCredentials.Add(new EncryptingCredentials(keys.EncryptionKey, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        });

        // This service checks the tokens it issued with its own key instead of fetching its own key set over HTTP,
        // unless a test or deployment names a key explicitly.
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenKeys, IConfiguration>((options, keys, config) =>
        {
            if (!string.IsNullOrEmpty(config["Auth:SigningKeyPem"])) return;
            options.ConfigurationManager = null;
            options.TokenValidationParameters.IssuerSigningKey = new RsaSecurityKey(keys.Rsa.ExportParameters(false)) { KeyId = keys.SigningKey.KeyId };
        });

        builder.Services.AddSingleton<IConfigureOptions<AdminAccountOptions>, AdminAccountOptionsSetup>();
        builder.Services.AddSingleton<IValidateOptions<AdminAccountOptions>, AdminAccountOptionsSetup>();
        builder.Services.AddOptions<AdminAccountOptions>().ValidateOnStart();
        builder.Services.AddHostedService<IdentitySeed>();
        builder.Services.AddHostedService<TokenPruning>();
        return builder;
    }

    /// <summary>
    /// Moves a framework hosted service behind the ones registered so far (the migrations among them). Authentication
    /// registers data protection, whose start-up warm-up reads the key ring, long before this service's database exists.
    /// </summary>
    static void RunAfterMigrations(IServiceCollection services, string hostedServiceName)
    {
        var descriptors = services
            .Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == hostedServiceName)
            .ToList();
        foreach (var descriptor in descriptors)
        {
            services.Remove(descriptor);
            services.Add(descriptor);
        }
    }

    public static WebApplication MapIdentityApi(this WebApplication app)
    {
        app.MapConnectApi();
        app.MapAccountApi();
        app.MapUsersApi();
        return app;
    }
}
