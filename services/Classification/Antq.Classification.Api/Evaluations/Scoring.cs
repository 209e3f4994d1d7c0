namespace Antq.Classification.Api.Evaluations;

/// <summary>One criterion's scores on a unit's sheet.</summary>
public sealed record CriterionScore(Criterion Criterion, decimal? Self, decimal? Approved, decimal? Computed)
{
    /// <summary>What counts for the self total: the computed score for a computed criterion, the self score otherwise.</summary>
    public decimal? SelfValue => Criterion.IsComputed ? Computed : Self;

    /// <summary>What counts for the approved total: the computed score for a computed criterion, the approved score otherwise.</summary>
    public decimal? ApprovedValue => Criterion.IsComputed ? Computed : Approved;
}

public sealed record DisqualifierState(Disqualifier Disqualifier, bool? Applies);

/// <summary>
/// A unit's sheet scored. The class is decided on the approved total, and only once every hand-scored criterion has an
/// approved score and every computed criterion a value; then the disqualifiers that apply cap it.
/// </summary>
public sealed record ScoredSheet(
    IReadOnlyList<CriterionScore> Criteria,
    IReadOnlyList<DisqualifierState> Disqualifiers,
    decimal SelfTotal,
    bool SelfComplete,
    decimal ApprovedTotal,
    bool ApprovedComplete,
    string? ClassByScore,
    string? Class)
{
    /// <summary>What is still missing before a class can be decided, in Vietnamese.</summary>
    public IReadOnlyList<string> Missing =>
    [
        .. Criteria.Where(c => !c.Criterion.IsComputed && c.Approved is null)
            .Select(c => $"Tiêu chí {c.Criterion.Code} \"{c.Criterion.Name}\" chưa có điểm của cấp trên."),
        .. Criteria.Where(c => c.Criterion.IsComputed && c.Computed is null)
            .Select(c => $"Tiêu chí {c.Criterion.Code} \"{c.Criterion.Name}\" chưa có số liệu {c.Criterion.Rule!.Indicator} từ báo cáo tổng kết năm đã được tiếp nhận."),
    ];
}

public static class Scoring
{
    public static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    /// <param name="values">The unit's accepted annual report values by indicator code; empty when there is none yet.</param>
    /// <param name="marks">Disqualifiers the approving level marked (true: it applies).</param>
    public static ScoredSheet Score(ScoreSheet sheet, IReadOnlyDictionary<string, decimal> self, IReadOnlyDictionary<string, decimal> approved,
        IReadOnlyDictionary<string, bool> marks, IReadOnlyDictionary<string, decimal> values)
    {
        var criteria = sheet.Criteria.Select(c => new CriterionScore(c,
            c.IsComputed ? null : self.TryGetValue(c.Code, out var s) ? s : null,
            c.IsComputed ? null : approved.TryGetValue(c.Code, out var a) ? a : null,
            c.Rule?.Score(c.Max, values))).ToList();

        var disqualifiers = sheet.Disqualifiers.Select(d => new DisqualifierState(d,
            d.When is { } when ? when.Holds(values) : marks.TryGetValue(d.Code, out var m) ? m : null)).ToList();

        var selfTotal = Round(criteria.Sum(c => c.SelfValue ?? 0));
        var approvedTotal = Round(criteria.Sum(c => c.ApprovedValue ?? 0));
        var selfComplete = criteria.All(c => c.SelfValue is not null);
        var approvedComplete = criteria.All(c => c.ApprovedValue is not null);

        string? byScore = null, @class = null;
        if (approvedComplete)
        {
            byScore = sheet.Cutoffs.ClassOf(approvedTotal);
            @class = disqualifiers.Where(d => d.Applies == true)
                .Aggregate(byScore, (current, d) => MovementClass.Worse(current, d.Disqualifier.CapClass));
        }

        return new ScoredSheet(criteria, disqualifiers, selfTotal, selfComplete, approvedTotal, approvedComplete, byScore, @class);
    }

    /// <summary>
    /// Checks hand scores against the sheet: known criteria, not computed ones, within 0..maximum. Errors are keyed by
    /// criterion code; <paramref name="what"/> names the score in the message ("Điểm tự chấm").
    /// </summary>
    public static void CheckScores(ScoreSheet sheet, IReadOnlyDictionary<string, decimal?>? scores, string what, Dictionary<string, List<string>> errors)
    {
        foreach (var (code, score) in scores ?? new Dictionary<string, decimal?>())
        {
            var criterion = sheet.Find(code);
            string? message = null;
            if (criterion is null)
                message = $"Bảng chấm điểm năm {sheet.Year} không có tiêu chí {code}.";
            else if (criterion.IsComputed)
                message = $"Tiêu chí {code} \"{criterion.Name}\" được tính tự động từ báo cáo tổng kết năm, không chấm tay.";
            else if (score is { } value && (value < 0 || value > criterion.Max))
                message = $"{what} của tiêu chí {code} \"{criterion.Name}\" phải từ 0 đến {Format(criterion.Max)} điểm (đã nhập {Format(value)}).";
            else if (score is { } rounded && rounded != Round(rounded))
                message = $"{what} của tiêu chí {code} \"{criterion.Name}\" chỉ được có tối đa hai chữ số thập phân.";
            if (message is null) continue;
            if (!errors.TryGetValue(code, out var list)) errors[code] = list = [];
            list.Add(message);
        }
    }

    public static string Format(decimal value) => value.ToString("0.##", System.Globalization.CultureInfo.GetCultureInfo("vi-VN"));
}
