using System.Net;
using System.Text.Json;
using Antq.Identity.Api.Audit;
using Antq.Identity.Api.SignIn;
using Antq.Identity.Api.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Antq.Identity.IntegrationTests;

/// <summary>
/// Wrong passwords are counted per account and client address, atomically: parallel guesses lock exactly at the
/// threshold, and a flood of guesses at an account from elsewhere locks out the flooding addresses, never the owner at
/// their own. The service sits behind a proxy on loopback (as behind the gateway), so the client address is the
/// <c>X-Forwarded-For</c> the proxy sets, believed because loopback is a known proxy.
/// </summary>
public sealed class SignInLockoutTests : IAsyncLifetime
{
    const int Threshold = 5;

    IdentityService identity = null!;
    WebApplicationFactory<Program> behindProxy = null!;

    public async Task InitializeAsync()
    {
        identity = await IdentityService.CreateAsync(settings =>
        {
            settings["Identity:Lockout:MaxFailedLogins"] = Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Identity:Lockout:Duration"] = "00:15:00";
        });
        behindProxy = identity.Factory.WithWebHostBuilder(builder =>
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, LoopbackProxy>()));
    }

    public async Task DisposeAsync()
    {
        await behindProxy.DisposeAsync();
        await identity.DisposeAsync();
    }

    HttpClient From(string address, string? accessToken = null)
    {
        var client = behindProxy.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        if (accessToken is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", accessToken);
        return client;
    }

    async Task<HttpResponseMessage> SignInAsync(string address, string userName, string password)
    {
        using var client = From(address);
        return await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = userName,
            ["password"] = password,
            ["client_id"] = "antq-cli",
        }));
    }

    async Task<List<AuditEntry>> TrailAsync(string subject, string address) =>
        await identity.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Subject == subject && e.Address == address).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task The_fifth_wrong_password_in_a_row_locks_the_address_not_the_sixth()
    {
        var password = await identity.CreateUserAsync("thu.tu");
        var answers = new List<string>();
        for (var i = 0; i < Threshold; i++)
        {
            using var wrong = await SignInAsync("10.10.0.1", "thu.tu", "sai-mat-khau-" + i);
            answers.Add((await wrong.ReadJsonAsync()).Text("error_description"));
        }

        Assert.All(answers.Take(Threshold - 1), a => Assert.Equal(ConnectApi.WrongCredentials, a));
        Assert.Contains("tạm thời bị khoá", answers[^1]);
        using var right = await SignInAsync("10.10.0.1", "thu.tu", password);
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
        Assert.Contains("tạm thời bị khoá", (await right.ReadJsonAsync()).Text("error_description"));
    }

    [Fact]
    public async Task Twenty_wrong_passwords_in_parallel_are_each_counted_and_lock_at_the_threshold()
    {
        var password = await identity.CreateUserAsync("song.song");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var response = await SignInAsync("10.20.0.1", "song.song", "doan-sai-" + i);
            return (response.StatusCode, Description: (await response.ReadJsonAsync()).Text("error_description"));
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.BadRequest, a.StatusCode));
        // A read-modify-write count loses increments under this race: more than four plain refusals and no lockout.
        Assert.Equal(Threshold - 1, answers.Count(a => a.Description == ConnectApi.WrongCredentials));
        var trail = await TrailAsync("song.song", "10.20.0.1");
        Assert.Equal(20, trail.Count);
        Assert.Equal(Threshold - 1, trail.Count(e => e.Action == AuditEntry.LoginFailed));
        Assert.Equal(20 - (Threshold - 1), trail.Count(e => e.Action == AuditEntry.LoginLocked));

        var line = await identity.QueryAsync(db => db.SignInLockouts.AsNoTracking().SingleAsync(l => l.Address == "10.20.0.1"));
        Assert.NotNull(line.LockedUntil);
        Assert.InRange(line.FailedLogins, Threshold, 20);
        using var right = await SignInAsync("10.20.0.1", "song.song", password);
        Assert.Contains("tạm thời bị khoá", (await right.ReadJsonAsync()).Text("error_description"));
    }

    [Fact]
    public async Task A_flood_at_admin_from_elsewhere_locks_out_the_flooders_and_admin_still_signs_in_and_unlocks_them()
    {
        string[] flooders = ["203.0.113.7", "203.0.113.8", "198.51.100.23"];
        await Task.WhenAll(flooders.Select(async address =>
        {
            for (var i = 0; i < Threshold + 1; i++)
            {
                using var guess = await SignInAsync(address, "admin", "doan-mo-" + i);
                Assert.Equal(HttpStatusCode.BadRequest, guess.StatusCode);
            }
        }));

        // The administrator at their own machine is not kept out.
        using var own = await SignInAsync("10.0.5.20", "admin", IdentityService.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var token = (await own.ReadJsonAsync()).Text("access_token");

        // The flooding addresses are, even with the right password.
        using var fromFlooder = await SignInAsync(flooders[0], "admin", IdentityService.AdminPassword);
        Assert.Equal(HttpStatusCode.BadRequest, fromFlooder.StatusCode);
        Assert.Contains("tạm thời bị khoá", (await fromFlooder.ReadJsonAsync()).Text("error_description"));

        // Every attempt is in the trail: four wrong passwords and two lockouts from each flooding address.
        foreach (var address in flooders)
        {
            var trail = await TrailAsync("admin", address);
            Assert.Equal(Threshold - 1, trail.Count(e => e.Action == AuditEntry.LoginFailed));
            Assert.Equal(address == flooders[0] ? 3 : 2, trail.Count(e => e.Action == AuditEntry.LoginLocked));
        }

        // The administrator sees which addresses are locked out, and unlocks them.
        using var admin = From("10.0.5.20", token);
        var profile = await (await admin.GetAsync("/api/users/admin")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.String, profile.GetProperty("lockedUntil").ValueKind);
        var lockouts = profile.GetProperty("lockouts").EnumerateArray().ToList();
        Assert.Equal(flooders.Order(StringComparer.Ordinal), lockouts.Select(l => l.Text("address")));
        Assert.All(lockouts, l => Assert.Equal(JsonValueKind.String, l.GetProperty("lockedUntil").ValueKind));
        var listed = await (await admin.GetAsync("/api/users?search=admin")).ReadJsonAsync();
        Assert.Equal(3, listed.GetProperty("users")[0].GetProperty("lockouts").GetArrayLength());

        using var unlocked = await admin.PostAsync("/api/users/admin/unlock", null);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        var after = await unlocked.ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, after.GetProperty("lockedUntil").ValueKind);
        Assert.Equal(0, after.GetProperty("lockouts").GetArrayLength());
        using var again = await SignInAsync(flooders[0], "admin", IdentityService.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var unlock = Assert.Single(await identity.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .Where(e => e.Subject == "admin" && e.Action == AuditEntry.UserUnlocked).ToListAsync()));
        Assert.Contains("203.0.113.7", unlock.Detail);
    }

    /// <summary>The connection comes from loopback, where the gateway runs; the forwarded header names the client.</summary>
    sealed class LoopbackProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
