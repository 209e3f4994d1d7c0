using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;

namespace Antq.Identity.IntegrationTests;

/// <summary>The portal's sign-in, driven as a browser would: authorize, login page, back to authorize, code for tokens.</summary>
public sealed partial class AuthorizationCodeFlowTests(IdentityService identity) : IClassFixture<IdentityService>
{
    readonly string verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    string Challenge => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    string AuthorizeUrl(string? challenge = "") => QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?>
    {
        ["client_id"] = "antq-portal",
        ["response_type"] = "code",
        ["redirect_uri"] = IdentityService.PortalRedirectUri,
        ["scope"] = "openid profile offline_access",
        ["state"] = "trang-thai-123",
        ["code_challenge"] = challenge == "" ? Challenge : challenge,
        ["code_challenge_method"] = "S256",
    }.Where(p => p.Value is not null));

    [Fact]
    public async Task Authorization_code_with_PKCE_through_the_login_page_gives_tokens_for_the_api()
    {
        using var browser = identity.CreateBrowser();

        // 1. The portal sends the browser to authorize; nobody is signed in, so it goes to the login page.
        using var authorize = await browser.GetAsync(AuthorizeUrl());
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var loginUrl = authorize.Headers.Location!;
        Assert.Equal("/account/login", loginUrl.AbsolutePath);

        // 2. The login page, with its antiforgery token, and the way back to the authorize request.
        using var page = await browser.GetAsync(loginUrl.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Đăng nhập", html);
        var returnUrl = HiddenField(html, "ReturnUrl");
        Assert.StartsWith("/connect/authorize?", returnUrl);

        // 3. Credentials posted: the login cookie is set and the browser returns to authorize.
        using var login = await PostLoginAsync(browser, html, "admin", IdentityService.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(returnUrl, login.Headers.Location!.OriginalString);

        // 4. Authorize again, signed in this time: back to the portal with a code.
        using var back = await browser.GetAsync(returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        Assert.StartsWith(IdentityService.PortalRedirectUri + "?", callback.AbsoluteUri);
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("trang-thai-123", query["state"].ToString());
        var code = query["code"].ToString();
        Assert.NotEmpty(code);

        // 5. The portal exchanges the code, proving it holds the verifier.
        using var tokens = await ExchangeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        var body = await tokens.ReadJsonAsync();
        Assert.True(body.TryGetProperty("id_token", out _));
        Assert.True(body.TryGetProperty("refresh_token", out _));
        var jwt = await identity.ValidateAccessTokenAsync(body.Text("access_token"));
        Assert.Equal("admin", jwt.GetClaim("name").Value);
        Assert.Equal("Admin", jwt.GetClaim("role").Value);
        Assert.Equal("BCA", jwt.GetClaim("org_unit").Value);

        using var api = identity.CreateClient(body.Text("access_token"));
        using var me = await api.GetAsync("/api/users/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("admin", (await me.ReadJsonAsync()).Text("username"));
    }

    [Fact]
    public async Task Code_with_the_wrong_verifier_is_refused()
    {
        var code = await SignInAndGetCodeAsync();

        using var tokens = await ExchangeAsync(code, Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));

        Assert.Equal(HttpStatusCode.BadRequest, tokens.StatusCode);
        Assert.Equal("invalid_grant", (await tokens.ReadJsonAsync()).Text("error"));
    }

    [Fact]
    public async Task Code_cannot_be_redeemed_twice()
    {
        var code = await SignInAndGetCodeAsync();
        using var first = await ExchangeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await ExchangeAsync(code, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (await second.ReadJsonAsync()).Text("error"));
    }

    [Fact]
    public async Task Authorize_without_a_code_challenge_is_refused()
    {
        using var browser = identity.CreateBrowser();

        using var response = await browser.GetAsync(AuthorizeUrl(challenge: null));

        // Refused before any login: no way to the login page, no code.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("invalid_request", body);
        Assert.Contains("code_challenge", body);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_with_an_unregistered_redirect_address_is_refused()
    {
        using var browser = identity.CreateBrowser();

        using var response = await browser.GetAsync(AuthorizeUrl().Replace(Uri.EscapeDataString(IdentityService.PortalRedirectUri), Uri.EscapeDataString("http://ke-gian.example/cb")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_password_on_the_login_page_shows_a_Vietnamese_error_and_sets_no_session()
    {
        using var browser = identity.CreateBrowser();
        using var authorize = await browser.GetAsync(AuthorizeUrl());
        var html = await (await browser.GetAsync(authorize.Headers.Location!.PathAndQuery)).Content.ReadAsStringAsync();

        using var login = await PostLoginAsync(browser, html, "admin", "Sai-mat-khau-1");

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Contains("Tên đăng nhập hoặc mật khẩu không đúng.", await login.Content.ReadAsStringAsync());
        using var again = await browser.GetAsync(AuthorizeUrl());
        Assert.Equal("/account/login", again.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Login_post_without_the_antiforgery_token_is_refused()
    {
        using var browser = identity.CreateBrowser();
        using var _ = await browser.GetAsync("/account/login"); // the antiforgery cookie is set, the form token is not sent

        using var login = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin",
            ["password"] = IdentityService.AdminPassword,
            ["ReturnUrl"] = "/",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.False(login.Headers.Contains("Set-Cookie") && login.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("antq_login=", StringComparison.Ordinal)));
        using var authorize = await browser.GetAsync(AuthorizeUrl());
        Assert.Equal("/account/login", authorize.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Login_page_escapes_what_it_echoes_and_never_returns_to_another_site()
    {
        using var browser = identity.CreateBrowser();
        using var page = await browser.GetAsync("/account/login?ReturnUrl=" + Uri.EscapeDataString("//ke-gian.example/\"><script>alert(1)</script>"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);

        using var login = await PostLoginAsync(browser, html, "<b>admin</b>", "x", returnUrl: "https://ke-gian.example/");
        var echoed = await login.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<b>admin</b>", echoed);
        Assert.Contains("&lt;b&gt;admin&lt;/b&gt;", echoed);

        using var good = await PostLoginAsync(browser, echoed, "admin", IdentityService.AdminPassword, returnUrl: "//ke-gian.example/");
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.Equal("/", good.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Logout_ends_the_login_session()
    {
        using var browser = identity.CreateBrowser();
        await SignInAndGetCodeAsync(browser);

        using var logout = await browser.GetAsync("/connect/logout?client_id=antq-portal&post_logout_redirect_uri=" + Uri.EscapeDataString("http://127.0.0.1:8080/"));

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("http://127.0.0.1:8080/", logout.Headers.Location!.AbsoluteUri);
        using var authorize = await browser.GetAsync(AuthorizeUrl());
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        Assert.Equal("/account/login", authorize.Headers.Location!.AbsolutePath);
    }

    async Task<string> SignInAndGetCodeAsync(HttpClient? browser = null)
    {
        var owned = browser is null;
        browser ??= identity.CreateBrowser();
        try
        {
            using var authorize = await browser.GetAsync(AuthorizeUrl());
            var html = await (await browser.GetAsync(authorize.Headers.Location!.PathAndQuery)).Content.ReadAsStringAsync();
            using var login = await PostLoginAsync(browser, html, "admin", IdentityService.AdminPassword);
            using var back = await browser.GetAsync(login.Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
            return QueryHelpers.ParseQuery(back.Headers.Location!.Query)["code"].ToString();
        }
        finally
        {
            if (owned) browser.Dispose();
        }
    }

    static Task<HttpResponseMessage> PostLoginAsync(HttpClient browser, string html, string userName, string password, string? returnUrl = null) =>
        browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenField(html, "__RequestVerificationToken"),
            ["ReturnUrl"] = returnUrl ?? HiddenField(html, "ReturnUrl"),
            ["username"] = userName,
            ["password"] = password,
        }));

    async Task<HttpResponseMessage> ExchangeAsync(string code, string codeVerifier)
    {
        using var client = identity.CreateClient();
        return await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = IdentityService.PortalRedirectUri,
            ["client_id"] = "antq-portal",
            ["code_verifier"] = codeVerifier,
        }));
    }

    static string HiddenField(string html, string name)
    {
        var match = HiddenInput().Matches(html).FirstOrDefault(m => WebUtility.HtmlDecode(m.Groups["name"].Value) == name)
            ?? throw new Xunit.Sdk.XunitException($"no hidden field {name} in the page");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]*)" value="(?<value>[^"]*)">""")]
    private static partial Regex HiddenInput();
}
