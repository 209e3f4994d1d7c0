using System.Net;
using Antq.Identity.Api.Audit;
using Antq.Identity.Api.SignIn;
using Antq.Identity.Api.Users;
using Microsoft.EntityFrameworkCore;

namespace Antq.Identity.IntegrationTests;

public sealed class PasswordGrantTests(IdentityService identity) : IClassFixture<IdentityService>
{
    [Fact]
    public async Task Password_grant_gives_a_signed_jwt_for_the_api_with_role_and_unit()
    {
        var token = await identity.GetAdminTokenAsync();

        // Signature, issuer and audience checked with nothing but the public key, as every other service does.
        var jwt = await identity.ValidateAccessTokenAsync(token);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Contains("antq-api", jwt.Audiences);
        Assert.Equal(IdentityService.Issuer, jwt.Issuer);
        Assert.Equal("admin", jwt.GetClaim("name").Value);
        Assert.Equal("Admin", jwt.GetClaim("role").Value);
        Assert.Equal("BCA", jwt.GetClaim("org_unit").Value);
        Assert.Equal("Quản trị hệ thống", jwt.GetClaim("full_name").Value);
        var adminId = await identity.QueryAsync(db => db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync());
        Assert.Equal(adminId.ToString(), jwt.Subject);
    }

    [Fact]
    public async Task Access_token_lives_fifteen_minutes_and_the_refresh_token_eight_hours_by_default()
    {
        using var response = await identity.RequestPasswordTokenAsync("admin", IdentityService.AdminPassword, scope: "offline_access");
        var body = await response.ReadJsonAsync();
        var jwt = await identity.ValidateAccessTokenAsync(body.Text("access_token"));

        Assert.Equal(TimeSpan.FromMinutes(15), jwt.ValidTo - jwt.IssuedAt);
        Assert.InRange(body.GetProperty("expires_in").GetInt32(), 895, 900); // seconds left when the answer was written
        Assert.Equal(TimeSpan.FromHours(8), await RefreshTokenLifetimeAsync(identity));
    }

    [Fact]
    public async Task Token_lifetimes_are_settings()
    {
        await using var configured = await IdentityService.CreateAsync(settings =>
        {
            settings["Identity:AccessTokenLifetime"] = "00:05:00";
            settings["Identity:RefreshTokenLifetime"] = "02:00:00";
        });
        using var response = await configured.RequestPasswordTokenAsync("admin", IdentityService.AdminPassword, scope: "offline_access");
        var jwt = await configured.ValidateAccessTokenAsync((await response.ReadJsonAsync()).Text("access_token"));

        Assert.Equal(TimeSpan.FromMinutes(5), jwt.ValidTo - jwt.IssuedAt);
        Assert.Equal(TimeSpan.FromHours(2), await RefreshTokenLifetimeAsync(configured));
    }

    /// <summary>The lifetime OpenIddict recorded for the newest refresh token (the token itself is encrypted).</summary>
    static Task<TimeSpan> RefreshTokenLifetimeAsync(IdentityService service) => service.QueryAsync(async db =>
    {
        var token = await db.Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
            .Where(t => t.Type!.Contains("refresh_token")).OrderByDescending(t => t.CreationDate).FirstAsync();
        return token.ExpirationDate!.Value - token.CreationDate!.Value;
    });

    [Fact]
    public async Task Me_with_the_token_answers_the_admin_profile()
    {
        using var client = identity.CreateClient(await identity.GetAdminTokenAsync());

        using var response = await client.GetAsync("/api/users/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await response.ReadJsonAsync();
        Assert.Equal("admin", profile.Text("username"));
        Assert.Equal("Quản trị hệ thống", profile.Text("fullName"));
        Assert.Equal("Admin", profile.Text("role"));
        Assert.Equal("BCA", profile.Text("orgUnitCode"));
        Assert.True(Guid.TryParse(profile.Text("id"), out _));
        Assert.False(profile.TryGetProperty("passwordHash", out _));
    }

    [Fact]
    public async Task Me_without_a_token_is_401_problem_json()
    {
        using var client = identity.CreateClient();

        using var response = await client.GetAsync("/api/users/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Chưa đăng nhập hoặc phiên đăng nhập đã hết hạn", (await response.ReadJsonAsync()).Text("title"));
    }

    [Fact]
    public async Task Wrong_password_is_400_invalid_grant_in_Vietnamese()
    {
        using var response = await identity.RequestPasswordTokenAsync("admin", "Sai-mat-khau-123");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadJsonAsync();
        Assert.Equal("invalid_grant", error.Text("error"));
        Assert.Equal("Tên đăng nhập hoặc mật khẩu không đúng.", error.Text("error_description"));
    }

    [Fact]
    public async Task Unknown_user_gets_the_same_answer_as_a_wrong_password()
    {
        using var response = await identity.RequestPasswordTokenAsync("khong.ton.tai", IdentityService.AdminPassword);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadJsonAsync();
        Assert.Equal("invalid_grant", error.Text("error"));
        Assert.Equal("Tên đăng nhập hoặc mật khẩu không đúng.", error.Text("error_description"));
    }

    [Fact]
    public async Task User_name_is_case_insensitive_at_login()
    {
        using var response = await identity.RequestPasswordTokenAsync("ADMIN", IdentityService.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Inactive_user_is_refused_a_token()
    {
        var password = await identity.CreateUserAsync("da.nghi.huu");
        await identity.QueryAsync(db => db.Users.Where(u => u.UserName == "da.nghi.huu")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Active, false)));

        using var response = await identity.RequestPasswordTokenAsync("da.nghi.huu", password);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.ReadJsonAsync();
        Assert.Equal("invalid_grant", error.Text("error"));
        Assert.Equal("Tài khoản đã bị vô hiệu hoá; vui lòng liên hệ quản trị viên.", error.Text("error_description"));
    }

    [Fact]
    public async Task Refresh_token_gives_a_new_access_token_with_the_current_role()
    {
        var password = await identity.CreateUserAsync("lam.moi", role: "Viewer");
        using var first = await identity.RequestPasswordTokenAsync("lam.moi", password, scope: "offline_access");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var refreshToken = (await first.ReadJsonAsync()).Text("refresh_token");
        await identity.QueryAsync(db => db.Users.Where(u => u.UserName == "lam.moi")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, "DistrictOfficer")));

        using var client = identity.CreateClient();
        using var refreshed = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = "antq-cli",
        }));

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var jwt = await identity.ValidateAccessTokenAsync((await refreshed.ReadJsonAsync()).Text("access_token"));
        Assert.Equal("DistrictOfficer", jwt.GetClaim("role").Value);
        Assert.Equal("lam.moi", jwt.GetClaim("name").Value);
    }

    [Fact]
    public async Task Refresh_token_of_a_deactivated_user_is_refused()
    {
        var password = await identity.CreateUserAsync("bi.khoa");
        using var first = await identity.RequestPasswordTokenAsync("bi.khoa", password, scope: "offline_access");
        var refreshToken = (await first.ReadJsonAsync()).Text("refresh_token");
        await identity.QueryAsync(db => db.Users.Where(u => u.UserName == "bi.khoa")
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Active, false)));

        using var client = identity.CreateClient();
        using var refreshed = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = "antq-cli",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
        Assert.Equal("invalid_grant", (await refreshed.ReadJsonAsync()).Text("error"));
    }

    [Fact]
    public async Task Key_set_publishes_the_signing_key_under_the_token_key_id()
    {
        var jwt = await identity.ValidateAccessTokenAsync(await identity.GetAdminTokenAsync());
        using var client = identity.CreateClient();

        using var response = await client.GetAsync("/.well-known/jwks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await response.Content.ReadAsStringAsync());
        var key = Assert.Single(keys.Keys, k => k.Kid == jwt.Kid);
        Assert.Equal("RSA", key.Kty);
        Assert.Equal(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(identity.Key.ExportParameters(false).Modulus), key.N);
    }
}
