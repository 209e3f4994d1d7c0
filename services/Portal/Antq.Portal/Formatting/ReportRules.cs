using Antq.Portal.Api;

namespace Antq.Portal.Formatting;

/// <summary>
/// The checks a report's values get before anything is sent, with the same messages as the Reporting service: type,
/// sign, size, and the catalogue's rules (a sum of codes compared with another sum; not judged while a value is missing).
/// </summary>
public static class ReportRules
{
    public const decimal MaxValue = 1_000_000_000_000m;
    static readonly string[] Comparators = ["<=", ">=", "==", "!=", "<", ">", "="];

    /// <summary>Reads what was typed for one indicator; the message when it is not acceptable.</summary>
    public static string? CheckTyped(Indicator indicator, string? raw, out decimal? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (indicator.ValueType == "boolean")
        {
            if (raw is "true" or "false")
            {
                value = raw == "true" ? 1 : 0;
                return null;
            }

            return $"\"{indicator.Name}\" phải là có hoặc không.";
        }

        if (!Vn.TryParseNumber(raw, out var number))
        {
            return indicator.ValueType == "integer"
                ? $"\"{indicator.Name}\" phải là số nguyên ({indicator.Unit})."
                : $"\"{indicator.Name}\" phải là một số ({indicator.Unit}).";
        }

        if (number < 0) return $"\"{indicator.Name}\" không được là số âm.";
        if (number > MaxValue) return $"\"{indicator.Name}\" quá lớn (tối đa {Vn.Number(MaxValue)}).";
        if (indicator.ValueType == "integer" && decimal.Truncate(number) != number) return $"\"{indicator.Name}\" phải là số nguyên ({indicator.Unit}).";
        if (indicator.ValueType == "decimal" && decimal.Round(number, 4) != number) return $"\"{indicator.Name}\" có quá nhiều chữ số thập phân (tối đa 4).";
        value = number;
        return null;
    }

    /// <summary>The rules broken by these values, each message under the codes of the rule's left side.</summary>
    public static Dictionary<string, List<string>> CheckRules(IEnumerable<CatalogueRule> rules, IReadOnlyDictionary<string, decimal> values)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (!TryParse(rule.Expression, out var left, out var comparator, out var right)) continue;
            var l = Sum(left, values);
            var r = Sum(right, values);
            if (l is null || r is null) continue;
            var holds = comparator switch
            {
                "<=" => l <= r, ">=" => l >= r, "<" => l < r, ">" => l > r, "==" => l == r, "!=" => l != r, _ => true,
            };
            if (holds) continue;
            foreach (var code in left.Where(t => !decimal.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out _)))
            {
                if (!errors.TryGetValue(code, out var list)) errors[code] = list = [];
                if (!list.Contains(rule.Message)) list.Add(rule.Message);
            }
        }

        return errors;
    }

    /// <summary>What a computed indicator shows for this unit's own values (ratios of sums; the unit's own value for max and means).</summary>
    public static decimal? Computed(Indicator indicator, IReadOnlyDictionary<string, decimal> values)
    {
        switch (indicator.Aggregation)
        {
            case "ratio":
                var num = Sum(indicator.Numerator ?? [], values);
                var den = Sum(indicator.Denominator ?? [], values);
                if (num is null || den is null || den == 0) return null;
                return num / den * (indicator.Factor ?? 1);
            case "max":
            case "meanOfRatios":
                return indicator.Of is { } of && values.TryGetValue(of, out var own) ? own : null;
            default:
                return null;
        }
    }

    static decimal? Sum(IEnumerable<string> terms, IReadOnlyDictionary<string, decimal> values)
    {
        decimal total = 0;
        foreach (var term in terms)
        {
            if (decimal.TryParse(term, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var constant)) total += constant;
            else if (values.TryGetValue(term, out var v)) total += v;
            else return null;
        }

        return total;
    }

    static bool TryParse(string expression, out string[] left, out string comparator, out string[] right)
    {
        foreach (var c in Comparators)
        {
            var at = expression.IndexOf(c, StringComparison.Ordinal);
            if (at < 0) continue;
            left = expression[..at].Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            right = expression[(at + c.Length)..].Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            comparator = c == "=" ? "==" : c;
            return left.Length > 0 && right.Length > 0;
        }

        left = right = [];
        comparator = "";
        return false;
    }
}
