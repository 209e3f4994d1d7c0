using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Antq.Testing.Load;

/// <summary>
/// A commune's full report for a period, as load generators send it: every indicator of the default catalogue that the
/// period asks for and that people type in (computed ones left out), with values that keep every rule of the catalogue,
/// and all five narrative sections. The same seed gives the same report, so a generator can add up what it sent.
/// </summary>
public sealed class FullReport
{
    readonly List<(string Code, string Type, string[] Periods)> indicators = [];
    readonly List<(string[] Left, string[] Right)> rules = [];
    readonly List<string> sections = [];

    public FullReport(string? catalogueFile = null)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(catalogueFile ?? TestEnvironment.SharedFile("data", "catalog", "antq-indicators.json")));
        foreach (var indicator in doc.RootElement.GetProperty("indicators").EnumerateArray())
        {
            if (indicator.TryGetProperty("computed", out var computed) && computed.GetBoolean()) continue;
            indicators.Add((indicator.GetProperty("code").GetString()!, indicator.GetProperty("valueType").GetString()!,
                [.. indicator.GetProperty("periods").EnumerateArray().Select(p => p.GetString()!)]));
        }

        // Every rule of the default catalogue reads "A + B <= C + D".
        foreach (var rule in doc.RootElement.GetProperty("rules").EnumerateArray())
        {
            var parts = rule.GetProperty("expression").GetString()!.Split("<=");
            static string[] Codes(string side) => [.. side.Split('+').Select(c => c.Trim())];
            if (parts.Length == 2) rules.Add((Codes(parts[0]), Codes(parts[1])));
        }

        sections.AddRange(doc.RootElement.GetProperty("narrativeSections").EnumerateArray().Select(s => s.GetProperty("code").GetString()!));
    }

    /// <summary>The values of the report with this seed for a period ("2026-H1", "2026-Y"): booleans as 1/0, as the roll-up counts them.</summary>
    public Dictionary<string, decimal> Values(string period, int seed)
    {
        var kind = period.EndsWith("-Y", StringComparison.Ordinal) ? "Y" : "H1";
        var random = new Random(seed);
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (code, type, periods) in indicators)
        {
            if (!periods.Contains(kind)) continue;
            values[code] = type switch
            {
                "boolean" => random.Next(2),
                "decimal" => Math.Round((decimal)random.NextDouble() * 500, 1),
                _ => random.Next(0, 60),
            };
        }

        // Scale each rule's left side down until it fits under its right side (the rules share no left-side codes
        // with right sides, so one pass keeps all of them).
        foreach (var (left, right) in rules)
        {
            if (!left.All(values.ContainsKey) || !right.All(values.ContainsKey)) continue;
            var limit = right.Sum(c => values[c]);
            var sum = left.Sum(c => values[c]);
            if (sum <= limit) continue;
            foreach (var code in left) values[code] = sum == 0 ? 0 : Math.Floor(values[code] * limit / sum);
        }

        return values;
    }

    /// <summary>The JSON body of <c>PUT /api/reports/{code}/{period}</c> for the report with this seed.</summary>
    public string Body(string period, int seed)
    {
        var values = new JsonObject();
        foreach (var (code, value) in Values(period, seed))
        {
            var type = indicators.First(i => i.Code == code).Type;
            values[code] = type == "boolean" ? JsonValue.Create(value == 1) : JsonValue.Create(value);
        }

        var narrative = new JsonObject();
        foreach (var section in sections)
        {
            narrative[section] = string.Create(CultureInfo.InvariantCulture,
                $"Mục {section} của báo cáo số {seed}: tình hình an ninh, trật tự trên địa bàn cơ bản ổn định; đã triển khai đầy đủ các nhiệm vụ theo kế hoạch.");
        }

        return new JsonObject { ["values"] = values, ["narrative"] = narrative }.ToJsonString();
    }
}
