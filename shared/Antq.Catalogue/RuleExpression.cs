namespace Antq.Indicators;

/// <summary>
/// A catalogue rule: a sum of indicator codes compared with another sum, e.g.
/// <c>CLS_XUAT_SAC + CLS_KHA + CLS_TRUNG_BINH + CLS_YEU &lt;= KDC_TOTAL + ORG_TOTAL</c>. Numbers may stand among the codes.
/// </summary>
public sealed class RuleExpression
{
    static readonly string[] Comparators = ["<=", ">=", "==", "!=", "<", ">", "="];

    RuleExpression(IReadOnlyList<string> left, string comparator, IReadOnlyList<string> right)
    {
        Left = left;
        Comparator = comparator;
        Right = right;
    }

    public IReadOnlyList<string> Left { get; }

    public string Comparator { get; }

    public IReadOnlyList<string> Right { get; }

    public IEnumerable<string> Codes => Left.Concat(Right).Where(t => !decimal.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out _));

    public static RuleExpression Parse(string expression)
    {
        foreach (var comparator in Comparators)
        {
            var at = expression.IndexOf(comparator, StringComparison.Ordinal);
            if (at < 0) continue;
            var left = Terms(expression[..at]);
            var right = Terms(expression[(at + comparator.Length)..]);
            if (left.Count == 0 || right.Count == 0) break;
            return new RuleExpression(left, comparator == "=" ? "==" : comparator, right);
        }

        throw new FormatException($"Biểu thức '{expression}' không đúng dạng 'A + B <= C'.");
    }

    /// <summary>
    /// Whether the rule holds for these values. A rule that names a value the report does not give is not judged
    /// (missing is not zero); it is judged again when the value arrives.
    /// </summary>
    public bool? Holds(Func<string, decimal?> value)
    {
        var left = Sum(Left, value);
        var right = Sum(Right, value);
        if (left is null || right is null) return null;
        return Comparator switch
        {
            "<=" => left <= right,
            ">=" => left >= right,
            "<" => left < right,
            ">" => left > right,
            "==" => left == right,
            "!=" => left != right,
            _ => throw new InvalidOperationException(Comparator),
        };
    }

    static decimal? Sum(IReadOnlyList<string> terms, Func<string, decimal?> value)
    {
        decimal total = 0;
        foreach (var term in terms)
        {
            var number = decimal.TryParse(term, System.Globalization.CultureInfo.InvariantCulture, out var constant) ? constant : value(term);
            if (number is null) return null;
            total += number.Value;
        }

        return total;
    }

    static List<string> Terms(string side)
    {
        var terms = side.Split('+', StringSplitOptions.TrimEntries);
        if (terms.Any(t => t.Length == 0 || !t.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.')))
            return [];
        return [.. terms];
    }
}
