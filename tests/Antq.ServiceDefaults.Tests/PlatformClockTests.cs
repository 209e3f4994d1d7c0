using Antq.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Antq.ServiceDefaults.Tests;

/// <summary>The platform's clock: shifted or fixed only in local mode and tests, never backwards.</summary>
public sealed class PlatformClockTests
{
    sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    static IConfiguration Settings(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void A_shifted_or_fixed_clock_outside_local_mode_and_tests_stops_the_start()
    {
        var production = new Environment("Production");
        var error = Assert.Throws<InvalidOperationException>(() =>
            PlatformClock.FromConfiguration(Settings(("Clock:Offset", "-1000.00:00:00"), ("ANTQ_MODE", "production")), production));
        Assert.Contains("only in local mode", error.Message);
        Assert.Throws<InvalidOperationException>(() => PlatformClock.FromConfiguration(Settings(("Clock:FixedAt", "2022-05-24T09:00:00+07:00")), production));
        Assert.False(PlatformClock.FromConfiguration(Settings(("ANTQ_MODE", "production")), production).IsAdjusted);
    }

    [Fact]
    public void In_local_mode_the_offset_shifts_and_the_fixed_instant_holds()
    {
        var local = new Environment("Production");
        var shifted = PlatformClock.FromConfiguration(Settings(("Clock:Offset", "-1000.00:00:00"), ("ANTQ_MODE", "local")), local);
        Assert.InRange(shifted.GetUtcNow() - (DateTimeOffset.UtcNow - TimeSpan.FromDays(1000)), TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));

        var at = new DateTimeOffset(2022, 5, 24, 9, 0, 0, TimeSpan.FromHours(7));
        var fixedClock = PlatformClock.FromConfiguration(Settings(("Clock:FixedAt", "2022-05-24T09:00:00+07:00")), new Environment("Testing"));
        Assert.Equal(at, fixedClock.GetUtcNow());
        fixedClock.AdvanceTo(at.AddDays(1));
        Assert.Equal(at.AddDays(1), fixedClock.GetUtcNow());
        fixedClock.AdvanceTo(at); // an instant already passed changes nothing
        Assert.Equal(at.AddDays(1), fixedClock.GetUtcNow());
        Assert.Throws<ArgumentOutOfRangeException>(() => fixedClock.Advance(TimeSpan.FromMinutes(-1)));

        var bad = Assert.Throws<InvalidOperationException>(() => PlatformClock.FromConfiguration(Settings(("Clock:Offset", "yesterday"), ("ANTQ_MODE", "local")), local));
        Assert.Contains("Clock:Offset", bad.Message);
    }
}
