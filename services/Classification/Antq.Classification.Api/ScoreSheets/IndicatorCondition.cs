using System.Globalization;
using System.Text.RegularExpressions;

namespace Antq.Classification.Api.ScoreSheets;

/// <summary>A condition on one indicator of the catalogue, e.g. <c>PCT_KDC_SAFE &gt;= 80</c>.</summary>
public sealed record IndicatorCondition(string Indicator, string Comparator, decimal Value)
{
    public static readonly IReadOnlyList<string> Comparators = [">", ">=", "=", "<=", "<"];

    static readonly Regex CodePattern = new("^[A-Z][A-Z0-9_]{1,63}$", RegexOptions.CultureInvariant);

    public static bool IsCode(string? code) => code is not null && CodePattern.IsMatch(code);

    public static bool Compare(decimal left, string comparator, decimal right) => comparator switch
    {
        ">" => left > right,
        ">=" => left >= right,
        "=" => left == right,
        "<=" => left <= right,
        "<" => left < right,
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, null),
    };

    /// <summary>True or false from the values; null when the indicator has no value (missing is not zero).</summary>
    public bool? Holds(IReadOnlyDictionary<string, decimal> values) =>
        values.TryGetValue(Indicator, out var value) ? Compare(value, Comparator, Value) : null;

    public override string ToString() => $"{Indicator} {Comparator} {Value.ToString(CultureInfo.InvariantCulture)}";
}
