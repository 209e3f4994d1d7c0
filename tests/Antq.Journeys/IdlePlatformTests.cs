using Antq.Messaging;
using Antq.Notification.Api;
using Antq.Notification.Api.Data;
using Antq.Notification.Api.Notices;
using Antq.Reporting.Api.Closing;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Antq.Journeys;

/// <summary>
/// The open season of <see cref="OpenSeason"/> (Lai Châu, a plan issued, 38 communes with a deadline six weeks ahead and
/// their reminders pending) with the product's own safety polls rather than the journeys' quick ones: the outbox
/// dispatchers, the closing job and Notification's loops each poll at their default intervals.
/// </summary>
public sealed class IdleSeason : OpenSeason
{
    protected override void Configure(string service, Dictionary<string, string?> settings)
    {
        settings["Outbox:PollInterval"] = Interval(new OutboxOptions().PollInterval);
        if (service == "reporting") settings["Closing:PollInterval"] = Interval(new ClosingOptions().PollInterval);
        if (service == "notification") settings["Notification:Dispatcher:PollInterval"] = Interval(new DispatcherSettings().PollInterval);
    }

    static string Interval(TimeSpan interval) => interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Issue 22: an idle platform does next to nothing. With work waiting (deadlines weeks ahead, reminders planned), every
/// service's database is counted for a minute in which nobody calls: only the safety polls may reach them.
/// </summary>
public sealed class IdlePlatformTests(IdleSeason season, ITestOutputHelper output) : IClassFixture<IdleSeason>
{
    /// <summary>A real minute of the product's safety polls (30 s each by default): two or three rounds of every loop.</summary>
    static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task An_idle_platform_asks_its_databases_only_at_the_safety_polls()
    {
        // Work that waits: the season's reminders, planned weeks ahead of the deadline.
        await Eventually.UntilAsync(async () => await season.InAsync<Antq.Notification.Api.Data.NotificationDbContext, int>(season.Notification,
            db => db.Set<Notice>().CountAsync(n => n.Status == NoticeStatuses.Pending)) > 0, TimeSpan.FromSeconds(90), "the season's reminders planned");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the rounds the season's last commits woke are over

        var counters = season.Hosts.ToDictionary(h => h.Key, h => new StatementCounter(h.Value.Database));
        try
        {
            await Task.Delay(Window);
        }
        finally
        {
            foreach (var counter in counters.Values) counter.Dispose();
        }

        var bounds = season.Hosts.ToDictionary(h => h.Key, h => Bound(h.Key, h.Value.Services));
        foreach (var (service, counter) in counters.OrderBy(c => c.Key, StringComparer.Ordinal))
            output.WriteLine($"{service}: {counter.Count} statements in {Window.TotalSeconds} s (the safety polls allow {bounds[service]})\n{counter.Summary()}");
        output.WriteLine($"platform: {counters.Values.Sum(c => c.Count)} statements in {Window.TotalSeconds} s (allowed {bounds.Values.Sum()})");

        foreach (var (service, counter) in counters)
        {
            Assert.True(counter.Count <= bounds[service],
                $"{service}: {counter.Count} statements in {Window.TotalSeconds} s; its safety polls allow {bounds[service]}:\n{counter.Summary()}");
            Assert.All(counter.Statements, s => Assert.True(StatementCounter.IsSafetyPoll(s.Text), $"{service}: not a safety poll: {s.Text}"));
        }

        // The counters see the polls (a counter that saw nothing would pass every bound).
        Assert.All(counters, c => Assert.True(c.Value.Count > 0, $"{c.Key}: no statement counted; its outbox poll did not run, or the counter sees nothing"));
    }

    /// <summary>
    /// What a service's safety polls send in <see cref="Window"/>, from its own settings: one look at the outbox per
    /// poll and two statements per clean-up (in every service); one look for due closings per poll (Reporting); each of
    /// Notification's loops asks when its earliest work is due, and the first also looks for stale schedules, per poll.
    /// A poll may fall at both ends of the window, hence the one more.
    /// </summary>
    static int Bound(string service, IServiceProvider services)
    {
        static int Polls(TimeSpan interval) => (int)Math.Ceiling(Window / interval) + 1;

        var outbox = services.GetRequiredService<IOptions<OutboxOptions>>().Value;
        var bound = Polls(outbox.PollInterval) + 2 * ((int)(Window / outbox.CleanupInterval) + 1);
        if (service == "reporting") bound += Polls(services.GetRequiredService<IOptions<ClosingOptions>>().Value.PollInterval);
        if (service == "notification")
        {
            var dispatcher = services.GetRequiredService<IOptions<NotificationOptions>>().Value.Dispatcher;
            bound += Polls(dispatcher.PollInterval) * (dispatcher.Parallelism + 1);
        }

        return bound;
    }
}
