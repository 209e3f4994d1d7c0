using Antq.Demo;

// deploy/antq up runs this in local mode once every service is ready (see deploy/antq, "demo season"):
//   ANTQ_MODE=local ANTQ_GATEWAY=http://127.0.0.1:8080/ ANTQ_ADMIN_PASSWORD=… ANTQ_CLOCK_KEY=… \
//   ANTQ_CLOCK_PROCESSES="http://127.0.0.1:5101/ …" dotnet Antq.Demo.dll
// Optional: ANTQ_DEMO_PASSWORD (the demo accounts' password), ANTQ_DEMO_SEED (default 2026), ANTQ_DEMO_CLOCK_FILE (where
// the offset of the demo's clock from real time is written once the season is played).
static string Setting(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new DemoException($"Thiếu biến môi trường {name}.");

try
{
    var mode = Environment.GetEnvironmentVariable("ANTQ_MODE");
    if (!DemoMode.Allowed(mode)) throw new DemoException(DemoMode.Refusal(mode));
    var options = new DemoOptions
    {
        Gateway = new Uri(Setting("ANTQ_GATEWAY").TrimEnd('/') + "/"),
        AdminPassword = Setting("ANTQ_ADMIN_PASSWORD"),
        DemoPassword = Environment.GetEnvironmentVariable("ANTQ_DEMO_PASSWORD") is { Length: > 0 } password ? password : "Demo@2026antq",
        Seed = int.TryParse(Environment.GetEnvironmentVariable("ANTQ_DEMO_SEED"), out var seed) ? seed : 2026,
    };
    var processes = Setting("ANTQ_CLOCK_PROCESSES").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => new Uri(p.TrimEnd('/') + "/")).ToList();
    using var clock = new ProcessClocks(processes, Setting("ANTQ_CLOCK_KEY"));
    var result = await new DemoSeason(options, clock, Console.Out).RunAsync();
    // The demo's clock, for the next start of the processes (deploy/antq keeps it in .antq/demo-clock).
    if (Environment.GetEnvironmentVariable("ANTQ_DEMO_CLOCK_FILE") is { Length: > 0 } clockFile)
        await File.WriteAllTextAsync(clockFile, ((await clock.NowAsync()) - DateTimeOffset.UtcNow).ToString("c", System.Globalization.CultureInfo.InvariantCulture) + "\n");
    foreach (var p in result.Periods)
    {
        var share = p.Expected == 0 ? 0 : 100.0 * p.Submitted / p.Expected;
        Console.WriteLine($"[demo] {p.Period}: {p.Submitted}/{p.Expected} đã nộp ({share:0}%), {p.OnTime} đúng hạn, {p.Late} muộn, {p.Missing} chưa nộp" +
            (p.ReturnedAndResubmitted is { } r ? $", {r} trả lại và nộp lại" : ""));
    }

    if (!result.AlreadySeeded)
        Console.WriteLine($"[demo] Mùa báo cáo minh hoạ đã nạp trong {result.Elapsed.TotalSeconds:0.0} giây; {result.Classified2025} xã đã phân loại năm 2025.");
    return 0;
}
catch (DemoException ex)
{
    Console.Error.WriteLine($"[demo] {ex.Message}");
    return 1;
}
