using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Testing;
using Antq.Testing.Faults;
using Antq.Testing.Load;

namespace Antq.Bench;

/// <summary>What the cluster's fault run did and found; <see cref="Problems"/> empty means nothing lost and nothing doubled.</summary>
public sealed class ClusterFaultResult
{
    public List<string> Faults { get; } = [];
    public List<string> Problems { get; } = [];
    public int Started { get; set; }
    public int Submitted { get; set; }
    public int FoundSubmitted { get; set; }
    public int Failed { get; set; }
    public long Retries { get; set; }
    public int SubmittedOnReload { get; set; }
    public int CountedInRollups { get; set; }
    public FaultRun.NoticeCheck Notices { get; set; } = new();
    public int OutboxUnsent { get; set; } = -1;
    public int DeadLetters { get; set; } = -1;
    public string PortalFailover { get; set; } = "not run";
    public double Seconds { get; set; }
}

/// <summary>
/// The fault run against <c>deploy/antq cluster</c> (deploy/cluster/faults.sh starts it): commune submissions through
/// the cluster's gateway while containers are hurt with podman: a replica of a service killed (SIGKILL) and started,
/// a RabbitMQ node killed (the quorum queues must keep a leader on the other two) and started, and the second replica
/// of every process stopped together and started again. Afterwards, through the API only (the cluster publishes
/// nothing but the gateway): every submission answered 2xx is submitted, each province's roll-up counts exactly the
/// submitted reports once each with their values, and the platform's status page shows every outbox empty and no dead
/// letter (error queue) anywhere. Notices and e-mail with the process fault run's own check
/// (<see cref="FaultRun.CheckNoticesAsync"/>): Notification's database read over TLS from the host's side of the
/// cluster's network, and the e-mails the cluster's SMTP catcher kept.
/// </summary>
public static class ClusterFaults
{
    const string Period = "2026-H1";
    static readonly string[] CheckedIndicators = ["CONF_BRIEFINGS", "TIPS_TOTAL", "HOTSPOTS"];

    const string OfficerPassword = "Can-bo-Cum-may-2026";

    public static async Task<ClusterFaultResult> RunAsync(string gateway, string adminPassword, string prefix, string[] processes,
        double perSecond, TimeSpan down, TimeSpan stopped, string notificationDb, string mailDir, Action<string> log)
    {
        var result = new ClusterFaultResult();
        using var http = new HttpClient { BaseAddress = new Uri(gateway), Timeout = TimeSpan.FromSeconds(30) };
        async Task<string> Token(CancellationToken ct)
        {
            using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = "admin", ["password"] = adminPassword,
            }), ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"admin token: {(int)response.StatusCode} {body}");
            return body.GetProperty("access_token").GetString()!;
        }

        var token = await Token(default);
        async Task<JsonElement> Api(HttpMethod method, string path, HttpContent? content = null)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var request = new HttpRequestMessage(method, path) { Content = content };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && attempt == 1) { token = await Token(default); continue; }
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
                return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            }
        }

        // The country's units (once: a second run finds them there), and the reporting tree they make.
        var communes = Country.Shuffled(Country.TwoTier());
        var provinces = communes.Select(c => c.Province).Distinct().Order(StringComparer.Ordinal).ToList();
        var largest = communes.GroupBy(c => c.Province).OrderByDescending(g => g.Count()).First();
        async Task<bool> TreeIsThere()
        {
            try { return (await Api(HttpMethod.Get, $"api/rollups/{largest.Key}/{Period}/children")).GetProperty("children").GetArrayLength() == largest.Count(); }
            catch (InvalidOperationException) { return false; }
        }
        if (!await TreeIsThere())
        {
            await Api(HttpMethod.Post, "api/org-units/import?effectiveFrom=2025-07-01",
                new ByteArrayContent(await File.ReadAllBytesAsync(Country.TwoTierFile)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
            log($"imported {communes.Count} communes in {provinces.Count} provinces");
        }
        await Eventually.UntilAsync(TreeIsThere, TimeSpan.FromMinutes(3), $"Reporting has the {largest.Count()} communes of {largest.Key}");

        // Each province's officer, told of its communes' submissions by e-mail digests (once: a second run finds them).
        foreach (var province in provinces)
        {
            try
            {
                await Api(HttpMethod.Post, "api/users", JsonContent.Create(new
                {
                    username = $"pv01.{province}", password = OfficerPassword, fullName = $"Cán bộ tỉnh {province}", role = "ProvinceOfficer", orgUnitCode = province,
                }));
            }
            catch (InvalidOperationException e) when (e.Message.Contains(": 409 ", StringComparison.Ordinal)) { }
            await Api(HttpMethod.Put, $"api/contact-points/{province}", JsonContent.Create(new { emails = new[] { $"pv01.{province}@congan.example.vn" } }));
        }
        // A commune officer who fills the report form in a browser while the portal replica holding the session stops
        // (a commune outside the load's 1,200).
        var person = communes[1300];
        try
        {
            await Api(HttpMethod.Post, "api/users", JsonContent.Create(new
            {
                username = $"ca.{person.Code}", password = OfficerPassword, fullName = "Cán bộ xã thử", role = "CommuneOfficer", orgUnitCode = person.Code,
            }));
        }
        catch (InvalidOperationException e) when (e.Message.Contains(": 409 ", StringComparison.Ordinal)) { }
        await Eventually.UntilAsync(async () => await Sql.ScalarAsync<long>(notificationDb, "SELECT count(*) FROM recipients") >= provinces.Count,
            TimeSpan.FromMinutes(2), "Notification learns the province officers");

        // Communes already submitted by an earlier run are left out of this one.
        var client = new ReportClient(http, Token) { Patience = TimeSpan.FromMinutes(4) };
        var fresh = new List<Commune>();
        foreach (var c in communes.Take(1200))
            if (await client.StatusAsync(c.Code, Period) is not ("submitted" or "accepted")) fresh.Add(c);
        var alreadySubmitted = communes.Take(1200).Where(c => !fresh.Contains(c)).ToList();
        log($"{fresh.Count} communes not yet submitted; load at {perSecond}/s");

        var notificationKills = new List<DateTime>();
        var steps = new List<(string Name, Func<Task> Act)>
        {
            ($"{prefix}-reporting-1 killed (SIGKILL) and started", async () =>
            {
                await Podman("kill", $"{prefix}-reporting-1");
                await Task.Delay(down);
                await Podman("start", $"{prefix}-reporting-1");
            }),
            ($"{prefix}-notification-1 killed (SIGKILL) and started", async () =>
            {
                notificationKills.Add(DateTime.UtcNow);
                await Podman("kill", $"{prefix}-notification-1");
                await Task.Delay(down);
                await Podman("start", $"{prefix}-notification-1");
            }),
            ($"{prefix}-rabbit-1 killed (SIGKILL), queues checked on the other nodes, started", async () =>
            {
                await Podman("kill", $"{prefix}-rabbit-1");
                await Task.Delay(down);
                var queues = await Podman("exec", $"{prefix}-rabbit-2", "rabbitmqctl", "-q", "list_queues", "--no-table-headers", "-p", "antq", "name", "type", "leader", "state");
                var quorum = queues.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Where(f => f.Length >= 4 && f[1] == "quorum").ToList();
                var without = quorum.Where(f => f[2].Contains("rabbit-1") || f[3] != "running").Select(f => $"{f[0]} (leader {f[2]}, {f[3]})").ToList();
                log($"with {prefix}-rabbit-1 down: {quorum.Count} quorum queues, {quorum.Count - without.Count} with a running leader on the other nodes");
                if (quorum.Count == 0) result.Problems.Add("no quorum queue listed while a RabbitMQ node was down");
                foreach (var q in without) result.Problems.Add($"queue {q} not available while {prefix}-rabbit-1 was down");
                await Podman("start", $"{prefix}-rabbit-1");
            }),
            ("the portal replica holding a person's session stopped while the report form is filled", async () =>
            {
                try
                {
                    result.PortalFailover = await Antq.Bench.PortalFailover.RunAsync(gateway, prefix, $"ca.{person.Code}", OfficerPassword, a => Podman(a), log);
                    log(result.PortalFailover);
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or Microsoft.Playwright.PlaywrightException)
                {
                    result.PortalFailover = "failed: " + e.Message.Split('\n')[0];
                    result.Problems.Add($"portal replica stopped mid-fill: {e.Message}");
                }
            }),
            ($"the second replica of every process stopped for {stopped.TotalSeconds:F0} s", async () =>
            {
                foreach (var p in processes) await Podman("stop", "-t", "10", $"{prefix}-{p}-2");
                await Task.Delay(stopped);
                foreach (var p in processes) await Podman("start", $"{prefix}-{p}-2");
            }),
        };

        var factory = new FullReport();
        var seeds = communes.Select((c, i) => (c, i)).ToDictionary(x => x.c.Code, x => x.i);
        var outcomes = new ConcurrentDictionary<string, SubmitOutcome>();
        using var stopLoad = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var next = -1;
        var load = OpenLoop.RunAsync(perSecond, TimeSpan.FromHours(1), async _ =>
        {
            var i = Interlocked.Increment(ref next);
            if (i >= fresh.Count) return true;
            var commune = fresh[i];
            var outcome = await client.SubmitAsync(commune.Code, Period, factory.Body(Period, seeds[commune.Code]), ct: CancellationToken.None);
            outcomes[commune.Code] = outcome;
            return outcome != SubmitOutcome.Failed;
        }, drain: TimeSpan.FromMinutes(5), ct: stopLoad.Token);

        try
        {
            await Task.Delay(down);
            foreach (var (name, act) in steps)
            {
                var at = clock.Elapsed;
                log($"{at.TotalSeconds:F0} s: {name}");
                await act();
                result.Faults.Add($"{name} at {at.TotalSeconds:F0} s (back after {(clock.Elapsed - at).TotalSeconds:F0} s)");
                await Task.Delay(down);
            }
        }
        finally
        {
            stopLoad.Cancel();
            try { await load; } catch (OperationCanceledException) { }
        }

        result.Started = Math.Min(next + 1, fresh.Count);
        result.Submitted = outcomes.Values.Count(o => o == SubmitOutcome.Submitted);
        result.FoundSubmitted = outcomes.Values.Count(o => o == SubmitOutcome.FoundSubmitted);
        result.Failed = outcomes.Values.Count(o => o == SubmitOutcome.Failed) + (result.Started - outcomes.Count);
        result.Retries = client.Retries;
        log($"load stopped at {clock.Elapsed.TotalSeconds:F0} s: {result.Submitted} 2xx, {result.FoundSubmitted} found submitted, {result.Failed} given up, {result.Retries} retries");

        // Quiet: every outbox empty and no dead letter, as the status page (through the gateway) reports them, and every
        // notice and e-mail of the submissions sent (the digests' window included).
        string? busy = "not checked";
        var quietBy = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < quietBy)
        {
            try
            {
                var totals = (await Api(HttpMethod.Get, "api/status")).GetProperty("totals");
                int Total(string name) => totals.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : -1;
                busy = Total("down") != 0 || Total("notReady") != 0 ? $"{Total("down")} processes down, {Total("notReady")} not ready"
                    : Total("outboxUnsent") != 0 || Total("outboxParked") != 0 ? $"{Total("outboxUnsent")} unsent and {Total("outboxParked")} parked outbox messages"
                    : Total("deadLetters") != 0 ? $"{Total("deadLetters")} dead letters (error queues, parked outbox messages)"
                    : await FaultRun.NoticesBusyAsync(notificationDb, [Period]);
                (result.OutboxUnsent, result.DeadLetters) = (Total("outboxUnsent"), Total("deadLetters"));
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException or Npgsql.NpgsqlException) { busy = ex.Message; }
            if (busy is null) break;
            await Task.Delay(2000);
        }
        if (busy is not null) result.Problems.Add($"never quiet after the load: {busy}");

        // Every commune attempted, as the API shows it now; every 2xx must be submitted.
        var attempted = fresh.Take(result.Started).ToList();
        var submitted = new HashSet<string>(alreadySubmitted.Select(c => c.Code), StringComparer.Ordinal);
        await Parallel.ForEachAsync(attempted, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (commune, token) =>
        {
            var status = await client.StatusAsync(commune.Code, Period, token);
            if (status is "submitted" or "accepted") lock (submitted) submitted.Add(commune.Code);
        });
        result.SubmittedOnReload = submitted.Count - alreadySubmitted.Count;
        foreach (var (code, outcome) in outcomes)
            if (outcome != SubmitOutcome.Failed && !submitted.Contains(code))
                result.Problems.Add($"{code} was answered as submitted ({outcome}) but its report is not submitted");

        // Each province's roll-up: exactly the submitted reports (this run's and earlier runs'), once each, with their values.
        foreach (var province in provinces)
        {
            var mine = communes.Where(c => c.Province == province && submitted.Contains(c.Code)).ToList();
            var rollup = await Api(HttpMethod.Get, $"api/rollups/{province}/{Period}");
            foreach (var indicator in CheckedIndicators)
            {
                var reports = 0;
                decimal sum = 0;
                if (rollup.GetProperty("values").TryGetProperty(indicator, out var cell))
                {
                    reports = cell.GetProperty("reports").GetInt32();
                    if (cell.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Number) sum = value.GetDecimal();
                }
                var expected = mine.Sum(c => factory.Values(Period, seeds[c.Code])[indicator]);
                if (reports != mine.Count || sum != expected)
                    result.Problems.Add($"province {province} {indicator}: roll-up has {reports} reports summing to {sum}, the submitted reports are {mine.Count} summing to {expected}");
            }
            if (indicator0(rollup) is { } counted && counted != mine.Count)
                result.Problems.Add($"province {province}: completeness says {counted} submitted, {mine.Count} are");
            result.CountedInRollups += mine.Count;
        }

        // Every submission (this run's and earlier runs') notified once; every e-mail delivered once but for the repeat
        // a kill of Notification allows.
        result.Notices = await FaultRun.CheckNoticesAsync(notificationDb, submitted.Select(code => (code, Period)).ToList(), [Period],
            SmtpSink.ReceivedIn(mailDir), notificationKills);
        result.Problems.AddRange(result.Notices.Problems);

        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;

        static int? indicator0(JsonElement rollup) =>
            rollup.TryGetProperty("completeness", out var c) && c.TryGetProperty("submitted", out var s) ? s.GetInt32() : null;
    }

    static async Task<string> Podman(params string[] args)
    {
        var start = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"podman {string.Join(' ', args)}: {error.Trim()}");
        return output;
    }
}
