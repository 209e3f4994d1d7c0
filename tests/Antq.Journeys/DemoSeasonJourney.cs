using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Demo;
using Antq.EndToEnd;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Antq.Journeys;

/// <summary>
/// The platform of the demo season, with the portal: the clock starts an hour before the season's first moment
/// (10/01/2025). The season is played once, by the first test that asks for it; every test then reads what it left.
/// </summary>
public sealed class DemoPlatform() : JourneyPlatform(DemoSeason.Start.AddHours(-1))
{
    readonly SemaphoreSlim playing = new(1, 1);
    Task<DemoResult>? played;

    protected override bool WithPortal => true;

    public DemoOptions Options => new() { Gateway = new Uri(Address), AdminPassword = AdminPassword };

    /// <summary>What the generator said while it played (shown by each test, so a failure has it beside it).</summary>
    public StringWriter Log { get; } = new();

    /// <summary>The platform's clock as the demo moves it.</summary>
    public IDemoClock DemoClock => new MovedClock(this);

    /// <summary>
    /// As <c>deploy/antq up</c> runs the demo: Notification keeps three years of notices on the demo's clock (its default,
    /// 400 days, would delete the 2025 notices once the clock reaches late 2026), and here its retention runs every few
    /// seconds while the season plays, so that the inboxes checked at the end have lived through it.
    /// </summary>
    protected override void Configure(string service, Dictionary<string, string?> settings)
    {
        if (service != "notification") return;
        settings["Notification:Retention:Period"] = DemoSeason.NoticeRetention.ToString("c");
        settings["Notification:Retention:Interval"] = "00:00:05";
        settings["Notification:Dispatcher:LateAfter"] = DemoSeason.NoticeLateAfter.ToString("c");
    }

    /// <summary>Thanh Hóa's units (both trees and the units below the communes), then the season; once.</summary>
    public async Task<DemoResult> PlayedAsync()
    {
        await playing.WaitAsync();
        try { played ??= PlayAsync(); }
        finally { playing.Release(); }
        return await played;
    }

    /// <summary>The codes of Thanh Hóa's communes in the two-tier tree.</summary>
    public IReadOnlyList<string> Communes { get; private set; } = [];

    async Task<DemoResult> PlayAsync()
    {
        await ImportProvinceAsync("units-2025-06-three-tier.json", DemoSeason.Province, "2020-01-01");
        var twoTier = await ImportProvinceAsync("units-2026-07-two-tier.json", DemoSeason.Province, "2025-07-01");
        Communes = [.. twoTier["Wards"]!.AsArray().Select(w => (string)w!["Code"]!)];
        var below = await File.ReadAllTextAsync(Path.Combine(TestEnvironment.Root, "deploy", "demo", "units-demo.csv"));
        await Season.OkAsync(await Admin.PostAsync("api/org-units/import?effectiveFrom=2025-07-01",
            new StringContent(below, Encoding.UTF8, "text/csv")), "import the units below the communes");
        var result = await new DemoSeason(Options, DemoClock, Log).RunAsync();
        PlayedUntil = Clock.GetUtcNow();
        return result;
    }

    /// <summary>The platform's clock when the season had been played (it runs on from there).</summary>
    public DateTimeOffset PlayedUntil { get; private set; }

    sealed class MovedClock(JourneyPlatform platform) : IDemoClock
    {
        public Task<DateTimeOffset> NowAsync() => Task.FromResult(platform.Clock.GetUtcNow());

        public Task AdvanceToAsync(DateTimeOffset instant)
        {
            platform.Clock.AdvanceTo(instant);
            return Task.CompletedTask;
        }
    }
}

/// <summary>
/// The demo season that <c>deploy/antq up</c> plays (tools/Antq.Demo), played here by the same generator through the
/// gateway of the in-process platform, with Thanh Hóa's real units; then every figure the issue's "done when" names is
/// read back through the API, and a second run adds nothing.
/// </summary>
public sealed partial class DemoSeasonJourney(DemoPlatform platform, Browser browser, ITestOutputHelper output)
    : IClassFixture<DemoPlatform>, IClassFixture<Browser>
{
    const string Province = DemoSeason.Province;

    [Fact]
    public async Task The_demo_season_leaves_Thanh_Hoa_reported_closed_classified_open_for_2026_and_every_account_told()
    {
        var result = await PlayedAsync();
        var communes = platform.Communes;
        var options = platform.Options;
        Assert.False(result.AlreadySeeded);
        Assert.InRange(platform.PlayedUntil - DemoSeason.End, TimeSpan.Zero, TimeSpan.FromMinutes(10));

        var pv01 = platform.Client("pv01.thanhhoa", options.DemoPassword);

        // 2025-Y and 2026-H1 closed with at least 80 % submitted, some late, one returned and resubmitted.
        foreach (var period in new[] { "2025-Y", "2026-H1" })
        {
            var live = (await Season.GetAsync(pv01, $"api/rollups/{Province}/{period}")).GetProperty("completeness");
            Assert.Equal(communes.Count, live.GetProperty("expected").GetInt32());
            Assert.True(live.GetProperty("submitted").GetInt32() >= 0.8 * communes.Count, $"{period}: {live}");
            Assert.True(live.GetProperty("late").GetInt32() > 0, $"{period}: {live}");
            Assert.True(live.GetProperty("missing").GetInt32() > 0, $"{period}: {live}");
            var snapshot = await Season.GetAsync(pv01, $"api/rollups/{Province}/{period}/snapshot");
            Assert.True(snapshot.GetProperty("completeness").GetProperty("missing").GetInt32() > live.GetProperty("missing").GetInt32()); // the late ones came after the close

            var returned = result.Periods.Single(p => p.Period == period).ReturnedAndResubmitted!;
            var (report, _) = await Season.ReportAsync(pv01, returned, period);
            var steps = report.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
            Assert.Contains("returned", steps);
            Assert.True(steps.LastIndexOf("submitted") > steps.IndexOf("returned"), $"{returned} {period}: {string.Join(", ", steps)}");
            Assert.Contains(report.GetProperty("status").GetString(), new[] { "submitted", "accepted" });
        }

        // 2025-H1 in the three-tier tree: the province closed with its districts' reports.
        var h1 = (await Season.GetAsync(pv01, $"api/rollups/{Province}/2025-H1/snapshot")).GetProperty("completeness");
        Assert.True(h1.GetProperty("onTime").GetInt32() >= 0.8 * h1.GetProperty("expected").GetInt32(), h1.ToString());

        // 2026-Y open, between 20 % and 80 % submitted; every commune of Thanh Hóa has its deadline.
        var open = (await Season.GetAsync(pv01, $"api/rollups/{Province}/2026-Y")).GetProperty("completeness");
        var share = (double)open.GetProperty("submitted").GetInt32() / communes.Count;
        Assert.InRange(share, 0.2, 0.8);
        using (var closed = await pv01.GetAsync($"api/rollups/{Province}/2026-Y/snapshot")) Assert.False(closed.IsSuccessStatusCode);
        foreach (var commune in communes)
        {
            var deadline = await Season.GetAsync(platform.Admin, $"api/deadlines/{commune}/2026-Y");
            Assert.Equal(JourneyPlatform.VietnamMidnight("2026-12-15"), deadline.GetProperty("dueAt").GetDateTimeOffset());
        }

        // The 2026 plan has both deadlines and targets, and Hàm Rồng's plan implements it.
        var plans = await Season.GetAsync(pv01, $"api/plans?issuer={Province}&year=2026");
        var plan = plans.GetProperty("plans").EnumerateArray().Single(p => p.GetProperty("number").GetString() == DemoSeason.Plan2026);
        Assert.Equal(2, plan.GetProperty("deadlines").EnumerateObject().Count());
        Assert.True(plan.GetProperty("targets").GetArrayLength() >= 2);
        var hamRong = await Season.GetAsync(platform.Admin, $"api/plans?issuer={DemoSeason.HamRong}&year=2026");
        Assert.Equal(plan.GetProperty("id").GetString(), hamRong.GetProperty("plans")[0].GetProperty("parentPlanId").GetString());

        // 2025 has classes for most communes.
        var summary = await Season.GetAsync(pv01, $"api/classifications/{Province}/2025/summary");
        Assert.True(summary.GetProperty("classified").GetInt32() >= 0.75 * communes.Count, summary.GetProperty("classified").ToString());

        // Every demo account has a notice in its inbox, and mail went out.
        foreach (var account in DemoSeason.Accounts)
        {
            var inbox = await Season.GetAsync(platform.Client(account.Username, options.DemoPassword), "api/notifications");
            Assert.True(inbox.GetArrayLength() > 0, $"the inbox of {account.Username} is empty");
            // The season's clock jumps; a notice due inside a jump is not marked as sent late (DemoSeason.NoticeLateAfter).
            var markedLate = inbox.EnumerateArray().Select(n => n.GetProperty("title").GetString()!).Where(t => t.StartsWith("[Gửi muộn]", StringComparison.Ordinal)).ToList();
            Assert.True(markedLate.Count == 0, $"{account.Username}: {markedLate.Count} notices marked late, e.g. {markedLate.FirstOrDefault()}");
        }

        Assert.Contains("reminder", await KindsAsync("xa.muonglat", options.DemoPassword));
        Assert.Contains("returned", await KindsAsync("xa.hamrong", options.DemoPassword));
        Assert.Contains("periodClosed", await KindsAsync("xem.thanhhoa", options.DemoPassword));
        // E-mail goes out after the notices, through the dispatcher: PV01's closings and digests, Mường Lát's reminder.
        foreach (var account in new[] { "pv01.thanhhoa", "xa.muonglat" })
        {
            await Eventually.UntilAsync(() => platform.Smtp.To($"{account}@{options.MailDomain}").Count > 0,
                TimeSpan.FromSeconds(90), $"mail to {account} (of {platform.Smtp.Messages().Count} sent)");
        }

        // A second run finds the season and adds nothing.
        var users = (await Season.GetAsync(platform.Admin, "api/users")).GetProperty("total").GetInt32();
        var again = await new DemoSeason(options, platform.DemoClock, TextWriter.Null).RunAsync();
        Assert.True(again.AlreadySeeded);
        Assert.Equal(users, (await Season.GetAsync(platform.Admin, "api/users")).GetProperty("total").GetInt32());
        Assert.Single((await Season.GetAsync(pv01, $"api/plans?issuer={Province}&year=2026")).GetProperty("plans").EnumerateArray(),
            p => p.GetProperty("number").GetString() == DemoSeason.Plan2026);
        Assert.Equal(result.Periods.Single(p => p.Period == "2026-Y").Submitted, again.Periods.Single(p => p.Period == "2026-Y").Submitted);
    }

    /// <summary>The season, played by whichever test comes first; its log in this test's output, and what Notification holds when it gave up.</summary>
    async Task<DemoResult> PlayedAsync()
    {
        DemoResult result;
        try
        {
            result = await platform.PlayedAsync();
        }
        catch (DemoException)
        {
            output.WriteLine(platform.Log.ToString());
            await DescribeNotificationAsync();
            throw;
        }

        output.WriteLine(platform.Log.ToString());
        output.WriteLine($"seeded in {result.Elapsed.TotalSeconds:0.0} s: " + string.Join("; ", result.Periods));
        return result;
    }

    /// <summary>What Notification holds of the demo accounts and their units when the demo gave up waiting for an inbox.</summary>
    async Task DescribeNotificationAsync()
    {
        using var scope = platform.Notification.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Antq.Notification.Api.Data.NotificationDbContext>();
        var names = DemoSeason.Accounts.Select(a => a.Username).ToList();
        var units = DemoSeason.Accounts.Select(a => a.Unit).Distinct().ToList();
        foreach (var r in await db.Recipients.AsNoTracking().Where(r => names.Contains(r.UserName)).ToListAsync())
            output.WriteLine($"recipient {r.UserName} {r.Role} {r.OrgUnitCode} active={r.Active} changed={r.ChangedAt:o}");
        var notices = await db.Set<Antq.Notification.Api.Notices.Notice>().AsNoTracking()
            .Where(n => units.Contains(n.OrgUnitCode) || (n.AudienceUnitCode != null && units.Contains(n.AudienceUnitCode)))
            .GroupBy(n => new { n.Kind, n.OrgUnitCode, n.AudienceUnitCode, n.Period, n.Status })
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        foreach (var n in notices) output.WriteLine($"notices {n.Key.Kind} of {n.Key.OrgUnitCode} to {n.Key.AudienceUnitCode} {n.Key.Period} {n.Key.Status}: {n.Count}");
        var items = await db.Set<Antq.Notification.Api.Inbox.InboxItem>().AsNoTracking()
            .Join(db.Recipients.AsNoTracking(), i => i.UserId, r => r.UserId, (i, r) => r.UserName)
            .Where(u => names.Contains(u)).GroupBy(u => u).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        foreach (var i in items) output.WriteLine($"inbox of {i.Key}: {i.Count}");
    }

    async Task<List<string?>> KindsAsync(string username, string password)
    {
        var inbox = await Season.GetAsync(platform.Client(username, password), "api/notifications?limit=500");
        return [.. inbox.EnumerateArray().Select(n => n.GetProperty("kind").GetString())];
    }
}

/// <summary>The demo season is refused anywhere but local mode, by the program itself (the services refuse its clock key too).</summary>
public sealed class DemoModeTests
{
    [Theory]
    [InlineData("production")]
    [InlineData("staging")]
    [InlineData("")]
    [InlineData(null)]
    public void Outside_local_mode_the_demo_season_is_refused_with_a_vietnamese_reason(string? mode)
    {
        Assert.False(DemoMode.Allowed(mode));
        Assert.Contains("chỉ chạy ở chế độ local", DemoMode.Refusal(mode));
    }

    [Fact]
    public void In_local_mode_it_runs() => Assert.True(DemoMode.Allowed("local"));
}
