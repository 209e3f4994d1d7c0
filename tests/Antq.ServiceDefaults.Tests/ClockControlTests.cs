using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Antq.ServiceDefaults.Tests;

/// <summary>
/// The clock a demo season moves (<c>/local/clock</c>): only with the key <c>Clock:ControlKey</c>, which the start
/// refuses outside local mode and tests; forward only.
/// </summary>
public sealed class ClockControlTests
{
    const string Key = "0123456789abcdef-demo-key";

    static async Task<WebApplication> StartAsync(string environment, params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration["Auth:SigningKeyPem"] = TestTokens.PublicKeyPem;
        foreach (var (key, value) in settings) builder.Configuration[key] = value;
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task Outside_local_mode_a_clock_key_stops_the_start_and_without_a_key_there_is_no_clock_endpoint()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartAsync(Environments.Production, ("ANTQ_MODE", "production"), (ClockControl.KeySetting, Key)));
        Assert.Contains("only in", error.Message);
        Assert.Contains(ClockControl.KeySetting, error.Message);

        await using var app = await StartAsync(Environments.Production, ("ANTQ_MODE", "local"));
        using var response = await app.GetTestClient().GetAsync(ClockControl.Path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task In_local_mode_the_key_moves_the_clock_forward_and_never_back()
    {
        var start = new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.FromHours(7));
        await using var app = await StartAsync(Environments.Production, ("ANTQ_MODE", "local"), (ClockControl.KeySetting, Key),
            ("Clock:Offset", (start - DateTimeOffset.UtcNow).ToString("c")));
        var client = app.GetTestClient();

        using (var refused = await client.PostAsJsonAsync(ClockControl.Path, new { to = start.AddDays(30) }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("khóa điều khiển đồng hồ", await refused.Content.ReadAsStringAsync());
        }

        client.DefaultRequestHeaders.Add(ClockControl.KeyHeader, Key);
        var target = start.AddDays(30);
        using (var moved = await client.PostAsJsonAsync(ClockControl.Path, new { to = target }))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            var now = (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("now").GetDateTimeOffset();
            Assert.InRange(now - target, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }

        var clock = app.Services.GetRequiredService<PlatformClock>();
        Assert.InRange(clock.GetUtcNow() - target, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        using (var back = await client.PostAsJsonAsync(ClockControl.Path, new { to = start }))
        {
            Assert.Equal(HttpStatusCode.Conflict, back.StatusCode);
            Assert.Contains("không lùi lại", await back.Content.ReadAsStringAsync());
        }

        Assert.True(clock.GetUtcNow() >= target);
    }

    [Fact]
    public async Task A_job_waiting_for_its_next_poll_wakes_when_the_clock_is_moved()
    {
        var clock = new PlatformClock(TimeSpan.FromDays(-100));
        var waiting = PlatformClock.DelayOrMovedAsync(clock, TimeSpan.FromMinutes(5), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromDays(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
