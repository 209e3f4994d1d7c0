using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Gateway.IntegrationTests;

/// <summary>
/// A sign-in form is a few hundred bytes. Padding one past what the gateway reads must not carry a password guess past
/// the sign-in limits: the gateway refuses it outright (a Vietnamese 413 problem), never forwards it, and counts it.
/// </summary>
public sealed class SignInFormBoundTests : IAsyncLifetime
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
            builder.UseSetting("Gateway:RateLimits:Window", "00:10:00");
            // Above the 64 KiB the gateway once read up to, so the padded forms below would be forwarded if not bounded.
            builder.UseSetting("Gateway:MaxRequestBodyBytes", "1048576");
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, TestRemoteAddress>());
        });
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        foreach (var backend in backends.Values) await backend.DisposeAsync();
    }

    HttpClient From(string address)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Add(TestRemoteAddress.Header, address);
        return client;
    }

    /// <summary>A password guess padded to about 70 KB, as in the report.</summary>
    static FormUrlEncodedContent Padded(bool login, int attempt)
    {
        var form = new Dictionary<string, string> { ["username"] = "admin", ["password"] = "doan-" + attempt, ["padding"] = new string('a', 70_000) };
        if (!login) form["grant_type"] = "password";
        return new FormUrlEncodedContent(form);
    }

    [Fact]
    public async Task A_sign_in_form_padded_past_64_KiB_is_refused_with_a_vietnamese_413_and_counts_toward_the_limit()
    {
        var client = From("10.40.0.1");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 7; i++) answers.Add(await client.PostAsync(i % 2 == 0 ? "/connect/token" : "/account/login", Padded(login: i % 2 == 1, i)));
        // The padded guesses used up the address's attempts: a plain form is refused too.
        var plain = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["grant_type"] = "password", ["username"] = "xa.khac", ["password"] = "doan-mo" }));

        Assert.All(answers.Take(5), a => Assert.Equal(HttpStatusCode.RequestEntityTooLarge, a.StatusCode));
        Assert.All(answers.Skip(5), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, plain.StatusCode);
        var first = answers[0];
        Assert.Equal("application/problem+json", first.Content.Headers.ContentType?.MediaType);
        var problem = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(ProblemDetailsDefaults.TitleFor(413), problem.GetProperty("title").GetString());
        Assert.Contains("đăng nhập", problem.GetProperty("detail").GetString());
        // None reached the Identity service: the stub would have echoed it with 200.
        Assert.DoesNotContain(answers, a => a.StatusCode == HttpStatusCode.OK);

        var elsewhere = await From("10.40.0.2").PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["grant_type"] = "password", ["username"] = "admin", ["password"] = "Mat-khau-2026" }));
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_padded_form_without_a_declared_length_is_refused_and_counted_as_well()
    {
        var client = From("10.40.0.3");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var body = "grant_type=password&username=admin&password=doan-" + i + "&padding=" + new string('a', 70_000);
            // A stream of unknown length: sent chunked, with no Content-Length for the gateway to judge by.
            using var content = new StreamContent(new UnseekableStream(Encoding.ASCII.GetBytes(body)));
            content.Headers.ContentType = new("application/x-www-form-urlencoded");
            statuses.Add((await client.PostAsync("/connect/token", content)).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.RequestEntityTooLarge, 5).Append(HttpStatusCode.TooManyRequests), statuses);
    }

    [Fact]
    public async Task A_real_sign_in_form_still_reaches_the_identity_service_intact()
    {
        var echo = await From("10.40.0.4").PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["username"] = "xa.a", ["password"] = "Mat-khau-2026", ["ReturnUrl"] = "/connect/authorize?client_id=antq-portal" }));

        Assert.Equal(HttpStatusCode.OK, echo.StatusCode);
        Assert.Equal("username=xa.a&password=Mat-khau-2026&ReturnUrl=%2Fconnect%2Fauthorize%3Fclient_id%3Dantq-portal",
            (await echo.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("body").GetString());
    }

    sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
