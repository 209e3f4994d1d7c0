using System.Globalization;
using Antq.Calendar;

namespace Antq.Classification.Api.ScoreSheets;

/// <summary>
/// A score sheet (bảng chấm điểm) for one year and one kind of unit: criteria whose maxima add up to 100, the class
/// cut-offs and the conditions that keep a unit out of the better classes. Pure data: an administrator publishes it.
/// </summary>
public sealed record ScoreSheet
{
    public required int Year { get; init; }

    public required string SubjectKind { get; init; }

    public required IReadOnlyList<Criterion> Criteria { get; init; }

    public required ClassCutoffs Cutoffs { get; init; }

    public IReadOnlyList<Disqualifier> Disqualifiers { get; init; } = [];

    /// <summary>The day before which the level above reviews the scores (hạn xét), dd/MM of the year; informative.</summary>
    public string? ReviewDeadline { get; init; }

    /// <summary>True for the sheet the system ships: an administrator must confirm it; it is not the law.</summary>
    public bool IsDefault { get; init; }

    public string? Note { get; init; }

    public Criterion? Find(string code) => Criteria.FirstOrDefault(c => c.Code == code);

    /// <summary>"trước ngày 30/11/2026"; a review deadline that is not a day of the year is shown as it was written.</summary>
    public string? ReviewDeadlineText() => ReviewDeadline switch
    {
        null => null,
        var text when VietnamTime.TryParseDate($"{text}/{Year}", out var day) => DueDate.Describe(day),
        var text => $"trước ngày {text}/{Year}",
    };
}

/// <summary>
/// A criterion (tiêu chí) with its maximum. Without <see cref="Rule"/> it is scored by hand (self, then approved);
/// with one it is computed from the unit's accepted annual report.
/// </summary>
public sealed record Criterion(string Code, string Name, decimal Max, ScoreRule? Rule = null)
{
    public bool IsComputed => Rule is not null;
}

/// <summary>
/// How a computed criterion scores. <c>threshold</c>: full marks when the condition holds, none otherwise.
/// <c>proportional</c>: the maximum times value / <see cref="IndicatorCondition.Value"/>, capped at the maximum (full
/// marks from that value up; the comparator is then <c>&gt;=</c>).
/// </summary>
public sealed record ScoreRule(string Indicator, string Method, string Comparator, decimal Value)
{
    public const string Threshold = "threshold";
    public const string Proportional = "proportional";

    public IndicatorCondition Condition => new(Indicator, Comparator, Value);

    /// <summary>The points earned out of <paramref name="max"/>; null when the report does not give the indicator.</summary>
    public decimal? Score(decimal max, IReadOnlyDictionary<string, decimal> values)
    {
        if (!values.TryGetValue(Indicator, out var value)) return null;
        return Method switch
        {
            Threshold => IndicatorCondition.Compare(value, Comparator, Value) ? max : 0m,
            Proportional => Scoring.Round(max * Math.Clamp(value / Value, 0m, 1m)),
            _ => throw new InvalidOperationException($"Unknown scoring method {Method}"),
        };
    }

    public string Describe() => Method == Proportional
        ? $"Tính theo tỷ lệ {Indicator} so với {Value.ToString(CultureInfo.GetCultureInfo("vi-VN"))} (đạt điểm tối đa khi {Indicator} >= {Value.ToString(CultureInfo.GetCultureInfo("vi-VN"))})"
        : $"Đạt điểm tối đa khi {Indicator} {Comparator} {Value.ToString(CultureInfo.GetCultureInfo("vi-VN"))}, không đạt thì 0 điểm";
}

/// <summary>The lowest total of each class; below <see cref="TrungBinh"/> the class is Yếu.</summary>
public sealed record ClassCutoffs(decimal XuatSac, decimal Kha, decimal TrungBinh)
{
    public string ClassOf(decimal total) =>
        total >= XuatSac ? MovementClass.XuatSac
        : total >= Kha ? MovementClass.Kha
        : total >= TrungBinh ? MovementClass.TrungBinh
        : MovementClass.Yeu;
}

/// <summary>
/// A condition that keeps a unit at or below <see cref="CapClass"/> whatever its score (điều kiện không xét loại cao hơn).
/// With <see cref="When"/> it is read from the annual report; without, the approving level marks it.
/// </summary>
public sealed record Disqualifier(string Code, string Name, string CapClass, IndicatorCondition? When = null);
