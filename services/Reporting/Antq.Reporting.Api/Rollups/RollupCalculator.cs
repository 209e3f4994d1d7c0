
namespace Antq.Reporting.Api.Rollups;

/// <summary>One aggregated value and how many reports stand behind it. A null value means no report gave one.</summary>
public readonly record struct AggregateValue(decimal? Value, int Reports)
{
    public static readonly AggregateValue None = new(null, 0);
}

/// <summary>
/// The running sum of an entered indicator over a subtree: the sum of the values given and the number of reports that
/// gave one. For a yes/no indicator the sum is the number of "yes". These cells are what a submission adds to and a
/// return subtracts from, at the unit and every ancestor.
/// </summary>
public readonly record struct SubtreeCell(decimal Sum, int Reports);

/// <summary>
/// The aggregation rules of the catalogue's notes, in one place, used both by the live roll-up (from stored subtree
/// cells) and by a full recomputation from the reports.
/// </summary>
public static class RollupCalculator
{
    /// <summary>
    /// The value of every indicator asked in the period at one unit, from its subtree cells, its children's cells (for
    /// means of ratios), and the largest own values in its subtree (for max).
    /// </summary>
    public static Dictionary<string, AggregateValue> Aggregate(
        Catalogue catalogue,
        PeriodKind kind,
        IReadOnlyDictionary<string, SubtreeCell> cells,
        IReadOnlyList<IReadOnlyDictionary<string, SubtreeCell>>? children,
        Func<string, AggregateValue> maxOfOwnValues)
    {
        var result = new Dictionary<string, AggregateValue>(StringComparer.Ordinal);
        foreach (var indicator in catalogue.AskedIn(kind))
        {
            result[indicator.Code] = indicator.Aggregation switch
            {
                Aggregation.Sum or Aggregation.CountTrue => FromCell(cells, indicator.Code),
                Aggregation.Ratio => Ratio(indicator, cells),
                Aggregation.MeanOfRatios => MeanOfRatios(catalogue, indicator, cells, children),
                Aggregation.Max => maxOfOwnValues(indicator.Of!),
                _ => AggregateValue.None,
            };
        }

        return result;
    }

    public static AggregateValue FromCell(IReadOnlyDictionary<string, SubtreeCell> cells, string code) =>
        cells.TryGetValue(code, out var cell) && cell.Reports > 0 ? new AggregateValue(cell.Sum, cell.Reports) : AggregateValue.None;

    /// <summary>
    /// A ratio of sums over the subtree, times the factor; a zero or missing denominator gives no value. Its report
    /// count is the number of reports behind the denominator (the largest count among several denominator codes).
    /// </summary>
    public static AggregateValue Ratio(Indicator indicator, IReadOnlyDictionary<string, SubtreeCell> cells)
    {
        var numerator = SumOf(indicator.Numerator!, cells);
        var denominator = SumOf(indicator.Denominator!, cells);
        var reports = indicator.Denominator!.Select(c => cells.TryGetValue(c, out var cell) ? cell.Reports : 0).Max();
        if (numerator is null || denominator is null or 0) return new AggregateValue(null, reports);
        return new AggregateValue(Math.Round(numerator.Value / denominator.Value * (indicator.Factor ?? 1), 4), reports);
    }

    /// <summary>
    /// At a unit with children: the unweighted mean of the children's values of <c>of</c>, leaving out children with
    /// no value (its report count is the number of children averaged); at a unit without children, its own value.
    /// </summary>
    public static AggregateValue MeanOfRatios(Catalogue catalogue, Indicator indicator,
        IReadOnlyDictionary<string, SubtreeCell> cells, IReadOnlyList<IReadOnlyDictionary<string, SubtreeCell>>? children)
    {
        var of = catalogue.ByCode[indicator.Of!];
        if (children is not { Count: > 0 }) return Ratio(of, cells);
        var values = children.Select(child => Ratio(of, child).Value).Where(v => v is not null).Select(v => v!.Value).ToList();
        return values.Count == 0 ? AggregateValue.None : new AggregateValue(Math.Round(values.Average(), 4), values.Count);
    }

    static decimal? SumOf(IEnumerable<string> codes, IReadOnlyDictionary<string, SubtreeCell> cells)
    {
        decimal? total = null;
        foreach (var code in codes)
        {
            if (cells.TryGetValue(code, out var cell) && cell.Reports > 0) total = (total ?? 0) + cell.Sum;
        }

        return total;
    }
}
