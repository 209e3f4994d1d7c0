// The measurements of deploy/antq bench, each printed as one JSON line (prefix "RESULT ") with the memory of the
// processes measured ("MEMORY "), for deploy/bench.sh to tabulate. Needs the solution built (Release) and PostgreSQL
// and RabbitMQ running (deploy/antq bench does both).
//
//   dotnet bench/Antq.Bench/bin/Release/net10.0/Antq.Bench.dll platform [--quick]   gateway, ingest, freshness, recompute, close (PlatformBench.cs)
//   dotnet bench/Antq.Bench/bin/Release/net10.0/Antq.Bench.dll bus [--messages 20000] outbox → dispatcher → inbox against RabbitMQ.Client (Bus.cs)
//   dotnet bench/Antq.Bench/bin/Release/net10.0/Antq.Bench.dll plantext [--turns 3]   the plan reader on 2 MB of plan text, in process (PlanTextBench.cs)
//   dotnet bench/Antq.Bench/bin/Release/net10.0/Antq.Bench.dll hostile               the hostile upload corpus against a running Reporting, its peak memory (HostileUploadBench.cs)
//   dotnet bench/Antq.Bench/bin/Release/net10.0/Antq.Bench.dll faults [--minutes 10]  the long fault run (Antq.Testing/Faults)
//   dotnet bench/Antq.Bench/bin/Release/net10.0/Antq.Bench.dll cluster-faults --gateway URL --admin-password-file F --prefix P --processes a,b --notification-db C --mail-dir D
//                                                                   the fault run against deploy/antq cluster (ClusterFaults.cs, deploy/cluster/faults.sh)
//   dotnet bench/Antq.Bench/bin/Release/net10.0/Antq.Bench.dll bare --port P --connection C   the reference endpoint of ingest
//   dotnet bench/Antq.Bench/bin/Release/net10.0/Antq.Bench.dll bare-proxy --port P --destination URL   bare YARP, beside the gateway
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Antq.Bench;
using Antq.Testing.Faults;

var mode = args.FirstOrDefault() ?? "platform";
void Log(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
switch (mode)
{
    case "platform":
        await new PlatformBench(args.Contains("--quick") ? BenchSizes.Quick : BenchSizes.Full, Emit, Log).RunAsync();
        break;
    case "bus":
        Emit(await BusBench.RunAsync(Option("--messages", 20000)));
        SelfMemory("Antq.Bench bus (the outbox host, the MassTransit host and the raw client in one process)");
        break;
    case "plantext":
        Emit(PlanTextBench.Run(Option("--turns", 3), Log));
        break;
    case "hostile":
        Emit(await HostileUploadBench.RunAsync(Log));
        break;
    case "faults":
    {
        // The long fault run (docs/benchmarks.md): its outages scale with the minutes, a sixth of them each (10 minutes in
        // `--faults 60`, 30 seconds in `--faults 3`), and the same schedule runs whatever the length.
        var minutes = Option("--minutes", 10);
        var outage = TimeSpan.FromSeconds(minutes * 10);
        var options = new FaultRunOptions
        {
            SubmissionsPerSecond = 8, Outage = outage, Down = TimeSpan.FromSeconds(10), Between = TimeSpan.FromSeconds(Math.Max(8, minutes / 2.0)),
            LoadPeriods = ["2026-H1", "2026-Y"], Patience = outage + TimeSpan.FromMinutes(3), Log = Log,
        };
        Log($"long fault run: {minutes} minutes, outages of {outage.TotalSeconds:F0} s, schedule planned at {FaultRun.PlannedSeconds(options):F0} s");
        var result = await FaultRun.RunAsync(options);
        Emit(new
        {
            name = "faults", seconds = Math.Round(result.Seconds, 1), outage_s = outage.TotalSeconds, process_down_s = options.Down.TotalSeconds,
            submissions_per_s = result.RatePerSecond, periods = result.Periods, started = result.Started, submitted_2xx = result.Submitted,
            found_submitted_on_reload = result.FoundSubmitted, given_up = result.Failed, retries = result.Retries,
            counted_in_rollups = result.SubmittedInDatabase, submitted_notices = result.NoticesSubmitted, emails = result.EmailsReceived,
            email_duplicates = result.EmailDuplicates, email_repeats_across_notification_kill = result.EmailsRepeatedAcrossKill,
            outbox_unsent = result.OutboxUnsent, error_queues = result.ErrorQueues, error_queue_messages = result.ErrorQueueMessages,
            copies = result.Copies.Select(c => new
            {
                copy = c.Copy, holder = c.Holder, source = c.Source, source_rows = c.SourceRows, copy_rows = c.CopyRows,
                missing = c.Missing, differing = c.Differing, extra = c.Extra, equal = c.Equal,
            }),
            deadlines = result.Deadlines.Select(d => new
            {
                unit = d.Unit, period = d.Period, inside = d.Fault, due_at = d.DueAt, closings = d.Closings,
                closed_s_after_deadline = d.ClosedSecondsAfterDeadline, closed_s_after_outage_end = d.ClosedSecondsAfterOutage,
                period_closed_notices = d.ClosedNotices, period_closed_sent = d.ClosedNoticesSent, officer_inbox_items = d.OfficerInboxItems,
                overdue_expected = d.OverdueExpected, overdue_notices = d.OverdueNotices, overdue_sent = d.OverdueSent, overdue_repeated = d.OverdueRepeated,
            }),
            faults = result.Faults, problems = result.Problems,
            units = $"outages of {outage.TotalSeconds:F0} s: Notification's, Classification's, then Plan's database refusing connections (a plan issued during the first two), " +
                "the whole PostgreSQL server stopped (a province's 2027-H1 deadline passing inside), RabbitMQ stopped (another's inside); " +
                $"PostgreSQL's postmaster and RabbitMQ's node SIGKILLed and restarted; each process SIGKILLed and down {options.Down.TotalSeconds:F0} s " +
                $"(a third deadline inside Reporting's); {result.RatePerSecond}/s submissions through it all",
        });
        return result.Problems.Count == 0 ? 0 : 1;
    }
    case "portal-failover":
    {
        // Against deploy/antq cluster: the cluster run's portal step alone (an officer's account must exist).
        Console.WriteLine(await PortalFailover.RunAsync(Text("--gateway"), Text("--prefix"), Text("--user"), File.ReadAllText(Text("--password-file")).Trim(),
            async a =>
            {
                using var process = Process.Start(new ProcessStartInfo("podman", a) { RedirectStandardOutput = true })!;
                await process.WaitForExitAsync();
                return await process.StandardOutput.ReadToEndAsync();
            }, Log));
        return 0;
    }
        case "cluster-faults":
    {
        // Against deploy/antq cluster (deploy/cluster/faults.sh): podman hurts its containers while communes submit.
        var processes = Text("--processes").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var result = await ClusterFaults.RunAsync(Text("--gateway"), File.ReadAllText(Text("--admin-password-file")).Trim(), Text("--prefix"),
            processes, Option("--per-second", 3), TimeSpan.FromSeconds(Option("--down", 15)), TimeSpan.FromSeconds(Option("--stopped", 60)),
            Text("--notification-db"), Text("--mail-dir"), Log);
        Emit(new
        {
            name = "cluster-faults", seconds = Math.Round(result.Seconds, 1), started = result.Started, submitted_2xx = result.Submitted,
            found_submitted_on_reload = result.FoundSubmitted, given_up = result.Failed, retries = result.Retries,
            submitted_in_this_run = result.SubmittedOnReload, counted_in_rollups = result.CountedInRollups,
            submitted_notices = result.Notices.NoticesSubmitted, emails_received = result.Notices.EmailsReceived, email_duplicates = result.Notices.EmailDuplicates,
            emails_repeated_across_a_kill = result.Notices.EmailsRepeatedAcrossKill, outbox_unsent = result.OutboxUnsent, dead_letters = result.DeadLetters,
            portal_failover = result.PortalFailover,
            faults = result.Faults, problems = result.Problems,
        });
        return result.Problems.Count == 0 ? 0 : 1;
    }
    case "bare":
        await BareServer.RunAsync(Option("--port", 0), Text("--connection"));
        break;
    case "bare-proxy":
        await BareProxy.RunAsync(Option("--port", 0), Text("--destination"));
        break;
    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}

return 0;

static void Emit(object result) => Console.WriteLine("RESULT " + JsonSerializer.Serialize(result));

static void SelfMemory(string process)
{
    using var self = Process.GetCurrentProcess();
    Console.WriteLine("MEMORY " + JsonSerializer.Serialize(new
    {
        process,
        working_set_mb = Math.Round(self.WorkingSet64 / 1048576.0, 1),
        peak_working_set_mb = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1),
    }));
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

string Text(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : throw new ArgumentException($"{name} is needed");
}
