using Antq.Testing.Load;

namespace Antq.Bench;

/// <summary>
/// One side of a search for the highest sustained rate (ours, or its reference): the highest rate seen sustained and
/// the lowest seen not sustained. The next rate doubles until a rate is not sustained, then bisects (geometric mean)
/// between the two until they are within <see cref="Precision"/> of each other.
/// </summary>
sealed class RateSearch(string name, Func<long, Task<bool>> operation, double start, double ceiling)
{
    /// <summary>The search ends when the lowest rate not sustained is at most this much above the highest sustained.</summary>
    public const double Precision = 0.05;

    /// <summary>Below this a side is taken to sustain nothing.</summary>
    const double Floor = 1;

    public string Name => name;

    public Func<long, Task<bool>> Operation => operation;

    /// <summary>The highest rate sustained so far (0: none yet).</summary>
    public double Sustained { get; private set; }

    /// <summary>The lowest rate not sustained so far (0: none yet).</summary>
    public double NotSustained { get; private set; }

    public List<OpenLoopResult> Steps { get; } = [];

    /// <summary>The search went past its ceiling without a rate failing: <see cref="Sustained"/> is a lower bound.</summary>
    public bool ReachedCeiling => NotSustained == 0 && Next > ceiling;

    public double Next => (Sustained, NotSustained) switch
    {
        (0, 0) => start,
        (_, 0) => Sustained * 2,
        (0, _) => NotSustained / 2,
        _ => Math.Sqrt(Sustained * NotSustained),
    };

    public bool Done => NotSustained == 0
        ? Next > ceiling
        : Sustained > 0 ? NotSustained <= Sustained * (1 + Precision) : NotSustained <= Floor;

    public void Record(OpenLoopResult result, bool sustained)
    {
        Steps.Add(result);
        if (sustained) Sustained = Math.Max(Sustained, result.OfferedPerSecond);
        else NotSustained = NotSustained == 0 ? result.OfferedPerSecond : Math.Min(NotSustained, result.OfferedPerSecond);
    }

    /// <summary>
    /// Searches every side at once, round by round: each round, every side not yet done takes one step, one side after
    /// the other, and the order flips each round so that neither side always meets the other's trailing work. While no
    /// side has failed, all are offered the same rates (they start alike and double alike). <paramref name="settle"/>
    /// runs after every step.
    /// </summary>
    public static async Task SearchAsync(IReadOnlyList<RateSearch> sides, TimeSpan step, Func<OpenLoopResult, bool> isSustained,
        Func<Task> settle, Action<string> log)
    {
        for (var round = 1; sides.Any(s => !s.Done); round++)
        {
            var order = round % 2 == 1 ? sides : sides.Reverse().ToList();
            foreach (var side in order.Where(s => !s.Done))
            {
                var result = await OpenLoop.RunAsync(side.Next, step, side.Operation, TimeSpan.FromSeconds(20));
                var sustained = isSustained(result);
                side.Record(result, sustained);
                log($"round {round} {side.Name}: {(sustained ? "sustained" : "NOT sustained")}: {result}");
                await settle();
            }
        }
    }

    public override string ToString() =>
        $"{name}: highest sustained {Sustained:F1}/s, lowest not sustained {(NotSustained == 0 ? "none" : NotSustained.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "/s")}, {Steps.Count} steps" +
        (ReachedCeiling ? $" (stopped at the ceiling of {ceiling}/s)" : "");
}
