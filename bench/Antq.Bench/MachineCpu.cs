using System.Globalization;
using Antq.Testing;

namespace Antq.Bench;

/// <summary>
/// CPU seconds used so far, read from /proc: by the platform's own processes, and by the servers and tools beside them
/// (PostgreSQL with its backends, RabbitMQ, this load generator) and the whole machine, so that a measurement can say
/// where each request's CPU went, whatever else the machine is doing.
/// </summary>
static class MachineCpu
{
    public static Dictionary<string, double> Read(PlatformProcesses platform)
    {
        var seconds = new Dictionary<string, double>(platform.CpuSeconds());
        foreach (var (name, value) in ReadServers("load generator")) seconds[name] = value;
        return seconds;
    }

    /// <summary>
    /// PostgreSQL, RabbitMQ, this program (named <paramref name="self"/>: the load generator, or the bus measurement's
    /// own host) and the whole machine, for a measurement without the platform's processes.
    /// </summary>
    public static Dictionary<string, double> ReadServers(string self) => new()
    {
        ["postgresql"] = ByName("postgres", withReapedChildren: true),
        ["rabbitmq"] = ByName("beam.smp", withReapedChildren: true),
        [self] = PlatformProcesses.ProcessCpuSeconds(Environment.ProcessId),
        ["machine"] = Machine(),
    };

    /// <summary>What this program's ended children (wrk runs, once waited for) have used, from /proc/self/stat.</summary>
    public static double ReapedChildren()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (Long(fields[13]) + Long(fields[14])) / 100.0;
    }

    /// <summary>The sum of several steps' CPU per operation, weighted by their operations (for measurements taken in turns).</summary>
    public sealed class Accumulator
    {
        readonly Dictionary<string, double> seconds = new();
        long operations;

        public void Add(Dictionary<string, double> before, Dictionary<string, double> after, long count)
        {
            foreach (var (name, value) in after) seconds[name] = seconds.GetValueOrDefault(name) + value - before.GetValueOrDefault(name);
            operations += count;
        }

        public Dictionary<string, double> PerOperation() => MachineCpu.PerOperation(new Dictionary<string, double>(), seconds, operations);
    }

    /// <summary>CPU ms per operation between two readings, by process (and "machine": every process on it).</summary>
    public static Dictionary<string, double> PerOperation(Dictionary<string, double> before, Dictionary<string, double> after, long operations) =>
        after.ToDictionary(c => c.Key, c => Math.Round((c.Value - before.GetValueOrDefault(c.Key)) * 1000 / Math.Max(1, operations), 2));

    /// <summary>
    /// utime + stime of every process of that name; with <paramref name="withReapedChildren"/> also what their children
    /// that have ended used (PostgreSQL's backends come and go).
    /// </summary>
    static double ByName(string name, bool withReapedChildren)
    {
        double ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                if (stat[(open + 1)..close] != name) continue;
                var fields = stat[(close + 2)..].Split(' ');
                ticks += Long(fields[11]) + Long(fields[12]);
                if (withReapedChildren) ticks += Long(fields[13]) + Long(fields[14]);
            }
            catch (IOException)
            {
                // the process ended while it was read
            }
        }

        return ticks / 100.0;
    }

    /// <summary>Busy time of all cores (user, nice, system, irq, softirq, steal) from /proc/stat.</summary>
    static double Machine()
    {
        var cpu = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(Long).ToArray();
        return (cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7]) / 100.0;
    }

    static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
