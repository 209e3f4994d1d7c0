using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Gateway.IntegrationTests;

/// <summary>The gateway against stand-in services on real sockets: routing, the token check, identity and correlation headers, limits, readiness.</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    readonly Dictionary<string, StubBackend> backends = new();
    GatewayFactory gateway = null!;

    public async Task InitializeAsync()
    {
        foreach (var name in GatewayFactory.ClusterNames) backends[name] = await StubBackend.StartAsync();
        gateway = new GatewayFactory(backends.ToDictionary(b => b.Key, b => b.Value.Address));
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        foreach (var backend in backends.Values) await backend.DisposeAsync();
    }

    [Theory]
    [InlineData("/api/users/me", "identity")]
    [InlineData("/api/org-units/38", "plan")]
    [InlineData("/api/plans", "plan")]
    [InlineData("/api/deadlines/38/2026-H1", "plan")]
    [InlineData("/api/indicators", "reporting")]
    [InlineData("/api/reports/38/2026-H1", "reporting")]
    [InlineData("/api/rollups/38/2026-H1", "reporting")]
    [InlineData("/api/classifications/38/2026", "classification")]
    [InlineData("/api/notifications", "notification")]
    [InlineData("/api/contact-points/38", "notification")]
    public async Task Api_routes_reach_the_service_that_owns_them(string path, string cluster)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("xa.ngocson", AntqRoles.CommuneOfficer, "12345"));

        var echo = await client.GetFromJsonAsync<Echo>(path);

        Assert.Equal(path, echo!.Path);
        Assert.Equal(backends[cluster].Address, await AddressThatAnswered(path, client));
    }

    [Theory]
    [InlineData("/api/users/me")]
    [InlineData("/api/reports/38/2026-H1")]
    [InlineData("/api/org-units/38")]
    public async Task Api_routes_without_a_token_are_refused_at_the_gateway_with_a_vietnamese_problem(string path)
    {
        var response = await gateway.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemDetailsDefaults.TitleFor(401), problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_token_signed_by_anyone_else_is_refused()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var forged = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = Authentication.DefaultIssuer,
            Audience = AntqClaims.Audience,
            Claims = new Dictionary<string, object> { ["role"] = AntqRoles.Admin, ["org_unit"] = "BCA", ["name"] = "mallory" },
            SigningCredentials = new(new Microsoft.IdentityModel.Tokens.RsaSecurityKey(rsa), "RS256"),
        });
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/users/me")).StatusCode);
    }

    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/.well-known/jwks")]
    [InlineData("/")]
    [InlineData("/dang-nhap")]
    public async Task Token_endpoint_and_portal_pages_are_open_to_anonymous_callers(string path)
    {
        var response = await gateway.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_gateway_stamps_the_callers_identity_and_drops_what_the_caller_claimed()
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("xa.ngocson", AntqRoles.CommuneOfficer, "12345"));
        client.DefaultRequestHeaders.Add("X-Antq-Role", "Admin");
        client.DefaultRequestHeaders.Add("X-Antq-Unit", "BCA");

        var echo = await client.GetFromJsonAsync<Echo>("/api/reports/12345/2026-H1");

        Assert.Equal(AntqRoles.CommuneOfficer, echo!.Headers["X-Antq-Role"]);
        Assert.Equal("12345", echo.Headers["X-Antq-Unit"]);
        Assert.Equal("xa.ngocson", echo.Headers["X-Antq-User"]);
    }

    [Fact]
    public async Task Every_request_gets_a_correlation_id_and_a_callers_own_id_is_kept()
    {
        var client = gateway.CreateClient();

        var fresh = await client.GetAsync("/");
        var fromService = await client.GetFromJsonAsync<Echo>("/");
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add(Correlation.HeaderName, "bao-cao-6-thang-42");
        var kept = await client.SendAsync(request);

        Assert.False(string.IsNullOrWhiteSpace(fresh.Headers.GetValues(Correlation.HeaderName).Single()));
        Assert.False(string.IsNullOrWhiteSpace(fromService!.Headers[Correlation.HeaderName]));
        Assert.Equal("bao-cao-6-thang-42", kept.Headers.GetValues(Correlation.HeaderName).Single());
    }

    [Fact]
    public async Task An_address_over_the_limit_is_a_vietnamese_414_problem_and_never_reaches_a_service()
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("xa.ngocson", AntqRoles.CommuneOfficer, "12345"));
        var tooLong = await client.GetAsync("/api/reports/" + new string('1', 8000) + "/2026-H1");
        var justUnder = await client.GetAsync("/api/reports/" + new string('1', 7900) + "/2026-H1");

        Assert.Equal(HttpStatusCode.RequestUriTooLong, tooLong.StatusCode);
        Assert.Equal("application/problem+json", tooLong.Content.Headers.ContentType?.MediaType);
        var problem = await tooLong.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Địa chỉ yêu cầu quá dài", problem.GetProperty("title").GetString());
        Assert.False(problem.TryGetProperty("path", out _)); // the stand-in service echoes every request it gets
        Assert.Equal(HttpStatusCode.OK, justUnder.StatusCode);
        Assert.Equal(7900 + 21, (await justUnder.Content.ReadFromJsonAsync<Echo>())!.Path.Length);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_before_it_reaches_a_service()
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("xa.ngocson", AntqRoles.CommuneOfficer, "12345"));
        var body = new ByteArrayContent(new byte[70_000]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await client.PutAsync("/api/reports/12345/2026-H1", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Readiness_reports_every_cluster_and_fails_when_one_is_not_ready()
    {
        var client = gateway.CreateClient();

        var ready = await client.GetAsync("/health/ready");
        var readyBody = await ready.Content.ReadFromJsonAsync<JsonElement>();
        backends["reporting"].Ready = false;
        var notReady = await client.GetAsync("/health/ready");
        var notReadyBody = await notReady.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var clusters = readyBody.GetProperty("checks").GetProperty("clusters").GetProperty("data");
        foreach (var name in GatewayFactory.ClusterNames) Assert.Equal("200", clusters.GetProperty(name).GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("503", notReadyBody.GetProperty("checks").GetProperty("clusters").GetProperty("data").GetProperty("reporting").GetString());
    }

    /// <summary>Which stand-in answered: each echoes its own address in the Host header the gateway sent it.</summary>
    static async Task<string> AddressThatAnswered(string path, HttpClient client)
    {
        var echo = await client.GetFromJsonAsync<Echo>(path);
        return $"http://{echo!.Headers["Host"]}/";
    }

    sealed record Echo(string Path, Dictionary<string, string> Headers)
    {
        public Dictionary<string, string> Headers { get; init; } = new(Headers, StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>Limits on the token endpoint and on writes, with small limits so the tests reach them quickly.</summary>
public sealed class GatewayLimitTests : IAsyncLifetime
{
    readonly Dictionary<string, StubBackend> backends = new();
    GatewayFactory gateway = null!;

    public async Task InitializeAsync()
    {
        foreach (var name in GatewayFactory.ClusterNames) backends[name] = await StubBackend.StartAsync();
        gateway = new GatewayFactory(backends.ToDictionary(b => b.Key, b => b.Value.Address), builder =>
        {
            builder.UseSetting("Gateway:RateLimits:TokenPermits", "5");
            builder.UseSetting("Gateway:RateLimits:TokenPermitsPerUser", "3");
            builder.UseSetting("Gateway:RateLimits:WritePermits", "8");
            builder.UseSetting("Gateway:RateLimits:Window", "00:10:00");
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, TestRemoteAddress>());
        });
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        foreach (var backend in backends.Values) await backend.DisposeAsync();
    }

    [Fact]
    public async Task Repeated_token_requests_from_one_address_are_refused_with_429_and_retry_after()
    {
        var client = gateway.CreateClient();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 7; i++) answers.Add(await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password" })));

        Assert.All(answers.Take(5), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var refused = answers[6];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemDetailsDefaults.TitleFor(429), problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task One_account_is_guarded_per_address_at_the_token_endpoint_and_the_login_form_alike()
    {
        // Three attempts per user name from one address: password grants and login forms count together, and the user
        // name is compared as Identity compares it (trimmed, any case).
        var answers = new List<HttpResponseMessage>();
        var guesser = gateway.CreateClient();
        guesser.DefaultRequestHeaders.Add(TestRemoteAddress.Header, "10.1.0.1");
        foreach (var (userName, login) in new[] { ("pv01.hanoi", false), (" PV01.HaNoi ", true), ("pv01.hanoi", false), ("Pv01.hanoi", true) })
        {
            var form = new Dictionary<string, string> { ["username"] = userName, ["password"] = "doan-mo-1234" };
            if (!login) form["grant_type"] = "password";
            answers.Add(await guesser.PostAsync(login ? "/account/login" : "/connect/token", new FormUrlEncodedContent(form)));
        }

        var another = gateway.CreateClient();
        another.DefaultRequestHeaders.Add(TestRemoteAddress.Header, "10.1.0.5");
        var otherAccount = await another.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["grant_type"] = "password", ["username"] = "xa.ngocson", ["password"] = "doan-mo-1234" }));
        // Guesses from elsewhere never use up the attempts of the account's owner at their own machine.
        var owner = gateway.CreateClient();
        owner.DefaultRequestHeaders.Add(TestRemoteAddress.Header, "10.1.0.2");
        var ownerSignIn = await owner.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["grant_type"] = "password", ["username"] = "pv01.hanoi", ["password"] = "Mat-khau-dung-2026" }));

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var refused = answers[3];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // The login form is read by a person: a Vietnamese page that says when to try again.
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Vui lòng thử lại sau", page);
        Assert.Contains($"{(int)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds} giây", page);
        Assert.Equal(HttpStatusCode.OK, otherAccount.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownerSignIn.StatusCode);
    }

    [Fact]
    public async Task The_login_form_counts_against_the_address_as_password_grants_do()
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Add(TestRemoteAddress.Header, "10.2.0.9");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            // Different accounts each time (password spraying): only the address limit (5) can stop it.
            var form = new Dictionary<string, string> { ["username"] = $"tai.khoan.{i}", ["password"] = "Mat-khau-2026" };
            if (i % 2 == 0) form["grant_type"] = "password";
            answers.Add((await client.PostAsync(i % 2 == 0 ? "/connect/token" : "/account/login", new FormUrlEncodedContent(form))).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests), answers);
    }

    [Fact]
    public async Task Code_exchanges_and_refreshes_are_not_limited_so_the_portal_can_sign_everyone_in()
    {
        var client = gateway.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            var grant = i % 2 == 0 ? "authorization_code" : "refresh_token";
            answers.Add((await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = grant }))).StatusCode);
        }

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task The_form_reaches_the_identity_service_intact_after_the_gateway_read_it()
    {
        var echo = await gateway.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = "xa.a" }));

        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        Assert.Equal("grant_type=password&username=xa.a", (await echo.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("body").GetString());
    }

    [Fact]
    public async Task Writes_are_limited_per_user_and_reads_are_not()
    {
        var first = gateway.CreateClient();
        first.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("xa.a", AntqRoles.CommuneOfficer, "1"));
        var second = gateway.CreateClient();
        second.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("xa.b", AntqRoles.CommuneOfficer, "2"));

        var writes = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++) writes.Add((await first.PutAsync("/api/reports/1/2026-H1", JsonContent.Create(new { }))).StatusCode);
        var reads = await first.GetAsync("/api/reports/1/2026-H1");
        var otherUser = await second.PutAsync("/api/reports/2/2026-H1", JsonContent.Create(new { }));

        Assert.Equal(8, writes.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, writes.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, reads.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
    }

    [Theory]
    [InlineData("/api/reports/1/2026-H1", true)]
    [InlineData("/api/users/me", true)]
    [InlineData("/", false)]
    public async Task Every_answer_carries_security_headers_even_a_refusal(string path, bool api)
    {
        var response = await gateway.CreateClient().GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
        Assert.Equal(api, response.Content.Headers.Contains("Content-Security-Policy") || response.Headers.Contains("Content-Security-Policy"));
    }
}

/// <summary>
/// The in-process server has no client address; a test names one in a header of its own, set before anything else
/// runs, as the connection's address would be.
/// </summary>
sealed class TestRemoteAddress : IStartupFilter
{
    public const string Header = "X-Test-Remote-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[Header].FirstOrDefault() ?? "127.0.0.1");
            return nextMiddleware(context);
        });
        next(app);
    };
}
