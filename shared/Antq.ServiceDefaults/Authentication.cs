using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Antq.ServiceDefaults;

/// <summary>
/// JWT bearer validation of the tokens the Identity service issues. Settings (section <c>Auth</c>):
/// <c>Issuer</c> (the public address, default the gateway's), <c>JwksUri</c> (where the Identity service publishes
/// its signing keys, reached directly, not through the gateway), or <c>SigningKeyPem</c> (a public key, for tests).
/// </summary>
public static class Authentication
{
    public const string DefaultIssuer = "http://127.0.0.1:8080/";

    public static IHostApplicationBuilder AddAntqAuthentication(this IHostApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection("Auth");
        var issuer = auth["Issuer"] ?? DefaultIssuer;

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.RequireHttpsMetadata = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer,
                    ValidAudience = AntqClaims.Audience,
                    NameClaimType = AntqClaims.Name,
                    RoleClaimType = AntqClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };

                if (auth["SigningKeyPem"] is { Length: > 0 } pem)
                {
                    var rsa = RSA.Create();
                    rsa.ImportFromPem(pem);
                    options.TokenValidationParameters.IssuerSigningKey = new RsaSecurityKey(rsa);
                }
                else
                {
                    var jwksUri = auth["JwksUri"] ?? "http://127.0.0.1:5101/.well-known/jwks";
                    options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                        jwksUri, new JwksRetriever(issuer), new HttpDocumentRetriever { RequireHttps = false })
                    {
                        AutomaticRefreshInterval = TimeSpan.FromHours(1),
                        RefreshInterval = TimeSpan.FromSeconds(30),
                    };
                }
            });

        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// Reads only the key set. The discovery document would name the public (gateway) addresses, and a service must
    /// not depend on the gateway to check a token.
    /// </summary>
    sealed class JwksRetriever(string issuer) : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var json = await retriever.GetDocumentAsync(address, cancel);
            var keys = new JsonWebKeySet(json);
            var configuration = new OpenIdConnectConfiguration { Issuer = issuer, JwksUri = address };
            foreach (var key in keys.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
    }
}
