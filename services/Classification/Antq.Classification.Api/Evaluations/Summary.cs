namespace Antq.Classification.Api.Evaluations;

/// <summary>A unit directly below the summarised one, with what Classification knows of it for the year.</summary>
public sealed record SummaryChild(string Code, string Name, string? SubjectKind, string? Class, bool Registered, bool? Recognised,
    IReadOnlyDictionary<string, decimal>? ReportValues);

/// <summary>
/// The classes and recognitions of the units directly below a unit (the units whose scores it approves), their shares,
/// and the values of the catalogue indicators Classification can judge targets on.
/// </summary>
public sealed record Summary(
    int Units,
    IReadOnlyDictionary<string, int> Classes,
    int Classified,
    int Unclassified,
    decimal? PctKhaTroLen,
    int Registered,
    int Recognised,
    int NotRecognised,
    decimal? PctSafe,
    IReadOnlyDictionary<string, decimal> Indicators)
{
    public static readonly string[] SafeIndicators = ["KDC_SAFE", "ORG_SAFE", "PCT_KDC_SAFE", "PCT_ORG_SAFE", "PCT_UNITS_SAFE"];

    static decimal? Pct(decimal numerator, decimal denominator) => denominator == 0 ? null : numerator / denominator * 100m;

    public static Summary Of(IReadOnlyList<SummaryChild> children)
    {
        var classes = MovementClass.Ordered.ToDictionary(c => c, c => children.Count(u => u.Class == c));
        var classified = classes.Values.Sum();
        var subjects = children.Where(c => c.SubjectKind is not null).ToList();
        var recognised = children.Count(c => c.Recognised == true);

        var indicators = new Dictionary<string, decimal>();
        foreach (var (@class, count) in classes) indicators[MovementClass.Indicator(@class)] = count;
        var khaTroLen = Pct(classes[MovementClass.XuatSac] + classes[MovementClass.Kha], classified);
        if (khaTroLen is { } k) indicators["PCT_KHA_TRO_LEN"] = k;

        // Safe counts: from the recognitions decided here where the children are residential areas or organisations
        // (a commune); otherwise (a province, whose children are communes) from the children's accepted annual reports.
        var kdc = children.Where(c => c.SubjectKind == SubjectKinds.ResidentialArea).ToList();
        var org = children.Where(c => c.SubjectKind == SubjectKinds.AgencyEnterpriseSchool).ToList();
        decimal kdcSafe, kdcTotal, orgSafe, orgTotal;
        if (kdc.Count + org.Count > 0)
        {
            kdcSafe = kdc.Count(c => c.Recognised == true); kdcTotal = kdc.Count;
            orgSafe = org.Count(c => c.Recognised == true); orgTotal = org.Count;
        }
        else
        {
            decimal Sum(string code) => children.Sum(c => c.ReportValues is { } v && v.TryGetValue(code, out var x) ? x : 0m);
            kdcSafe = Sum("KDC_SAFE"); kdcTotal = Sum("KDC_TOTAL"); orgSafe = Sum("ORG_SAFE"); orgTotal = Sum("ORG_TOTAL");
        }

        if (kdcTotal > 0) { indicators["KDC_SAFE"] = kdcSafe; indicators["PCT_KDC_SAFE"] = kdcSafe / kdcTotal * 100m; }
        if (orgTotal > 0) { indicators["ORG_SAFE"] = orgSafe; indicators["PCT_ORG_SAFE"] = orgSafe / orgTotal * 100m; }
        if (kdcTotal + orgTotal > 0) indicators["PCT_UNITS_SAFE"] = (kdcSafe + orgSafe) / (kdcTotal + orgTotal) * 100m;

        return new Summary(children.Count, classes, classified, children.Count - classified, khaTroLen,
            children.Count(c => c.Registered), recognised, children.Count(c => c.Recognised == false),
            Pct(recognised, subjects.Count), indicators);
    }

    /// <summary>
    /// The values the unit's own annual report takes from Classification: the class counts of the units below it, and
    /// the recognised residential areas and organisations where it has them.
    /// </summary>
    public IReadOnlyDictionary<string, int> ReportCounts(IReadOnlyList<SummaryChild> children)
    {
        var counts = MovementClass.Ordered.ToDictionary(MovementClass.Indicator, c => Classes[c]);
        if (children.Any(c => c.SubjectKind == SubjectKinds.ResidentialArea))
            counts["KDC_SAFE"] = children.Count(c => c.SubjectKind == SubjectKinds.ResidentialArea && c.Recognised == true);
        if (children.Any(c => c.SubjectKind == SubjectKinds.AgencyEnterpriseSchool))
            counts["ORG_SAFE"] = children.Count(c => c.SubjectKind == SubjectKinds.AgencyEnterpriseSchool && c.Recognised == true);
        return counts;
    }
}

/// <summary>A target judged against an achieved value. Gap = achieved − target (negative: short of it).</summary>
public sealed record TargetVerdict(decimal? Achieved, bool? Attained, decimal? Gap)
{
    /// <summary>The catalogue indicators whose achieved value Classification computes.</summary>
    public static bool Judges(string indicator) =>
        indicator.StartsWith("CLS_", StringComparison.Ordinal) || indicator == "PCT_KHA_TRO_LEN" || Summary.SafeIndicators.Contains(indicator);

    public static TargetVerdict Judge(string comparator, decimal target, decimal? achieved)
    {
        if (achieved is not { } value) return new(null, null, null);
        var rounded = Math.Round(value, 4, MidpointRounding.AwayFromZero);
        return new(rounded, IndicatorCondition.Compare(rounded, comparator, target), rounded - target);
    }
}
