using Antq.Testing;
using Antq.Messaging.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Antq.Messaging.IntegrationTests;

/// <summary>A dispatcher with a short safety poll, so that a few polls fit in a short window.</summary>
public sealed class IdleDispatcherFixture() : HostFixture("idle")
{
    protected override void Configure(MessagingHostOptions options) => options.Settings["Outbox:PollInterval"] = "00:00:02";
}

/// <summary>An idle dispatcher does next to nothing: one cheap statement per safety poll, nothing in between.</summary>
public sealed class IdleDispatcherTests(IdleDispatcherFixture fixture, ITestOutputHelper output) : IClassFixture<IdleDispatcherFixture>
{
    static readonly TimeSpan Window = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task An_idle_dispatcher_asks_the_database_once_per_safety_poll()
    {
        var settings = fixture.Host.Services.GetRequiredService<IOptions<OutboxOptions>>().Value;
        await Task.Delay(TimeSpan.FromSeconds(1)); // the start's round and clean-up are behind

        using var counter = new StatementCounter(fixture.Database.Name);
        await Task.Delay(Window);
        var count = counter.Count;
        output.WriteLine($"{count} statements in {Window.TotalSeconds} s:\n{counter.Summary()}");

        // Each safety poll asks when the earliest unsent row is due, and nothing else when none is; a clean-up may fall
        // in the window (two deletes).
        var polls = (int)Math.Ceiling(Window / settings.PollInterval) + 1;
        var cleanups = (int)(Window / settings.CleanupInterval) + 1;
        Assert.True(count <= polls + 2 * cleanups, $"{count} statements in {Window.TotalSeconds} s, more than {polls} polls allow:\n{counter.Summary()}");
        Assert.True(count >= 1, "no statement counted: the safety poll did not run, or the counter sees nothing");
        Assert.All(counter.Statements, s => Assert.Contains("outbox_messages", s.Text));
    }
}
