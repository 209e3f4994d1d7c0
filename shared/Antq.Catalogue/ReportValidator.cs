using Antq.Calendar;
using System.Globalization;
using System.Text.Json;

namespace Antq.Indicators;

/// <summary>
/// Checks a report's values against the catalogue: codes, types, signs, the period, and (on submission) the rules.
/// Every message is Vietnamese and keyed by the indicator it is about. The one implementation: the Reporting service
/// judges saves, spreadsheet uploads and submissions with it, the portal its form before anything is sent.
/// </summary>
public static class ReportValidator
{
    /// <summary>Largest value accepted; a larger number is a typing error, and it keeps sums far from overflow.</summary>
    public const decimal MaxValue = 1_000_000_000_000m;

    /// <summary>
    /// Reads the values of a save. A JSON null clears a value. Returns the values (boolean true/false as 1/0) and the
    /// errors by code; when there is any error nothing may be stored.
    /// </summary>
    public static (Dictionary<string, decimal?> Values, Dictionary<string, List<string>> Errors) ReadValues(
        Catalogue catalogue, PeriodKind kind, IReadOnlyDictionary<string, JsonElement> input)
    {
        var values = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (code, element) in input)
        {
            if (CodeProblem(catalogue, kind, code, out var indicator) is { } codeProblem)
            {
                Add(errors, code, codeProblem);
                continue;
            }

            if (element.ValueKind == JsonValueKind.Null)
            {
                values[code] = null;
                continue;
            }

            if (ReadValue(indicator, element) is { } problem)
            {
                Add(errors, code, problem.Message);
                continue;
            }

            values[code] = ReadValue(indicator, element, out var value) ? value : null;
        }

        return (values, errors);
    }

    /// <summary>Whether a code may be entered in a report of the period: known, not computed, asked in the period; null when it may.</summary>
    public static string? CodeProblem(Catalogue catalogue, PeriodKind kind, string code, out Indicator indicator)
    {
        if (!catalogue.ByCode.TryGetValue(code, out indicator!)) return "Mã chỉ tiêu không có trong danh mục.";
        if (indicator.Computed) return $"\"{indicator.Name}\" được tính tự động từ các chỉ tiêu khác, không nhập trực tiếp.";
        if (!indicator.IsAskedIn(kind)) return $"\"{indicator.Name}\" không thuộc báo cáo {ReportingPeriod.KindName(kind)}.";
        return null;
    }

    /// <summary>Checks a typed value (from JSON or a spreadsheet cell) of one indicator; null when it is acceptable.</summary>
    public static string? Check(Indicator indicator, decimal value)
    {
        if (value < 0) return $"\"{indicator.Name}\" không được là số âm.";
        if (value > MaxValue) return $"\"{indicator.Name}\" quá lớn (tối đa {MaxValue.ToString("N0", Vietnamese)}).";
        if (indicator.ValueType == ValueType.Integer && decimal.Truncate(value) != value)
            return $"\"{indicator.Name}\" phải là số nguyên ({indicator.Unit}).";
        if (indicator.ValueType == ValueType.Decimal && decimal.Round(value, 4) != value)
            return $"\"{indicator.Name}\" có quá nhiều chữ số thập phân (tối đa 4).";
        return null;
    }

    /// <summary>Runs every rule of the catalogue that the period's values can be judged by.</summary>
    public static Dictionary<string, List<string>> CheckRules(Catalogue catalogue, IReadOnlyDictionary<string, decimal> values)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var rule in catalogue.Rules)
        {
            var expression = RuleExpression.Parse(rule.Expression);
            if (expression.Holds(code => values.TryGetValue(code, out var v) ? v : null) == false)
            {
                foreach (var code in expression.Left.Where(catalogue.ByCode.ContainsKey)) Add(errors, code, rule.Message);
            }
        }

        return errors;
    }

    static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    sealed record Problem(string Message);

    static Problem? ReadValue(Indicator indicator, JsonElement element) =>
        ReadValue(indicator, element, out var value) ? (Check(indicator, value!.Value) is { } message ? new Problem(message) : null)
        : new Problem(TypeMessage(indicator));

    static bool ReadValue(Indicator indicator, JsonElement element, out decimal? value)
    {
        value = null;
        if (indicator.ValueType == ValueType.Boolean)
        {
            if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                value = element.ValueKind == JsonValueKind.True ? 1 : 0;
                return true;
            }

            return false;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDecimal(out var number)) return false;
        value = number;
        return true;
    }

    /// <summary>The message for a value of the wrong type (text where a number is asked, a number where yes/no is asked).</summary>
    public static string TypeMessage(Indicator indicator) => indicator.ValueType switch
    {
        ValueType.Boolean => $"\"{indicator.Name}\" phải là có hoặc không (true/false).",
        ValueType.Integer => $"\"{indicator.Name}\" phải là số nguyên ({indicator.Unit}).",
        _ => $"\"{indicator.Name}\" phải là một số ({indicator.Unit}).",
    };

    static void Add(Dictionary<string, List<string>> errors, string code, string message)
    {
        if (!errors.TryGetValue(code, out var list)) errors[code] = list = [];
        if (!list.Contains(message)) list.Add(message);
    }
}
