using System.Security.Claims;
using System.Security.Cryptography;
using Antq.ServiceDefaults;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Antq.Testing;

/// <summary>
/// Access tokens for testing one service alone, signed with a key made for this test run. The service under test is
/// given the public half (<c>Auth:SigningKeyPem</c>) and checks them exactly as it checks the Identity service's.
/// Tests of the whole platform get real tokens from <c>/connect/token</c> instead.
/// </summary>
public static class TestTokens
{
    static readonly RSA Key = RSA.Create(2048);

    public static string PublicKeyPem { get; } = Key.ExportSubjectPublicKeyInfoPem();

    public static string Issue(string userName, string role, string orgUnitCode, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Authentication.DefaultIssuer,
            Audience = AntqClaims.Audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            Subject = new ClaimsIdentity(
            [
                new Claim(AntqClaims.Subject, Guid.NewGuid().ToString()),
                new Claim(AntqClaims.Name, userName),
                new Claim(AntqClaims.Role, role),
                new Claim(AntqClaims.OrgUnit, orgUnitCode),
            ]),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(Key), SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
