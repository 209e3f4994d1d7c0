using System.Collections.Concurrent;
using System.Diagnostics;
using Antq.Testing.Load;

namespace Antq.Testing.Faults;

/// <summary>How long and how hard a fault run is.</summary>
public sealed class FaultRunOptions
{
    /// <summary>Commune submissions started per second (open loop), all through the fault schedule.</summary>
    public double SubmissionsPerSecond { get; init; } = 6;

    /// <summary>How long RabbitMQ, PostgreSQL and each killed service stay down.</summary>
    public TimeSpan Down { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Steady submissions between two faults.</summary>
    public TimeSpan Between { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>How many times the whole schedule (broker, database, every service) is repeated.</summary>
    public int Rounds { get; init; } = 1;

    public string Period { get; init; } = "2026-H1";

    public Action<string> Log { get; init; } = _ => { };
}

/// <summary>What a fault run did and what its checks found; <see cref="Problems"/> empty means nothing lost and nothing doubled.</summary>
public sealed class FaultRunResult
{
    public List<string> Faults { get; } = [];
    public List<string> Problems { get; } = [];
    public int Started { get; set; }
    public int Submitted { get; set; }
    public int FoundSubmitted { get; set; }
    public int Failed { get; set; }
    public long Retries { get; set; }
    public int SubmittedInDatabase { get; set; }
    public int NoticesSubmitted { get; set; }
    public int EmailsReceived { get; set; }
    public int EmailDuplicates { get; set; }

    /// <summary>
    /// Of <see cref="EmailDuplicates"/>, the copies that the SMTP server accepted before a kill of the Notification
    /// service and again after it, with the same Message-ID: the one repeat SMTP allows (the process died after the
    /// server's 250 and before the result was recorded). Every other duplicate is a problem.
    /// </summary>
    public int EmailsRepeatedAcrossKill { get; set; }
    public double Seconds { get; set; }

    public override string ToString() =>
        $"{Started} submissions started: {Submitted} answered 2xx, {FoundSubmitted} found submitted on reload after a failure, {Failed} given up; " +
        $"{Retries} retries; {SubmittedInDatabase} submitted reports counted; {NoticesSubmitted} 'submitted' notices; {EmailsReceived} e-mails received " +
        $"({EmailDuplicates} duplicates, {EmailsRepeatedAcrossKill} of them repeated across a kill of the Notification service); {Seconds:F0} s; faults: {string.Join("; ", Faults)}; problems: {(Problems.Count == 0 ? "none" : string.Join(" | ", Problems))}";
}

/// <summary>
/// Communes submit at a steady rate through the gateway while the platform is hurt: RabbitMQ is stopped and started,
/// PostgreSQL is restarted, and every process (each service and the gateway) in turn is killed with SIGKILL and started
/// again. Clients retry as a person would (<see cref="ReportClient"/>). Afterwards the run checks, against its own tally
/// and the generator's values: every submission that was answered 2xx is submitted; each province's roll-up counts
/// exactly the submitted reports, once each, with exactly their values; the province was told of each submission exactly
/// once (one notice, one inbox item per officer, one e-mail per address, none missing and none twice); and every
/// service's outbox is empty.
/// </summary>
public static class FaultRun
{
    const string Password = "Mat-khau-Su-co-2026";
    static readonly string[] CheckedIndicators = ["CONF_BRIEFINGS", "TIPS_TOTAL", "HOTSPOTS"];

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
                },
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

        // The fault schedule and how long the load must last to cover it.
        var steps = new List<(string Name, Func<Task> Act)>();
        var notificationKills = new List<DateTime>();
        for (var round = 0; round < options.Rounds; round++)
        {
            steps.Add(("RabbitMQ stopped and started", async () =>
            {
                await LocalServers.StopBrokerAsync();
                await Task.Delay(options.Down, ct);
                await LocalServers.StartBrokerAsync();
            }));
            steps.Add(("PostgreSQL stopped and started", async () =>
            {
                await LocalServers.StopPostgresAsync();
                await Task.Delay(options.Down, ct);
                await LocalServers.StartPostgresAsync();
            }));
            foreach (var (service, _, _) in PlatformProcesses.Services)
            {
                steps.Add(($"{service} killed (SIGKILL) and started", async () =>
                {
                    if (service == "notification") notificationKills.Add(DateTime.UtcNow);
                    platform.Kill(service);
                    await Task.Delay(options.Down, ct);
                    await platform.StartServiceAsync(service, ct);
                }));
            }
        }

        var factory = new FullReport();
        var seeds = communes.Select((c, i) => (c, i)).ToDictionary(x => x.c.Code, x => x.i);
        var outcomes = new ConcurrentDictionary<string, SubmitOutcome>();
        using var http = new HttpClient { BaseAddress = new Uri(platform.Gateway), Timeout = TimeSpan.FromSeconds(20) };
        var client = new ReportClient(http, platform.AdminTokenAsync) { Patience = TimeSpan.FromMinutes(4) };
        using var stopLoad = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        var next = -1;
        var load = OpenLoop.RunAsync(options.SubmissionsPerSecond, TimeSpan.FromHours(1), async _ =>
        {
            var i = Interlocked.Increment(ref next);
            if (i >= communes.Count) return true;
            var commune = communes[i];
            var outcome = await client.SubmitAsync(commune.Code, options.Period, factory.Body(options.Period, seeds[commune.Code]), ct: CancellationToken.None);
            outcomes[commune.Code] = outcome;
            return outcome != SubmitOutcome.Failed;
        }, drain: TimeSpan.FromMinutes(5), ct: stopLoad.Token);

        try
        {
            await Task.Delay(options.Between, ct);
            foreach (var (name, act) in steps)
            {
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
            // Whatever the schedule did, leave the servers running for whoever comes next.
            await LocalServers.StartBrokerAsync();
            await LocalServers.StartPostgresAsync();
        }

        result.Started = Math.Min(next + 1, communes.Count);
        result.Submitted = outcomes.Values.Count(o => o == SubmitOutcome.Submitted);
        result.FoundSubmitted = outcomes.Values.Count(o => o == SubmitOutcome.FoundSubmitted);
        result.Failed = outcomes.Values.Count(o => o == SubmitOutcome.Failed) + (result.Started - outcomes.Count);
        result.Retries = client.Retries;
        log($"load stopped at {clock.Elapsed.TotalSeconds:F0} s: {result.Submitted} 2xx, {result.FoundSubmitted} found submitted, {result.Failed} given up");

        await CheckAsync(platform, api, client, smtp, options, communes.Take(result.Started).ToList(), outcomes, factory, seeds, provinces, notificationKills, result, log, ct);
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
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
        List<Commune> attempted, ConcurrentDictionary<string, SubmitOutcome> outcomes, FullReport factory, Dictionary<string, int> seeds,
        List<string> provinces, IReadOnlyList<DateTime> notificationKills, FaultRunResult result, Action<string> log, CancellationToken ct)
    {
        var period = options.Period;
        // Quiet: every outbox empty, every notice and delivery done (retries after the faults included).
        var services = PlatformProcesses.Services.Where(s => s.Database is not null).Select(s => s.Name).ToList();
        async Task<string?> Busy()
        {
            foreach (var service in services)
            {
                var unsent = await Sql.ScalarAsync<long>(platform.ConnectionStringOf(service), "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", ct);
                if (unsent > 0) return $"{unsent} unsent outbox messages in {service}";
            }

            var notification = platform.ConnectionStringOf("notification");
            var pending = await Sql.ScalarAsync<long>(notification, $"SELECT count(*) FROM notices WHERE kind = 'submitted' AND status = 'pending' AND period = '{period}'", ct);
            if (pending > 0) return $"{pending} 'submitted' notices not sent yet";
            var open = await Sql.ScalarAsync<long>(notification, "SELECT count(*) FROM digests WHERE status = 'open'", ct);
            if (open > 0) return $"{open} digests whose window has not ended";
            var deliveries = await Sql.ScalarAsync<long>(notification, "SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')", ct);
            return deliveries > 0 ? $"{deliveries} deliveries not done yet" : null;
        }

        string? busy = "not checked";
        var quietBy = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < quietBy && (busy = await Busy()) is not null) await Task.Delay(1000, ct);
        if (busy is not null) result.Problems.Add($"never quiet after the load: {busy}");

        // The authoritative state of every commune that was attempted.
        var submitted = new HashSet<string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(attempted, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (commune, token) =>
        {
            var status = await client.StatusAsync(commune.Code, period, token);
            if (status is "submitted" or "accepted") lock (submitted) submitted.Add(commune.Code);
        });
        result.SubmittedInDatabase = submitted.Count;
        foreach (var (code, outcome) in outcomes)
        {
            if (outcome != SubmitOutcome.Failed && !submitted.Contains(code))
                result.Problems.Add($"{code} was answered as submitted ({outcome}) but its report is not submitted");
        }

        // Each province's roll-up: exactly the submitted reports, each once, with exactly their values.
        foreach (var province in provinces)
        {
            var mine = attempted.Where(c => c.Province == province && submitted.Contains(c.Code)).ToList();
            foreach (var indicator in CheckedIndicators)
            {
                var rollup = await api.RollupAsync(province, period, indicator, ct);
                var expected = mine.Sum(c => factory.Values(period, seeds[c.Code])[indicator]);
                if (rollup.Reports != mine.Count || rollup.Sum != expected)
                    result.Problems.Add($"province {province} {indicator}: roll-up has {rollup.Reports} reports summing to {rollup.Sum}, the submitted reports are {mine.Count} summing to {expected}");
                if (indicator == CheckedIndicators[0] && rollup.Submitted != mine.Count)
                    result.Problems.Add($"province {province}: completeness says {rollup.Submitted} submitted, {mine.Count} are");
            }
        }

        // The province was told of each submission exactly once.
        var notificationDb = platform.ConnectionStringOf("notification");
        var notices = await Sql.RowsAsync(notificationDb, $"""
            SELECT n.org_unit_code, count(DISTINCT n.id), count(i.id), min(n.status), max(n.status)
            FROM notices n LEFT JOIN inbox_items i ON i.notice_id = n.id
            WHERE n.kind = 'submitted' AND n.period = '{period}' GROUP BY n.org_unit_code
            """, ct);
        result.NoticesSubmitted = notices.Sum(r => Convert.ToInt32(r[1], System.Globalization.CultureInfo.InvariantCulture));
        var noticed = notices.ToDictionary(r => (string)r[0]!, r => r);
        foreach (var code in submitted)
        {
            if (!noticed.TryGetValue(code, out var row)) { result.Problems.Add($"no 'submitted' notice for {code}"); continue; }
            if (Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture) != 1) result.Problems.Add($"{row[1]} 'submitted' notices for {code}");
            if (Convert.ToInt64(row[2], System.Globalization.CultureInfo.InvariantCulture) != 1) result.Problems.Add($"{row[2]} inbox items for the notice of {code} (one officer)");
            if ((string)row[3]! != "sent" || (string)row[4]! != "sent") result.Problems.Add($"the notice of {code} is {row[3]}");
        }

        foreach (var code in noticed.Keys.Where(c => !submitted.Contains(c))) result.Problems.Add($"a 'submitted' notice for {code}, which is not submitted");

        // By e-mail, each submission in exactly one digest; each digest one e-mail, delivered, that reached the SMTP server
        // (once, or counted as a duplicate).
        var listed = await Sql.RowsAsync(notificationDb, $"""
            SELECT i.org_unit_code, count(*) FROM digest_items i JOIN notices n ON n.id = i.notice_id
            WHERE n.kind = 'submitted' AND n.period = '{period}' GROUP BY i.org_unit_code
            """, ct);
        var inDigests = listed.ToDictionary(r => (string)r[0]!, r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var code in submitted)
        {
            if (!inDigests.TryGetValue(code, out var times)) result.Problems.Add($"{code} is in no e-mail digest");
            else if (times != 1) result.Problems.Add($"{code} is in {times} e-mail digests");
        }

        var emails = await Sql.RowsAsync(notificationDb, """
            SELECT d.idempotency_key, d.status FROM deliveries d JOIN notices n ON n.id = d.notice_id
            WHERE d.channel = 'email' AND n.kind = 'submittedDigest'
            """, ct);
        var digests = await Sql.ScalarAsync<long>(notificationDb, "SELECT count(*) FROM digests WHERE status = 'sent'", ct);
        var copies = smtp.Received().GroupBy(m => m.Message.Headers["X-Antq-Idempotency-Key"] ?? "")
            .ToDictionary(g => g.Key, g => g.OrderBy(m => m.AcceptedAt).ToList());
        var received = copies.ToDictionary(c => c.Key, c => c.Value.Count);
        result.EmailsReceived = received.Values.Sum();
        result.EmailDuplicates = received.Values.Sum(n => n - 1);
        if (emails.Count != digests) result.Problems.Add($"{emails.Count} e-mail deliveries for {digests} digests sent");
        foreach (var row in emails)
        {
            var key = (string)row[0]!;
            if ((string)row[1]! != "delivered") result.Problems.Add($"e-mail {key} is {row[1]}");
            if (!received.ContainsKey(key)) result.Problems.Add($"e-mail {key} never reached the SMTP server");
        }

        // SMTP has no idempotency: if the Notification service dies after the server's 250 and before it records the
        // result, the next start sends that message again, once, with the same Message-ID and key. That repeat, and
        // no other, is allowed: the first copy accepted before a kill of the service, the second after it.
        var unexplained = new List<string>();
        foreach (var (key, list) in copies.Where(c => c.Value.Count > 1))
        {
            if (IsRepeatAcrossKill(list.Select(m => (m.Message.MessageId, m.AcceptedAt)).ToList(), notificationKills)) result.EmailsRepeatedAcrossKill++;
            else unexplained.Add($"{key} ({list.Count} copies at {string.Join(", ", list.Select(m => $"{m.AcceptedAt:HH:mm:ss.fff}"))}, Message-IDs {string.Join(", ", list.Select(m => m.Message.MessageId).Distinct())})");
        }

        if (unexplained.Count > 0)
            result.Problems.Add($"{unexplained.Count} e-mails reached the SMTP server more than once without a kill of the Notification service between the copies: {string.Join("; ", unexplained.Take(5))}");
        log($"checked: {result}");
    }
}
