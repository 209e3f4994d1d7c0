using System.Globalization;
using Antq.Indicators;
using Antq.Portal.Formatting;
using ValueType = Antq.Indicators.ValueType;

namespace Antq.Portal.Reports;

/// <summary>
/// The report form's values, from what was typed in it (by indicator code), checked as the Reporting service checks them:
/// the checks, the catalogue's rules and their Vietnamese messages are the catalogue library's (<see cref="ReportValidator"/>),
/// the catalogue is the one in force for the period as the service answers it. Only reading the typed text is the portal's:
/// numbers the Vietnamese way (1.234,5) or the computer way, yes/no as the form's list gives it ("true", "false").
/// </summary>
public static class ReportFormValues
{
    /// <summary>
    /// Reads what was typed for one indicator: its value (yes/no as 1/0; none when left blank), or the message the service
    /// would refuse it with.
    /// </summary>
    public static string? Read(Indicator indicator, string? typed, out decimal? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(typed)) return null;
        decimal number;
        if (indicator.ValueType == ValueType.Boolean)
        {
            if (typed is not ("true" or "false")) return ReportValidator.TypeMessage(indicator);
            number = typed == "true" ? 1 : 0;
        }
        else if (!Vn.TryParseNumber(typed, out number))
        {
            return ReportValidator.TypeMessage(indicator);
        }

        if (ReportValidator.Check(indicator, number) is { } problem) return problem;
        value = number;
        return null;
    }

    /// <summary>The values typed acceptably, by code (yes/no as 1/0): what the rules are judged on.</summary>
    public static Dictionary<string, decimal> Values(Catalogue catalogue, IReadOnlyDictionary<string, string?> typed)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var indicator in catalogue.Indicators.Where(i => i.IsEntered))
        {
            if (Read(indicator, typed.GetValueOrDefault(indicator.Code), out var value) is null && value is { } v) values[indicator.Code] = v;
        }

        return values;
    }

    /// <summary>
    /// Every error of the form by indicator code: first what the service would refuse a save for (type, sign, size), then
    /// the rules it would refuse the submission for, each message under the codes of the rule's left side.
    /// </summary>
    public static Dictionary<string, List<string>> Errors(Catalogue catalogue, IReadOnlyDictionary<string, string?> typed)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var indicator in catalogue.Indicators.Where(i => i.IsEntered))
        {
            if (Read(indicator, typed.GetValueOrDefault(indicator.Code), out _) is { } error) errors[indicator.Code] = [error];
        }

        foreach (var (code, messages) in ReportValidator.CheckRules(catalogue, Values(catalogue, typed)))
        {
            if (!errors.TryGetValue(code, out var list)) errors[code] = list = [];
            list.AddRange(messages.Where(m => !list.Contains(m)));
        }

        return errors;
    }

    /// <summary>Whether a typed value would be refused on saving; broken rules only stop the submission.</summary>
    public static bool HasValueErrors(Catalogue catalogue, IReadOnlyDictionary<string, string?> typed) =>
        catalogue.Indicators.Where(i => i.IsEntered).Any(i => Read(i, typed.GetValueOrDefault(i.Code), out _) is not null);

    /// <summary>A value as the service takes it in a save: a number, true/false for yes/no, null to clear it.</summary>
    public static object? ToSend(Indicator indicator, decimal? value) =>
        value is not { } v ? null : indicator.ValueType == ValueType.Boolean ? v == 1 : v;

    /// <summary>What a computed indicator shows for this unit's own values (ratios of sums; the unit's own value for max and means).</summary>
    public static decimal? Computed(Indicator indicator, IReadOnlyDictionary<string, decimal> values)
    {
        switch (indicator.Aggregation)
        {
            case Aggregation.Ratio:
                var num = Sum(indicator.Numerator ?? [], values);
                var den = Sum(indicator.Denominator ?? [], values);
                if (num is null || den is null || den == 0) return null;
                return num / den * (indicator.Factor ?? 1);
            case Aggregation.Max:
            case Aggregation.MeanOfRatios:
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
            if (decimal.TryParse(term, NumberStyles.Number, CultureInfo.InvariantCulture, out var constant)) total += constant;
            else if (values.TryGetValue(term, out var v)) total += v;
            else return null;
        }

        return total;
    }
}
