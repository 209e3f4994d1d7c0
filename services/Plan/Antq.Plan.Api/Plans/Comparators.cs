namespace Antq.Plan.Api.Plans;

/// <summary>The comparators and scopes a target may use.</summary>
public static class TargetRules
{
    public static readonly IReadOnlyList<string> Comparators = [">", ">=", "=", "<=", "<"];

    public const string Subtree = "subtree";

    public const string EachChild = "each child";

    public static readonly IReadOnlyList<string> Scopes = [Subtree, EachChild];

    /// <summary>Whether <paramref name="achieved"/> meets a target of <paramref name="comparator"/> <paramref name="value"/>.</summary>
    public static bool IsMet(string comparator, decimal value, decimal achieved) => comparator switch
    {
        ">" => achieved > value,
        ">=" => achieved >= value,
        "=" => achieved == value,
        "<=" => achieved <= value,
        "<" => achieved < value,
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, null),
    };
}
