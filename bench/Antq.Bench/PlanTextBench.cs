using System.Diagnostics;
using Antq.Plan.Api.PlanText;
using Antq.Testing;

namespace Antq.Bench;

/// <summary>
/// plantext: the Plan service's plan reader (PlanTextReader) on a long text, in process: the three real plans of
/// ../shared/data/plans end to end, repeated to 1 MB and to 2 MB. Goal (issue 24): 2 MB read in under 2 s on this
/// machine, and roughly linear (the 2 MB read about twice the 1 MB one). Wall and CPU time (of this process) of each
/// read; median of a few turns after a warm-up read.
/// </summary>
public static class PlanTextBench
{
    public const double GoalSeconds = 2.0;

    public static object Run(int turns, Action<string> log)
    {
        var seed = string.Concat(new[] { "2022-tuyen-quang-province", "2023-minh-tien-commune", "2024-binh-thuan-province" }
            .Select(n => File.ReadAllText(TestEnvironment.SharedFile("data", "plans", n + ".txt")) + "\n\n"));
        var catalogue = IndicatorCatalogue.Default;
        PlanTextReader.Read(seed, catalogue); // warm-up: regexes compiled, code jitted

        var one = Repeat(seed, 1 << 20);
        var two = Repeat(seed, 2 << 20);
        var oneMb = Measure(one, catalogue, turns, log);
        var twoMb = Measure(two, catalogue, turns, log);
        var problems = new List<string>();
        if (twoMb.Wall > GoalSeconds) problems.Add($"2 MB read in {twoMb.Wall:F2} s, goal < {GoalSeconds} s");
        return new
        {
            name = "plantext",
            ours = Math.Round(twoMb.Wall, 3),
            reference = GoalSeconds,
            ratio = Math.Round(twoMb.Wall / GoalSeconds, 3),
            seconds = Math.Round(twoMb.Wall, 3),
            units = $"seconds (median of {turns}) to read {two.Length / 1048576.0:F1} M characters of plan text (the three real plans repeated) into a draft with PlanTextReader, in process; reference = the goal (2 s); ratio = ours / goal (lower is better)",
            cpu_seconds_2mb = Math.Round(twoMb.Cpu, 3),
            wall_seconds_1mb = Math.Round(oneMb.Wall, 3),
            cpu_seconds_1mb = Math.Round(oneMb.Cpu, 3),
            growth_2mb_over_1mb = Math.Round(twoMb.Wall / oneMb.Wall, 2),
            targets_read_2mb = twoMb.Targets,
            problems,
        };
    }

    static string Repeat(string seed, int length)
    {
        var builder = new System.Text.StringBuilder(length + seed.Length);
        while (builder.Length < length) builder.Append(seed);
        return builder.ToString();
    }

    static (double Wall, double Cpu, int Targets) Measure(string text, IReadOnlyList<CatalogueIndicator> catalogue, int turns, Action<string> log)
    {
        var walls = new List<double>();
        var cpus = new List<double>();
        var targets = 0;
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < turns; i++)
        {
            GC.Collect();
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            targets = PlanTextReader.Read(text, catalogue).Targets.Count;
            var wall = clock.Elapsed.TotalSeconds;
            self.Refresh();
            walls.Add(wall);
            cpus.Add((self.TotalProcessorTime - cpu).TotalSeconds);
            log($"plantext {text.Length / 1048576.0:F1} M characters: {wall:F3} s wall, {cpus[^1]:F3} s CPU, {targets} targets");
        }

        walls.Sort();
        cpus.Sort();
        return (walls[walls.Count / 2], cpus[cpus.Count / 2], targets);
    }
}
