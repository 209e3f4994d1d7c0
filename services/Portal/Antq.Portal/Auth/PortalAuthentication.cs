using Antq.Portal.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Antq.Portal.Auth;

/// <summary>
/// Sign-in through the Identity service (OpenID Connect, authorization code with PKCE) into a cookie session whose
/// content (principal and tokens) stays on the server. Settings: <c>Portal:Authority</c> (the gateway's public
/// address, default http://127.0.0.1:8080/) and <c>Portal:ApiBaseAddress</c> (default the authority).
/// </summary>
public static class PortalAuthentication
{
    public const string CookieName = "antq_portal";
    public const string LoginPath = "/dang-nhap";
    public const string LogoutPath = "/dang-xuat";

    public static string Authority(IConfiguration configuration) =>
        EnsureSlash(configuration["Portal:Authority"] ?? Authentication.DefaultIssuer);

    public static string ApiBaseAddress(IConfiguration configuration) =>
        EnsureSlash(configuration["Portal:ApiBaseAddress"] ?? Authority(configuration));

    static string EnsureSlash(string address) => address.EndsWith('/') ? address : address + "/";

    public static IHostApplicationBuilder AddPortalAuthentication(this IHostApplicationBuilder builder)
    {
        var authority = Authority(builder.Configuration);
        builder.Services.AddMemoryCache();
        builder.AddPortalSharedState();
        builder.Services.AddSingleton<TokenRefresher>();
        builder.Services.AddHttpClient(TokenRefresher.HttpClientName, client =>
        {
            client.BaseAddress = new Uri(authority);
            client.Timeout = TimeSpan.FromSeconds(20);
        });
        builder.Services.AddScoped<UserSession>();

        // The service defaults make JWT bearer the default for APIs; the portal's pages use the cookie session.
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultAuthenticateScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
                options.DefaultSignOutScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.LoginPath = LoginPath;
                options.LogoutPath = LogoutPath;
                options.ExpireTimeSpan = TimeSpan.FromHours(10);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = RefreshTokensAsync;
            })
            .AddOpenIdConnect(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                options.Authority = authority;
                options.RequireHttpsMetadata = false;
                options.ClientId = TokenRefresher.ClientId;
                options.ResponseType = OpenIdConnectResponseType.Code;
                // A redirect with the code in the query: no cross-site POST, so Lax cookies do for the correlation.
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.UsePkce = true;
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("profile");
                options.Scope.Add("offline_access");
                options.SaveTokens = true;
                options.GetClaimsFromUserInfoEndpoint = false;
                options.MapInboundClaims = false;
                options.CallbackPath = "/signin-oidc";
                options.SignedOutCallbackPath = "/signout-callback-oidc";
                options.SignedOutRedirectUri = "/";
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    NameClaimType = AntqClaims.Name,
                    RoleClaimType = AntqClaims.Role,
                };
                options.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    // The only address registered for the end of a session is the portal's root.
                    context.ProtocolMessage.PostLogoutRedirectUri = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/";
                    return Task.CompletedTask;
                };
                options.Events.OnRemoteFailure = context =>
                {
                    context.Response.Redirect("/?loi=dang-nhap");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });

        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ITicketStore>((options, store) => options.SessionStore = store);
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>
    /// What the replicas share. Given a database (<c>ConnectionStrings:portal</c>, its own and for this only), the
    /// Data Protection key ring and the sessions are kept there, so that any replica reads the cookie and finds the
    /// session another replica made: several replicas, and a person stays signed in when theirs stops. Without one (a
    /// single portal on one machine: <c>deploy/antq up</c>, the tests) the keys are the default ring of the process's
    /// machine and the sessions are in memory, lost when the portal restarts.
    /// </summary>
    static void AddPortalSharedState(this IHostApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("antq-portal");
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("portal")))
        {
            builder.Services.AddDistributedMemoryCache();
            builder.Services.AddSingleton<ITicketStore, DistributedTicketStore>();
            return;
        }

        builder.AddAntqDbContext<PortalDbContext>("portal");
        dataProtection.PersistKeysToDbContext<PortalDbContext>();
        // The keys may be encrypted with a certificate kept outside the database (a dump then reveals no session).
        if (builder.Configuration["Portal:DataProtection:CertificateFile"] is { Length: > 0 } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificate, builder.Configuration["Portal:DataProtection:CertificatePassword"]));
        }
        builder.Services.AddSingleton<ITicketStore, DatabaseTicketStore>();
    }

    /// <summary>
    /// Data Protection's start-up (which loads the key ring) was registered before the migrations that make its table:
    /// it goes after them. Called once every service is registered.
    /// </summary>
    public static void LoadKeysAfterMigrations(this IServiceCollection services)
    {
        foreach (var start in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "DataProtectionHostedService").ToList())
        {
            services.Remove(start);
            services.Add(start);
        }
    }

    /// <summary>On every HTTP request of a session: refresh the access token when it is about to expire, end the session when it cannot be.</summary>
    static async Task RefreshTokensAsync(CookieValidatePrincipalContext context)
    {
        if (TokenSet.From(context.Properties) is not { } tokens) return;
        var refresher = context.HttpContext.RequestServices.GetRequiredService<TokenRefresher>();
        var fresh = await refresher.EnsureFreshAsync(tokens, context.HttpContext.RequestAborted);
        if (fresh is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        if (!ReferenceEquals(fresh, tokens))
        {
            fresh.StoreIn(context.Properties);
            context.ShouldRenew = true;
        }
    }

    public static WebApplication MapPortalAuthentication(this WebApplication app)
    {
        app.MapGet(LoginPath, (string? returnUrl) =>
            TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) },
                [OpenIdConnectDefaults.AuthenticationScheme])).AllowAnonymous();

        app.MapPost(LogoutPath, ([FromForm] string? returnUrl) =>
            TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])).AllowAnonymous();
        return app;
    }

    /// <summary>Only an address on this site, so the login link cannot send a user elsewhere.</summary>
    public static string LocalOrRoot(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/') return "/";
        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\')) return "/";
        return url.Any(char.IsControl) ? "/" : url;
    }
}
