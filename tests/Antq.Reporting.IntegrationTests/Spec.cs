using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Testing;

namespace Antq.Reporting.IntegrationTests;

public sealed record SpecIndicator(string Code, string Name, string Unit, string ValueType, string Aggregation, string[] Periods, bool Computed,
    string[]? Numerator, string[]? Denominator, decimal? Factor, string? Of)
{
    public bool AskedIn(string kind) => Periods.Contains(kind);
}

public sealed record SpecRule(string Code, string[] Left, string[] Right, string Message);

/// <summary>
/// The catalogue's specification (../shared/data/catalog/antq-indicators.json), read here on its own so that the
/// expected roll-ups are computed from the notes independently of the service's code.
/// </summary>
public sealed class Spec
{
    public required List<SpecIndicator> Indicators { get; init; }
    public required List<SpecRule> Rules { get; init; }
    public Dictionary<string, SpecIndicator> ByCode => Indicators.ToDictionary(i => i.Code);

    public static readonly Spec Catalogue = Load();

    static Spec Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestEnvironment.SharedFile("data", "catalog", "antq-indicators.json")));
        var indicators = doc.RootElement.GetProperty("indicators").EnumerateArray().Select(i => new SpecIndicator(
            i.GetProperty("code").GetString()!, i.GetProperty("name").GetString()!, i.GetProperty("unit").GetString()!,
            i.GetProperty("valueType").GetString()!, i.GetProperty("aggregation").GetString()!,
            [.. i.GetProperty("periods").EnumerateArray().Select(p => p.GetString()!)],
            i.TryGetProperty("computed", out var c) && c.GetBoolean(),
            i.TryGetProperty("numerator", out var n) ? [.. n.EnumerateArray().Select(x => x.GetString()!)] : null,
            i.TryGetProperty("denominator", out var d) ? [.. d.EnumerateArray().Select(x => x.GetString()!)] : null,
            i.TryGetProperty("factor", out var f) ? f.GetDecimal() : null,
            i.TryGetProperty("of", out var o) ? o.GetString() : null)).ToList();
        var rules = doc.RootElement.GetProperty("rules").EnumerateArray().Select(r =>
        {
            var parts = r.GetProperty("expression").GetString()!.Split("<=");
            return new SpecRule(r.GetProperty("code").GetString()!, Terms(parts[0]), Terms(parts[1]), r.GetProperty("message").GetString()!);
        }).ToList();
        return new Spec { Indicators = indicators, Rules = rules };
    }

    static string[] Terms(string side) => [.. side.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    public IEnumerable<SpecIndicator> Entered(string kind) => Indicators.Where(i => !i.Computed && i.AskedIn(kind));

    /// <summary>
    /// Random values that keep every rule: each code drawn by its type, some left out (missing is not zero), then the
    /// left side of every broken rule scaled down (no code is on the left of one rule and the right of another).
    /// </summary>
    public Dictionary<string, decimal> RandomValues(string kind, Random random, double missing = 0.15)
    {
        var inRules = Rules.SelectMany(r => r.Left.Concat(r.Right)).ToHashSet();
        var values = new Dictionary<string, decimal>();
        foreach (var indicator in Entered(kind))
        {
            if (!inRules.Contains(indicator.Code) && random.NextDouble() < missing) continue;
            values[indicator.Code] = indicator.ValueType switch
            {
                "boolean" => random.Next(2),
                "decimal" => Math.Round((decimal)random.NextDouble() * 5000, random.Next(0, 4)),
                _ => random.Next(0, 120),
            };
        }

        foreach (var rule in Rules)
        {
            if (!rule.Left.Concat(rule.Right).All(values.ContainsKey)) continue;
            var left = rule.Left.Sum(c => values[c]);
            var right = rule.Right.Sum(c => values[c]);
            if (left <= right) continue;
            foreach (var code in rule.Left) values[code] = Math.Floor(values[code] * right / left);
        }

        return values;
    }

    /// <summary>The JSON body of a save: yes/no indicators as true/false, numbers as numbers.</summary>
    public Dictionary<string, JsonNode?> Body(IReadOnlyDictionary<string, decimal> values) =>
        values.ToDictionary(v => v.Key, v => ByCode[v.Key].ValueType == "boolean" ? (JsonNode?)JsonValue.Create(v.Value != 0) : JsonValue.Create(v.Value));

    /// <summary>
    /// The expected roll-up of <paramref name="unit"/> from the catalogue's notes: <paramref name="counted"/> holds the own
    /// values of every unit whose report is submitted or accepted.
    /// </summary>
    public Dictionary<string, (decimal? Value, int Reports)> Expected(string kind, string unit, DateOnly at, UnitLists tree,
        IReadOnlyDictionary<string, Dictionary<string, decimal>> counted)
    {
        var result = new Dictionary<string, (decimal?, int)>();
        // Only units that reported can contribute; the subtree walk is over the real tree (thousands of units at the root).
        foreach (var indicator in Indicators.Where(i => i.AskedIn(kind)))
            result[indicator.Code] = Value(indicator, unit, at, tree, counted);
        return result;
    }

    (decimal? Value, int Reports) Value(SpecIndicator indicator, string unit, DateOnly at, UnitLists tree,
        IReadOnlyDictionary<string, Dictionary<string, decimal>> counted)
    {
        if (indicator.Aggregation == "meanOfRatios")
        {
            var of = ByCode[indicator.Of!];
            var children = tree.ChildrenOf(unit, at).ToList();
            if (children.Count == 0) return Value(of, unit, at, tree, counted);
            var values = children.Select(c => Value(of, c.Code, at, tree, counted).Value).Where(v => v is not null).Select(v => v!.Value).ToList();
            return values.Count == 0 ? (null, 0) : (values.Average(), values.Count);
        }

        return OverReports(indicator, [.. Subtree(unit, at, tree).Where(counted.ContainsKey).Select(u => counted[u])]);
    }

    /// <summary>
    /// The catalogue's rules over a set of counted reports' own values (sum, count of yes, ratio of sums, max), as its
    /// notes define them; means of ratios need the tree and are taken above.
    /// </summary>
    public (decimal? Value, int Reports) OverReports(SpecIndicator indicator, IReadOnlyList<Dictionary<string, decimal>> own)
    {
        switch (indicator.Aggregation)
        {
            case "sum":
            case "countTrue":
            {
                // countTrue: yes is 1, no is 0, so the count of "yes" is the sum.
                var given = own.Where(v => v.ContainsKey(indicator.Code)).Select(v => v[indicator.Code]).ToList();
                return given.Count == 0 ? (null, 0) : (given.Sum(), given.Count);
            }
            case "ratio":
            {
                decimal? SumOf(string[] codes)
                {
                    decimal? total = null;
                    foreach (var code in codes)
                    {
                        var given = own.Where(v => v.ContainsKey(code)).Select(v => v[code]).ToList();
                        if (given.Count > 0) total = (total ?? 0) + given.Sum();
                    }

                    return total;
                }

                var reports = indicator.Denominator!.Max(code => own.Count(v => v.ContainsKey(code)));
                var numerator = SumOf(indicator.Numerator!);
                var denominator = SumOf(indicator.Denominator!);
                if (numerator is null || denominator is null || denominator == 0) return (null, reports);
                return (numerator / denominator * (indicator.Factor ?? 1), reports);
            }
            case "max":
            {
                var given = own.Where(v => v.ContainsKey(indicator.Of!)).Select(v => v[indicator.Of!]).ToList();
                return given.Count == 0 ? (null, 0) : (given.Max(), given.Count);
            }
            default:
                throw new InvalidOperationException(indicator.Aggregation);
        }
    }

    static IEnumerable<string> Subtree(string unit, DateOnly at, UnitLists tree)
    {
        yield return unit;
        foreach (var child in tree.ChildrenOf(unit, at))
            foreach (var code in Subtree(child.Code, at, tree)) yield return code;
    }

    /// <summary>Asserts that a roll-up answer holds exactly the expected value and report count of every indicator asked.</summary>
    public static void AssertRollup(Dictionary<string, (decimal? Value, int Reports)> expected, JsonElement rollup, string label)
    {
        var values = rollup.GetProperty("values");
        Assert.Equal(expected.Keys.Order(), values.EnumerateObject().Select(p => p.Name).Order());
        foreach (var (code, (value, reports)) in expected)
        {
            var actual = values.GetProperty(code);
            Assert.True(reports == actual.GetProperty("reports").GetInt32(),
                $"{label} {code}: expected {reports} reports, got {actual.GetProperty("reports")}");
            var v = actual.GetProperty("value");
            if (value is null)
            {
                Assert.True(v.ValueKind == JsonValueKind.Null, $"{label} {code}: expected no value, got {v}");
                continue;
            }

            Assert.True(v.ValueKind == JsonValueKind.Number, $"{label} {code}: expected {value}, got {v}");
            var got = v.GetDecimal();
            // Ratios are shown to 4 decimals; sums, counts and maxima are exact.
            var tolerance = Spec.Catalogue.ByCode[code].Aggregation is "ratio" or "meanOfRatios" ? 0.0001m : 0m;
            Assert.True(Math.Abs(got - value.Value) <= tolerance,
                $"{label} {code}: expected {value.Value.ToString(CultureInfo.InvariantCulture)}, got {got.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}
