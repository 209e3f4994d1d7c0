using System.Collections.Concurrent;
using System.Diagnostics;
using Antq.Testing.Load;

namespace Antq.Testing.Faults;

/// <summary>
/// Communes submit at a steady rate through the gateway while the platform is hurt: RabbitMQ is stopped and started,
/// PostgreSQL is restarted, and every process (each service and the gateway) in turn is killed with SIGKILL and started
/// again. Clients retry as a person would (<see cref="ReportClient"/>). Afterwards the run checks, against its own tally
/// and the generator's values: every submission that was answered 2xx is submitted; each province's roll-up counts
/// exactly the submitted reports, once each, with exactly their values; the province was told of each submission exactly
/// once (one notice, one inbox item per officer, one e-mail per address, none missing and none twice); every service's
/// outbox and every <c>_error</c> queue is empty; every copy (docs/copies.md) equals its source. The long schedule
/// (<see cref="LongSchedule"/>) adds outages of one service's database, crashes of both servers and deadlines passing
/// inside outages, each checked to have closed once with its notices sent once.
/// </summary>
public static class FaultRun
{
    const string Password = "Mat-khau-Su-co-2026";
    static readonly string[] CheckedIndicators = ["CONF_BRIEFINGS", "TIPS_TOTAL", "HOTSPOTS"];

    /// <summary>The period whose deadline a long run makes pass inside outages (at units the load does not submit for).</summary>
    public const string DeadlinePeriod = "2027-H1";

    /// <summary>The year of the plans a long run issues, and their issue date: before the deadlines they set, which are today.</summary>
    const int PlanYear = 2027;

    static string PlanIssuedOn => DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Seconds the long schedule takes with these options, from the first fault to the last (the load is spread over
    /// it): five outages, the gaps between the steps, two server crashes and six process kills, and the preparation of
    /// the deadlines that pass inside outages.
    /// </summary>
    public static double PlannedSeconds(FaultRunOptions options)
    {
        var outage = (options.Outage ?? options.Down).TotalSeconds;
        return 5 * outage + 15 * options.Between.TotalSeconds + 2 * 20 + PlatformProcesses.Services.Count * (options.Down.TotalSeconds + 10) + 3 * DeadlineLead.TotalSeconds;
    }

    /// <summary>Time for a new deadline to reach Reporting and Notification before the outage it must fall in begins.</summary>
    static readonly TimeSpan DeadlineLead = TimeSpan.FromSeconds(30);

    public static async Task<FaultRunResult> RunAsync(FaultRunOptions options, CancellationToken ct = default)
    {
        var result = new FaultRunResult();
        var log = options.Log;
        await using var smtp = await SmtpSink.StartAsync();
        await using var platform = await PlatformProcesses.StartAsync(new PlatformOptions
        {
            Label = "faults",
            SmtpPort = smtp.Port,
            Settings = new()
            {
                // One administrator submits for every commune here; the per-user write and sign-in limits are for people.
                ["gateway"] = new() { ["Gateway:RateLimits:WritePermits"] = "1000000", ["Gateway:RateLimits:TokenPermitsPerUser"] = "10000" },
                // Retries of e-mail that failed while PostgreSQL or a process was down come back quickly.
                // The province hears of submissions by e-mail as digests; the shortest window keeps the run short.
                ["notification"] = new()
                {
                    ["Notification:Dispatcher:FirstRetryDelay"] = "00:00:02", ["Notification:Dispatcher:MaxRetryDelay"] = "00:00:10",
                    ["Notification:Digest:Window"] = "00:01:00",
                    // Overdue notices go at their exact offset whatever the hour: the run checks that they are sent once,
                    // and it runs at any time of day, so the working hour and the night's quiet hours are off here.
                    ["Notification:Reminders:RemindAt"] = "", ["Notification:Reminders:QuietHours"] = "",
                },
                // A deadline that passes inside an outage is looked for every few seconds once the service can look.
                ["reporting"] = new() { ["Closing:PollInterval"] = "00:00:02" },
            },
        }, ct);
        log($"platform up, logs in {platform.LogDirectory}");
        using var api = new PlatformApi(platform);

        var communes = Country.Shuffled(Country.TwoTier());
        await api.ImportUnitsAsync(Country.TwoTierFile, "2025-07-01", ct);
        var provinces = communes.Select(c => c.Province).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var province in provinces)
        {
            await api.CreateUserAsync($"pv01.{province}", Password, "ProvinceOfficer", province, ct);
            await api.SetContactPointAsync(province, [$"pv01.{province}@congan.example.vn"], ct);
        }

        var largest = communes.GroupBy(c => c.Province).OrderByDescending(g => g.Count()).First();
        await api.WaitForReportingTreeAsync(largest.Key, options.Period, largest.Count());
        await Eventually.UntilAsync(async () => await Sql.ScalarAsync<long>(platform.ConnectionStringOf("notification"),
            "SELECT count(*) FROM recipients") >= provinces.Count, TimeSpan.FromMinutes(1), "Notification learns the province officers");
        log($"units, users and contact points loaded; {communes.Count} communes in {provinces.Count} provinces");

        var factory = new FullReport();
        var seeds = communes.Select((c, i) => (c, i)).ToDictionary(x => x.c.Code, x => x.i);
        var periods = options.LoadPeriods is { Count: > 0 } listed ? listed.ToList() : [options.Period];
        result.Periods.AddRange(periods);
        // Every commune for the first period, then every commune for the next.
        var work = periods.SelectMany(p => communes.Select(c => (Commune: c, Period: p))).ToList();
        var outcomes = new ConcurrentDictionary<(string Code, string Period), SubmitOutcome>();
        using var http = new HttpClient { BaseAddress = new Uri(platform.Gateway), Timeout = TimeSpan.FromSeconds(20) };
        var client = new ReportClient(http, platform.AdminTokenAsync) { Patience = options.Patience };
        var clock = Stopwatch.StartNew();

        // The fault schedule.
        var notificationKills = new List<DateTime>();
        var deadlines = new List<DeadlineCase>();
        var steps = options.Outage is { } outage
            ? LongSchedule(platform, api, client, factory, seeds, communes, provinces, options, outage, notificationKills, deadlines, result, log, ct)
            : ShortSchedule(platform, options, notificationKills, ct);
        var rate = options.SubmissionsPerSecond;
        if (options.Outage is not null) rate = Math.Min(rate, Math.Round(work.Count / PlannedSeconds(options), 2));
        result.RatePerSecond = rate;
        log($"{steps.Count} faults planned; {rate}/s submissions for {string.Join(", ", periods)}");

        using var stopLoad = new CancellationTokenSource();
        var next = -1;
        var load = OpenLoop.RunAsync(rate, TimeSpan.FromHours(12), async _ =>
        {
            var i = Interlocked.Increment(ref next);
            if (i >= work.Count) return true;
            var (commune, period) = work[i];
            var outcome = await client.SubmitAsync(commune.Code, period, factory.Body(period, seeds[commune.Code]), ct: CancellationToken.None);
            outcomes[(commune.Code, period)] = outcome;
            return outcome != SubmitOutcome.Failed;
        }, drain: options.Patience + TimeSpan.FromMinutes(1), ct: stopLoad.Token);

        try
        {
            await Task.Delay(options.Between, ct);
            foreach (var (name, act, prepare) in steps)
            {
                // What a fault needs set up first (a deadline that must pass inside it) is not part of its time.
                if (prepare is not null) await prepare();
                var at = clock.Elapsed;
                log($"{at.TotalSeconds:F0} s: {name}");
                await act();
                result.Faults.Add($"{name} at {at.TotalSeconds:F0} s (back after {(clock.Elapsed - at).TotalSeconds:F0} s)");
                await Task.Delay(options.Between, ct);
            }
        }
        finally
        {
            stopLoad.Cancel();
            try { await load; } catch (OperationCanceledException) { }
            // Whatever the schedule did, leave the servers running for whoever comes next, and every database open.
            await LocalServers.StartBrokerAsync();
            await LocalServers.StartPostgresAsync();
            if (options.Outage is not null)
            {
                foreach (var service in PlatformProcesses.Services.Where(s => s.Database is not null))
                    await SetConnectionsAllowedAsync(platform.DatabaseOf(service.Name), true);
            }
        }

        result.Started = Math.Min(next + 1, work.Count);
        result.Submitted = outcomes.Values.Count(o => o == SubmitOutcome.Submitted);
        result.FoundSubmitted = outcomes.Values.Count(o => o == SubmitOutcome.FoundSubmitted);
        result.Failed = outcomes.Values.Count(o => o == SubmitOutcome.Failed) + (result.Started - outcomes.Count);
        result.Retries = client.Retries;
        log($"load stopped at {clock.Elapsed.TotalSeconds:F0} s: {result.Submitted} 2xx, {result.FoundSubmitted} found submitted, {result.Failed} given up");

        await CheckAsync(platform, api, client, smtp, options, work.Take(result.Started).ToList(), outcomes, factory, seeds, provinces, notificationKills, deadlines, result, log, ct);
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>The short schedule: <see cref="FaultRunOptions.Rounds"/> of RabbitMQ stopped, PostgreSQL stopped, each process SIGKILLed, each <see cref="FaultRunOptions.Down"/>.</summary>
    static List<FaultStep> ShortSchedule(PlatformProcesses platform, FaultRunOptions options, List<DateTime> notificationKills, CancellationToken ct)
    {
        var steps = new List<FaultStep>();
        for (var round = 0; round < options.Rounds; round++)
        {
            steps.Add(new("RabbitMQ stopped and started", async () =>
            {
                await LocalServers.StopBrokerAsync();
                await Task.Delay(options.Down, ct);
                await LocalServers.StartBrokerAsync();
            }));
            steps.Add(new("PostgreSQL stopped and started", async () =>
            {
                await LocalServers.StopPostgresAsync();
                await Task.Delay(options.Down, ct);
                await LocalServers.StartPostgresAsync();
            }));
            AddKills(steps, platform, options, notificationKills, null, ct);
        }

        return steps;
    }

    static void AddKills(List<FaultStep> steps, PlatformProcesses platform, FaultRunOptions options, List<DateTime> notificationKills,
        Func<string, Task<DeadlineCase?>>? deadlineBefore, CancellationToken ct)
    {
        foreach (var (service, _, _) in PlatformProcesses.Services)
        {
            DeadlineCase? deadline = null;
            steps.Add(new($"{service} killed (SIGKILL) and started", async () =>
            {
                if (service == "notification") notificationKills.Add(DateTime.UtcNow);
                platform.Kill(service);
                await Task.Delay(options.Down, ct);
                await platform.StartServiceAsync(service, ct);
                deadline?.Ended(DateTimeOffset.UtcNow);
            }, deadlineBefore is null ? null : async () => deadline = await deadlineBefore(service)));
        }
    }

    /// <summary>
    /// The long schedule (<c>deploy/antq bench --faults MINUTES</c>; docs/benchmarks.md), every outage
    /// <paramref name="outage"/> long: the databases of Notification, then Classification, then Plan refuse connections
    /// (<c>ALLOW_CONNECTIONS false</c>, theirs terminated) while everything else runs, and a plan is issued for the first
    /// two meanwhile, so that their consumers receive deadlines and plans they cannot store yet; the whole PostgreSQL
    /// server stopped; RabbitMQ stopped; PostgreSQL's postmaster and RabbitMQ's node killed with SIGKILL and started again
    /// at once; each process killed in turn. A province's deadline for <see cref="DeadlinePeriod"/> passes in the middle
    /// of the PostgreSQL outage, of the RabbitMQ outage and of the Reporting kill.
    /// </summary>
    public static List<FaultStep> LongSchedule(PlatformProcesses platform, PlatformApi api, ReportClient client, FullReport factory,
        Dictionary<string, int> seeds, IReadOnlyList<Commune> communes, IReadOnlyList<string> provinces, FaultRunOptions options, TimeSpan outage,
        List<DateTime> notificationKills, List<DeadlineCase> deadlines, FaultRunResult result, Action<string> log, CancellationToken ct)
    {
        var steps = new List<FaultStep>();
        // Provinces of their own: the deadline cases, then the plans issued during the database outages.
        var deadlineProvinces = new Queue<string>(provinces.Take(3));
        var planProvinces = new Queue<string>(provinces.Skip(3).Take(2));

        async Task<DeadlineCase?> DeadlineAsync(string fault, TimeSpan lead)
        {
            var province = deadlineProvinces.Dequeue();
            var mine = communes.Where(c => c.Province == province).Select(c => c.Code).Order(StringComparer.Ordinal).ToList();
            // Two communes report before the deadline; the others are overdue when it passes.
            var early = mine.Take(2).ToList();
            foreach (var code in early)
            {
                if (await client.SubmitAsync(code, DeadlinePeriod, factory.Body(DeadlinePeriod, seeds[code]), ct: ct) == SubmitOutcome.Failed)
                    result.Problems.Add($"{code} could not submit {DeadlinePeriod} before its deadline");
            }

            var now = DateTimeOffset.UtcNow;
            var due = DateTimeOffset.FromUnixTimeSeconds((now + DeadlineLead + lead).ToUnixTimeSeconds() + 1);
            var dueText = due.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
            await api.IssuePlanAsync(province, PlanYear, $"{province}/KH-SC-{deadlines.Count + 1}", new Dictionary<string, string> { [DeadlinePeriod] = dueText }, ["PT1S"], ct, PlanIssuedOn);
            var dueSql = $"'{due.UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'";
            var codes = string.Join(",", mine.Select(c => $"'{c}'"));
            var known = await Eventually.TryAsync(async () =>
                await Sql.ScalarAsync<long>(platform.ConnectionStringOf("reporting"),
                    $"SELECT count(*) FROM unit_deadlines WHERE period = '{DeadlinePeriod}' AND due_at = {dueSql} AND org_unit_code IN ({codes})", ct) >= mine.Count
                && await Sql.ScalarAsync<long>(platform.ConnectionStringOf("notification"),
                    $"SELECT count(*) FROM unit_schedules WHERE period = '{DeadlinePeriod}' AND deadline_at = {dueSql} AND org_unit_code IN ({codes})", ct) >= mine.Count,
                due - lead - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1), ct);
            if (!known) result.Problems.Add($"the deadline of {province} for {DeadlinePeriod} ({dueText}) was not known to Reporting and Notification before the {fault}");
            var wait = due - lead - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
            var deadline = new DeadlineCase(province, fault, due, mine, early);
            lock (deadlines) deadlines.Add(deadline);
            log($"  {DeadlinePeriod} deadline of {province} ({mine.Count} communes, {early.Count} reported) at {due:HH:mm:ss} UTC, inside the {fault}");
            return deadline;
        }

        // A plan issued while a consumer's database is away: its deadlines and policy wait in that consumer's queue.
        async Task IssuePlanDuringAsync(string service)
        {
            var province = planProvinces.Dequeue();
            await api.IssuePlanAsync(province, PlanYear, $"{province}/KH-CSDL-{service}", new Dictionary<string, string> { [DeadlinePeriod] = "2027-06-15" }, null, ct, PlanIssuedOn);
            log($"  plan of {province} for {PlanYear} issued while {service}'s database is away");
        }

        foreach (var service in new[] { "notification", "classification", "plan" })
        {
            steps.Add(new($"{service}'s database refused connections for {outage.TotalSeconds:F0} s", async () =>
            {
                var database = platform.DatabaseOf(service);
                var until = DateTime.UtcNow + outage;
                await SetConnectionsAllowedAsync(database, false);
                try
                {
                    if (service != "plan") await IssuePlanDuringAsync(service);
                    var left = until - DateTime.UtcNow;
                    if (left > TimeSpan.Zero) await Task.Delay(left, ct);
                }
                finally
                {
                    await SetConnectionsAllowedAsync(database, true);
                }
            }));
        }

        DeadlineCase? inPostgresOutage = null, inBrokerOutage = null;
        steps.Add(new($"PostgreSQL stopped for {outage.TotalSeconds:F0} s", async () =>
        {
            await LocalServers.StopPostgresAsync();
            await Task.Delay(outage, ct);
            await LocalServers.StartPostgresAsync();
            inPostgresOutage?.Ended(DateTimeOffset.UtcNow);
        }, async () => inPostgresOutage = await DeadlineAsync("PostgreSQL outage", outage / 2)));
        steps.Add(new($"RabbitMQ stopped for {outage.TotalSeconds:F0} s", async () =>
        {
            await LocalServers.StopBrokerAsync();
            await Task.Delay(outage, ct);
            await LocalServers.StartBrokerAsync();
            inBrokerOutage?.Ended(DateTimeOffset.UtcNow);
        }, async () => inBrokerOutage = await DeadlineAsync("RabbitMQ outage", outage / 2)));
        steps.Add(new("PostgreSQL's postmaster killed (SIGKILL) and started", async () =>
        {
            await LocalServers.KillPostgresAsync();
            await LocalServers.StartPostgresAsync();
        }));
        steps.Add(new("RabbitMQ's node killed (SIGKILL) and started", async () =>
        {
            await LocalServers.KillBrokerAsync();
            await LocalServers.StartBrokerAsync();
        }));
        AddKills(steps, platform, options, notificationKills,
            service => service == "reporting" ? DeadlineAsync("Reporting kill", options.Down / 2) : Task.FromResult<DeadlineCase?>(null), ct);
        return steps;
    }

    /// <summary>
    /// One service's database refuses connections, as when its own server is down while the rest of the platform runs
    /// (<c>ALLOW_CONNECTIONS false</c>, and its open connections terminated), or accepts them again.
    /// </summary>
    public static async Task SetConnectionsAllowedAsync(string database, bool allowed)
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestEnvironment.PostgresAdmin + ";Pooling=false");
        await connection.OpenAsync();
        await using (var alter = new Npgsql.NpgsqlCommand($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", connection))
            await alter.ExecuteNonQueryAsync();
        if (allowed) return;
        await using var terminate = new Npgsql.NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name", connection);
        terminate.Parameters.AddWithValue("name", database);
        await terminate.ExecuteScalarAsync();
    }

    /// <summary>
    /// Whether the copies of one e-mail that an SMTP server accepted are the one repeat a kill of the sender allows: two
    /// copies with the same Message-ID, the first accepted before a kill (within the half second that file times and
    /// the clock may differ by) and the second after it.
    /// </summary>
    public static bool IsRepeatAcrossKill(IReadOnlyList<(string? MessageId, DateTime AcceptedAt)> copies, IReadOnlyList<DateTime> kills)
    {
        if (copies.Count != 2 || copies[0].MessageId is null || copies[0].MessageId != copies[1].MessageId) return false;
        var first = copies.Min(c => c.AcceptedAt);
        var second = copies.Max(c => c.AcceptedAt);
        return kills.Any(kill => first <= kill.AddMilliseconds(500) && second > kill);
    }

    static async Task CheckAsync(PlatformProcesses platform, PlatformApi api, ReportClient client, SmtpSink smtp, FaultRunOptions options,
        List<(Commune Commune, string Period)> attempted, ConcurrentDictionary<(string Code, string Period), SubmitOutcome> outcomes, FullReport factory,
        Dictionary<string, int> seeds, List<string> provinces, IReadOnlyList<DateTime> notificationKills, IReadOnlyList<DeadlineCase> deadlines,
        FaultRunResult result, Action<string> log, CancellationToken ct)
    {
        var inPeriods = string.Join(", ", result.Periods.Select(p => $"'{p}'"));
        // Quiet: every outbox empty, every notice and delivery done (retries after the faults included), every period
        // whose deadline passed inside an outage closed and its notices sent.
        var services = PlatformProcesses.Services.Where(s => s.Database is not null).Select(s => s.Name).ToList();
        var notificationDb = platform.ConnectionStringOf("notification");
        var reportingDb = platform.ConnectionStringOf("reporting");
        async Task<string?> Busy()
        {
            foreach (var service in services)
            {
                var unsent = await Sql.ScalarAsync<long>(platform.ConnectionStringOf(service), "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", ct);
                if (unsent > 0) return $"{unsent} unsent outbox messages in {service}";
            }

            if (await NoticesBusyAsync(notificationDb, result.Periods, ct) is { } notifying) return notifying;
            foreach (var deadline in deadlines)
            {
                if (await Sql.ScalarAsync<long>(reportingDb, $"SELECT count(*) FROM period_closings WHERE org_unit_code = '{deadline.Unit}' AND period = '{DeadlinePeriod}'", ct) == 0)
                    return $"{DeadlinePeriod} not closed yet at {deadline.Unit}";
                if (await Sql.ScalarAsync<long>(notificationDb, $"SELECT count(*) FROM notices WHERE kind = 'periodClosed' AND status = 'sent' AND org_unit_code = '{deadline.Unit}' AND period = '{DeadlinePeriod}'", ct) == 0)
                    return $"the closing of {DeadlinePeriod} at {deadline.Unit} not notified yet";
            }

            var due = await Sql.ScalarAsync<long>(notificationDb, $"SELECT count(*) FROM notices WHERE period = '{DeadlinePeriod}' AND status = 'pending' AND due_at <= now()", ct);
            return due > 0 ? $"{due} notices of {DeadlinePeriod} due and not sent yet" : null;
        }

        string? busy = "not checked";
        var quietBy = DateTime.UtcNow.AddMinutes(options.Outage is null ? 3 : 5);
        while (DateTime.UtcNow < quietBy && (busy = await Busy()) is not null) await Task.Delay(1000, ct);
        if (busy is not null) result.Problems.Add($"never quiet after the load: {busy}");
        var quietAt = DateTime.UtcNow;

        // The authoritative state of every submission that was attempted.
        var submitted = new HashSet<(string Code, string Period)>();
        await Parallel.ForEachAsync(attempted, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (item, token) =>
        {
            var status = await client.StatusAsync(item.Commune.Code, item.Period, token);
            if (status is "submitted" or "accepted") lock (submitted) submitted.Add((item.Commune.Code, item.Period));
        });
        result.SubmittedInDatabase = submitted.Count;
        foreach (var (key, outcome) in outcomes)
        {
            if (outcome != SubmitOutcome.Failed && !submitted.Contains(key))
                result.Problems.Add($"{key.Code} was answered as submitted for {key.Period} ({outcome}) but its report is not submitted");
        }

        // Each province's roll-up of each period: exactly the submitted reports, each once, with exactly their values.
        foreach (var period in attempted.Select(a => a.Period).Distinct())
        {
            foreach (var province in provinces)
            {
                var mine = attempted.Where(a => a.Period == period && a.Commune.Province == province && submitted.Contains((a.Commune.Code, period))).Select(a => a.Commune).ToList();
                foreach (var indicator in CheckedIndicators)
                {
                    var rollup = await api.RollupAsync(province, period, indicator, ct);
                    var expected = mine.Sum(c => factory.Values(period, seeds[c.Code])[indicator]);
                    if (rollup.Reports != mine.Count || rollup.Sum != expected)
                        result.Problems.Add($"province {province} {period} {indicator}: roll-up has {rollup.Reports} reports summing to {rollup.Sum}, the submitted reports are {mine.Count} summing to {expected}");
                    if (indicator == CheckedIndicators[0] && rollup.Submitted != mine.Count)
                        result.Problems.Add($"province {province} {period}: completeness says {rollup.Submitted} submitted, {mine.Count} are");
                }
            }
        }

        var notices = await CheckNoticesAsync(notificationDb, submitted, result.Periods, smtp.Received(), notificationKills, ct);
        (result.NoticesSubmitted, result.EmailsReceived, result.EmailDuplicates, result.EmailsRepeatedAcrossKill) =
            (notices.NoticesSubmitted, notices.EmailsReceived, notices.EmailDuplicates, notices.EmailsRepeatedAcrossKill);
        result.Problems.AddRange(notices.Problems);

        await CheckDeadlinesAsync(platform, deadlines, result, ct);
        await CheckCopiesAsync(platform, result, log, ct);
        await CheckOutboxesAndErrorQueuesAsync(platform, services, quietAt, result, ct);
        log($"checked: {result}");
    }

    /// <summary>Notification's work for <paramref name="periods"/> not done yet ('submitted' notices, open digests, deliveries), or null.</summary>
    public static async Task<string?> NoticesBusyAsync(string notificationDb, IEnumerable<string> periods, CancellationToken ct = default)
    {
        var inPeriods = string.Join(", ", periods.Select(p => $"'{p}'"));
        var pending = await Sql.ScalarAsync<long>(notificationDb, $"SELECT count(*) FROM notices WHERE kind = 'submitted' AND status = 'pending' AND period IN ({inPeriods})", ct);
        if (pending > 0) return $"{pending} 'submitted' notices not sent yet";
        var open = await Sql.ScalarAsync<long>(notificationDb, "SELECT count(*) FROM digests WHERE status = 'open'", ct);
        if (open > 0) return $"{open} digests whose window has not ended";
        var deliveries = await Sql.ScalarAsync<long>(notificationDb, "SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')", ct);
        return deliveries > 0 ? $"{deliveries} deliveries not done yet" : null;
    }

    /// <summary>What <see cref="CheckNoticesAsync"/> counted and found wrong.</summary>
    public sealed class NoticeCheck
    {
        public int NoticesSubmitted { get; set; }
        public int EmailsReceived { get; set; }
        public int EmailDuplicates { get; set; }
        public int EmailsRepeatedAcrossKill { get; set; }
        public List<string> Problems { get; } = [];
    }

    /// <summary>
    /// Every submission notified once: one 'submitted' notice each, sent, with one inbox item (one officer); each in
    /// exactly one e-mail digest; each digest one e-mail, delivered, that reached the SMTP server (<paramref name="received"/>)
    /// once, but for the one repeat a kill of the Notification service allows (<see cref="IsRepeatAcrossKill"/>).
    /// Used by the process fault run and by the cluster's (bench/Antq.Bench/ClusterFaults.cs).
    /// </summary>
    public static async Task<NoticeCheck> CheckNoticesAsync(string notificationDb, IReadOnlyCollection<(string Code, string Period)> submitted,
        IEnumerable<string> periods, IReadOnlyList<(MimeKit.MimeMessage Message, DateTime AcceptedAt)> received, IReadOnlyList<DateTime> notificationKills,
        CancellationToken ct = default)
    {
        var check = new NoticeCheck();
        var inPeriods = string.Join(", ", periods.Select(p => $"'{p}'"));
        // The province was told of each submission exactly once.
        var notices = await Sql.RowsAsync(notificationDb, $"""
            SELECT n.org_unit_code, n.period, count(DISTINCT n.id), count(i.id), min(n.status), max(n.status)
            FROM notices n LEFT JOIN inbox_items i ON i.notice_id = n.id
            WHERE n.kind = 'submitted' AND n.period IN ({inPeriods}) GROUP BY n.org_unit_code, n.period
            """, ct);
        check.NoticesSubmitted = notices.Sum(r => Convert.ToInt32(r[2], System.Globalization.CultureInfo.InvariantCulture));
        var noticed = notices.ToDictionary(r => ((string)r[0]!, (string)r[1]!), r => r);
        foreach (var key in submitted)
        {
            if (!noticed.TryGetValue(key, out var row)) { check.Problems.Add($"no 'submitted' notice for {key.Code} {key.Period}"); continue; }
            if (Convert.ToInt64(row[2], System.Globalization.CultureInfo.InvariantCulture) != 1) check.Problems.Add($"{row[2]} 'submitted' notices for {key.Code} {key.Period}");
            if (Convert.ToInt64(row[3], System.Globalization.CultureInfo.InvariantCulture) != 1) check.Problems.Add($"{row[3]} inbox items for the notice of {key.Code} {key.Period} (one officer)");
            if ((string)row[4]! != "sent" || (string)row[5]! != "sent") check.Problems.Add($"the notice of {key.Code} {key.Period} is {row[4]}");
        }

        foreach (var key in noticed.Keys.Where(k => !submitted.Contains(k))) check.Problems.Add($"a 'submitted' notice for {key.Item1} {key.Item2}, which is not submitted");

        // By e-mail, each submission in exactly one digest; each digest one e-mail, delivered, that reached the SMTP server
        // (once, or counted as a duplicate).
        var listed = await Sql.RowsAsync(notificationDb, $"""
            SELECT i.org_unit_code, n.period, count(*) FROM digest_items i JOIN notices n ON n.id = i.notice_id
            WHERE n.kind = 'submitted' AND n.period IN ({inPeriods}) GROUP BY i.org_unit_code, n.period
            """, ct);
        var inDigests = listed.ToDictionary(r => ((string)r[0]!, (string)r[1]!), r => Convert.ToInt64(r[2], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var key in submitted)
        {
            if (!inDigests.TryGetValue(key, out var times)) check.Problems.Add($"{key.Code} {key.Period} is in no e-mail digest");
            else if (times != 1) check.Problems.Add($"{key.Code} {key.Period} is in {times} e-mail digests");
        }

        var emails = await Sql.RowsAsync(notificationDb, """
            SELECT d.idempotency_key, d.status FROM deliveries d JOIN notices n ON n.id = d.notice_id
            WHERE d.channel = 'email' AND n.kind = 'submittedDigest'
            """, ct);
        var digests = await Sql.ScalarAsync<long>(notificationDb, "SELECT count(*) FROM digests WHERE status = 'sent'", ct);
        var copies = received.GroupBy(m => m.Message.Headers["X-Antq-Idempotency-Key"] ?? "")
            .ToDictionary(g => g.Key, g => g.OrderBy(m => m.AcceptedAt).ToList());
        var counts = copies.ToDictionary(c => c.Key, c => c.Value.Count);
        check.EmailsReceived = counts.Values.Sum();
        check.EmailDuplicates = counts.Values.Sum(n => n - 1);
        if (emails.Count != digests) check.Problems.Add($"{emails.Count} e-mail deliveries for {digests} digests sent");
        foreach (var row in emails)
        {
            var key = (string)row[0]!;
            if ((string)row[1]! != "delivered") check.Problems.Add($"e-mail {key} is {row[1]}");
            if (!counts.ContainsKey(key)) check.Problems.Add($"e-mail {key} never reached the SMTP server");
        }

        // SMTP has no idempotency: if the Notification service dies after the server's 250 and before it records the
        // result, the next start sends that message again, once, with the same Message-ID and key. That repeat, and
        // no other, is allowed: the first copy accepted before a kill of the service, the second after it.
        var unexplained = new List<string>();
        foreach (var (key, list) in copies.Where(c => c.Value.Count > 1))
        {
            if (IsRepeatAcrossKill(list.Select(m => (m.Message.MessageId, m.AcceptedAt)).ToList(), notificationKills)) check.EmailsRepeatedAcrossKill++;
            else unexplained.Add($"{key} ({list.Count} copies at {string.Join(", ", list.Select(m => $"{m.AcceptedAt:HH:mm:ss.fff}"))}, Message-IDs {string.Join(", ", list.Select(m => m.Message.MessageId).Distinct())})");
        }

        if (unexplained.Count > 0)
            check.Problems.Add($"{unexplained.Count} e-mails reached the SMTP server more than once without a kill of the Notification service between the copies: {string.Join("; ", unexplained.Take(5))}");

        return check;
    }

    /// <summary>
    /// Each period whose deadline passed inside an outage closed once at its unit, after the deadline; its "period
    /// closed" notice was sent once and reached the unit's officer once; each commune that had not reported got its
    /// overdue notice, once, sent.
    /// </summary>
    static async Task CheckDeadlinesAsync(PlatformProcesses platform, IReadOnlyList<DeadlineCase> deadlines, FaultRunResult result, CancellationToken ct)
    {
        var reporting = platform.ConnectionStringOf("reporting");
        var notification = platform.ConnectionStringOf("notification");
        static int Int(object? value) => Convert.ToInt32(value ?? 0, System.Globalization.CultureInfo.InvariantCulture);
        foreach (var deadline in deadlines)
        {
            var (unit, period) = (deadline.Unit, DeadlinePeriod);
            var closing = (await Sql.RowsAsync(reporting, $"SELECT count(*), min(closed_at) FROM period_closings WHERE org_unit_code = '{unit}' AND period = '{period}'", ct))[0];
            var closedAt = closing[1] is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            var closed = (await Sql.RowsAsync(notification, $"""
                SELECT count(*), count(*) FILTER (WHERE status = 'sent'),
                       (SELECT count(*) FROM inbox_items i JOIN notices c ON c.id = i.notice_id WHERE c.kind = 'periodClosed' AND c.org_unit_code = '{unit}' AND c.period = '{period}')
                FROM notices WHERE kind = 'periodClosed' AND org_unit_code = '{unit}' AND period = '{period}'
                """, ct))[0];
            var codes = string.Join(", ", deadline.Communes.Select(c => $"'{c}'"));
            var overdue = await Sql.RowsAsync(notification, $"""
                SELECT org_unit_code, slot, count(*), count(*) FILTER (WHERE status = 'sent') FROM notices
                WHERE period = '{period}' AND kind IN ('reminder', 'overdue', 'escalation') AND status <> 'cancelled' AND due_at <= now()
                  AND org_unit_code IN ({codes})
                GROUP BY org_unit_code, slot
                """, ct);
            var missing = deadline.Communes.Except(deadline.Early).Order(StringComparer.Ordinal).ToList();
            var outcome = new DeadlineOutcome(unit, period, deadline.Fault, deadline.DueAt, Int(closing[0]),
                closedAt is { } c1 ? Math.Round((c1 - deadline.DueAt).TotalSeconds, 1) : null,
                closedAt is { } c2 && deadline.OutageEndedAt is { } end ? Math.Round((c2 - end).TotalSeconds, 1) : null,
                Int(closed[0]), Int(closed[1]), Int(closed[2]), missing.Count, overdue.Sum(r => Int(r[2])), overdue.Sum(r => Int(r[3])),
                overdue.Sum(r => Int(r[2]) - 1));
            result.Deadlines.Add(outcome);
            var what = $"{period} at {unit} (deadline inside the {deadline.Fault})";
            if (outcome.Closings != 1) result.Problems.Add($"{what} closed {outcome.Closings} times");
            if (closedAt < deadline.DueAt) result.Problems.Add($"{what} closed at {closedAt:O}, before its deadline {deadline.DueAt:O}");
            if (outcome.ClosedNotices != 1 || outcome.ClosedNoticesSent != 1) result.Problems.Add($"{what}: {outcome.ClosedNotices} 'period closed' notices, {outcome.ClosedNoticesSent} sent");
            if (outcome.OfficerInboxItems != 1) result.Problems.Add($"{what}: the 'period closed' notice is {outcome.OfficerInboxItems} times in the officer's inbox");
            var told = overdue.Select(r => (string)r[0]!).Distinct().Order(StringComparer.Ordinal).ToList();
            if (!told.SequenceEqual(missing))
                result.Problems.Add($"{what}: overdue notices for {told.Count} units, {missing.Count} had not reported (missing {string.Join(", ", missing.Except(told).Take(5))}; extra {string.Join(", ", told.Except(missing).Take(5))})");
            if (outcome.OverdueRepeated > 0) result.Problems.Add($"{what}: {outcome.OverdueRepeated} overdue notices twice for the same unit and slot");
            if (outcome.OverdueSent != outcome.OverdueNotices) result.Problems.Add($"{what}: {outcome.OverdueNotices - outcome.OverdueSent} overdue notices not sent");
        }
    }

    /// <summary>Every outbox empty (nothing waiting, nothing parked) and every <c>_error</c> queue of the virtual host empty.</summary>
    static async Task CheckOutboxesAndErrorQueuesAsync(PlatformProcesses platform, IReadOnlyList<string> services, DateTime quietAt, FaultRunResult result,
        CancellationToken ct)
    {
        foreach (var service in services)
        {
            var unsent = await Sql.ScalarAsync<long>(platform.ConnectionStringOf(service), "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", ct);
            result.OutboxUnsent[service] = unsent;
            if (unsent > 0) result.Problems.Add($"{unsent} outbox messages of {service} unsent (waiting or parked)");
        }

        // The management API samples queue lengths every 5 s: read at least 6 s after the platform was quiet (the checks
        // above have usually taken longer), so a message dead-lettered by the last redeliveries is counted.
        var wait = quietAt.AddSeconds(6) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        var queues = await platform.Broker.QueueDepthsAsync();
        var errors = queues.Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal)).ToList();
        result.ErrorQueues = errors.Count;
        foreach (var (name, messages) in errors.Where(q => q.Messages > 0))
        {
            result.ErrorQueueMessages[name] = messages;
            result.Problems.Add($"{messages} messages in {name}");
        }
    }

    /// <summary>
    /// The copies of docs/copies.md, row by row against their sources, with the same rows and versions their healing
    /// compares (<c>CopyRows</c> of each consumer, <c>UnitRows</c>/<c>DeadlineRows</c>/<c>PlanRows</c> of Plan's and
    /// <c>UserRows</c> of Identity's <c>ReconcileCopyConsumer</c>). A copy may still be catching up on what the last
    /// faults delayed: it has a minute to become equal.
    /// </summary>
    static async Task CheckCopiesAsync(PlatformProcesses platform, FaultRunResult result, Action<string> log, CancellationToken ct)
    {
        const string units = "SELECT id::text AS key, change_sequence AS version FROM org_units";
        const string unitCopy = "SELECT id::text AS key, change_sequence AS version FROM unit_tree_versions";
        const string deadlineRows = "SELECT org_unit_code || '/' || period AS key, sequence AS version FROM unit_deadlines";
        const string recipientVersion = Antq.Messaging.Copies.CopyNames.RecipientVersion;
        (string Copy, string Source, string SourceRows, string Holder, string CopyRows)[] pairs =
        [
            ("unit-tree", "plan", units, "reporting", unitCopy),
            ("unit-tree", "plan", units, "classification", unitCopy),
            ("unit-tree", "plan", units, "notification", unitCopy),
            ("deadlines", "plan", deadlineRows, "reporting", deadlineRows),
            ("deadlines", "plan", deadlineRows, "notification", "SELECT org_unit_code || '/' || period AS key, sequence AS version FROM due_reports"),
            ("plans", "plan", "SELECT id::text AS key, 1::bigint AS version FROM plans WHERE status = 'Issued'",
                "notification", "SELECT plan_id::text AS key, 1::bigint AS version FROM plan_reminder_policies WHERE superseded_by_id IS NULL"),
            ("recipients", "identity", $"SELECT id::text AS key, {recipientVersion} AS version FROM users",
                "notification", $"SELECT user_id::text AS key, {recipientVersion} AS version FROM recipients"),
        ];

        async Task<Dictionary<string, long>> RowsAsync(string service, string sql) =>
            (await Sql.RowsAsync(platform.ConnectionStringOf(service), $"SELECT c.key, c.version FROM ({sql}) AS c", ct))
            .ToDictionary(r => (string)r[0]!, r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture));

        var comparisons = new List<(CopyComparison Result, string Detail)>();
        var until = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            comparisons.Clear();
            foreach (var (copy, source, sourceRows, holder, copyRows) in pairs)
            {
                var theirs = await RowsAsync(source, sourceRows);
                var ours = await RowsAsync(holder, copyRows);
                var missing = theirs.Keys.Where(k => !ours.ContainsKey(k)).ToList();
                var differing = theirs.Where(r => ours.TryGetValue(r.Key, out var v) && v != r.Value).Select(r => r.Key).ToList();
                var extra = ours.Keys.Where(k => !theirs.ContainsKey(k)).ToList();
                comparisons.Add((new CopyComparison(copy, source, holder, theirs.Count, ours.Count, missing.Count, differing.Count, extra.Count),
                    $"missing {string.Join(", ", missing.Take(3))}; differing {string.Join(", ", differing.Take(3))}; extra {string.Join(", ", extra.Take(3))}"));
            }

            if (comparisons.All(c => c.Result.Equal) || DateTime.UtcNow > until) break;
            log($"copies not equal yet: {string.Join("; ", comparisons.Where(c => !c.Result.Equal).Select(c => $"{c.Result.Copy} of {c.Result.Holder}"))}");
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
        }

        foreach (var (comparison, detail) in comparisons)
        {
            result.Copies.Add(comparison);
            if (!comparison.Equal)
                result.Problems.Add($"{comparison.Holder}'s copy {comparison.Copy} differs from {comparison.Source}'s {comparison.SourceRows} rows: {comparison.Missing} missing, {comparison.Differing} at another version, {comparison.Extra} extra ({detail})");
        }
    }
}
