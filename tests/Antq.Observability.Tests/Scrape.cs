using System.Globalization;
using System.Text.RegularExpressions;

namespace Antq.Observability.Tests;

/// <summary>One scrape of a process's <c>/metrics</c> (Prometheus' text format), read sample by sample.</summary>
public sealed partial class Scrape
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public Scrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var match = SampleLine().Match(line.TrimEnd('\r'));
            if (!match.Success) throw new FormatException($"Not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in Label().Matches(match.Groups["labels"].Value))
                labels[label.Groups[1].Value] = Regex.Unescape(label.Groups[2].Value);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            Samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }
    }

    public string Text { get; }

    public List<Sample> Samples { get; } = [];

    /// <summary>Whether a metric family of this name is declared (a <c># TYPE</c> line), with or without samples.</summary>
    public bool Declares(string name) => Text.Contains($"# TYPE {name} ", StringComparison.Ordinal);

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    /// <summary>The samples named <paramref name="name"/>.</summary>
    public IEnumerable<Sample> Of(string name) => Samples.Where(s => s.Name == name);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+-?\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Label();
}
