using System.Net;
using System.Text;
using Antq.Portal.Auth;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Antq.Portal.Tests;

/// <summary>
/// The portal keeps a session going on the Identity service's 15-minute access tokens: it refreshes before expiry,
/// redeems each refresh token once (the service rolls them), and a page load that starts from the session's older set
/// follows the refreshes an open page made since.
/// </summary>
public sealed class TokenRefresherTests
{
    static readonly TimeSpan AccessLifetime = TimeSpan.FromMinutes(15);
    readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.FromHours(7)));
    readonly RollingIdentity identity;
    readonly TokenRefresher refresher;

    public TokenRefresherTests()
    {
        identity = new RollingIdentity(AccessLifetime);
        refresher = new TokenRefresher(new Clients(identity), new MemoryCache(new MemoryCacheOptions()), clock, NullLogger<TokenRefresher>.Instance);
    }

    TokenSet SignedIn() => new("a0", "r0", clock.GetUtcNow() + AccessLifetime, "id0");

    [Fact]
    public async Task A_token_still_valid_for_more_than_a_minute_is_used_as_it_is()
    {
        var tokens = SignedIn();
        clock.Advance(TimeSpan.FromMinutes(13));

        Assert.Same(tokens, await refresher.EnsureFreshAsync(tokens, CancellationToken.None));
        Assert.Equal(0, identity.Redeemed);
    }

    [Fact]
    public async Task A_token_about_to_expire_is_refreshed_with_the_refresh_token_once()
    {
        var tokens = SignedIn();
        clock.Advance(TimeSpan.FromMinutes(14.5));

        var fresh = await refresher.EnsureFreshAsync(tokens, CancellationToken.None);
        var again = await refresher.EnsureFreshAsync(tokens, CancellationToken.None); // a second caller with the old set

        Assert.Equal("a1", fresh!.AccessToken);
        Assert.Equal(clock.GetUtcNow() + AccessLifetime, fresh.ExpiresAt);
        Assert.Equal("a1", again!.AccessToken);
        Assert.Equal(1, identity.Redeemed);
    }

    [Fact]
    public async Task A_page_open_for_a_working_day_on_fifteen_minute_tokens_keeps_the_session_on_the_next_page_load()
    {
        var session = SignedIn(); // what the session cookie holds: only page loads renew it
        var circuit = session;    // what the open page holds: refreshed as the officer works
        for (var minute = 0; minute < 8 * 60; minute += 5)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            circuit = await refresher.EnsureFreshAsync(circuit, CancellationToken.None) ?? throw new InvalidOperationException($"the page lost its session after {minute} minutes");
        }

        var onReload = await refresher.EnsureFreshAsync(session, CancellationToken.None);

        Assert.True(identity.Redeemed >= 30, $"only {identity.Redeemed} refreshes in a working day");
        Assert.NotNull(onReload);
        Assert.Equal(circuit.AccessToken, onReload.AccessToken);
        Assert.Equal(0, identity.Reused);
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session()
    {
        var tokens = SignedIn();
        identity.Refuse = true; // the account was disabled: its refresh tokens are revoked
        clock.Advance(AccessLifetime);

        Assert.Null(await refresher.EnsureFreshAsync(tokens, CancellationToken.None));
    }

    /// <summary>The token endpoint as the Identity service runs it: each refresh token is redeemed once and replaced.</summary>
    sealed class RollingIdentity(TimeSpan lifetime) : HttpMessageHandler
    {
        readonly HashSet<string> used = [];

        public int Redeemed { get; private set; }

        public int Reused { get; private set; }

        public bool Refuse { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var form = (await request.Content!.ReadAsStringAsync(cancellationToken)).Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            var refresh = form["refresh_token"];
            if (Refuse || !used.Add(refresh))
            {
                if (!Refuse) Reused++;
                return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("""{"error":"invalid_grant"}""", Encoding.UTF8, "application/json") };
            }

            var n = ++Redeemed;
            var body = $$"""{"access_token":"a{{n}}","refresh_token":"r{{n}}","expires_in":{{(int)lifetime.TotalSeconds}},"id_token":"id{{n}}"}""";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
    }

    sealed class Clients(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { BaseAddress = new Uri("http://127.0.0.1:8080/") };
    }
}
