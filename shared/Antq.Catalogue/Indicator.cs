using Antq.Calendar;

namespace Antq.Indicators;

public enum ValueType { Integer, Decimal, Boolean }

/// <summary>How an indicator rolls up; the catalogue's notes define each exactly.</summary>
public enum Aggregation { Sum, Ratio, MeanOfRatios, CountTrue, Max }

/// <summary>One number (or yes/no) of the report: chỉ tiêu.</summary>
public sealed class Indicator
{
    public required string Code { get; init; }

    public string? Section { get; init; }

    public required string Name { get; init; }

    public required string Unit { get; init; }

    public required ValueType ValueType { get; init; }

    public required Aggregation Aggregation { get; init; }

    public required IReadOnlyList<PeriodKind> Periods { get; init; }

    /// <summary>Computed indicators are derived at every level; nobody types them in.</summary>
    public bool Computed { get; init; }

    public IReadOnlyList<string>? Numerator { get; init; }

    public IReadOnlyList<string>? Denominator { get; init; }

    public decimal? Factor { get; init; }

    /// <summary>For <see cref="Aggregation.MeanOfRatios"/> and <see cref="Aggregation.Max"/>: the indicator they are taken of.</summary>
    public string? Of { get; init; }

    public bool IsAskedIn(PeriodKind kind) => Periods.Contains(kind);

    /// <summary>Entered by people (not derived), so it appears in the report form and in stored values.</summary>
    public bool IsEntered => !Computed;

    internal IEnumerable<string> Problems(IReadOnlySet<string> codes)
    {
        if (string.IsNullOrWhiteSpace(Code) || !Code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
            yield return $"Mã chỉ tiêu '{Code}' không hợp lệ (chỉ gồm chữ in hoa, số và dấu gạch dưới).";
        if (Periods.Count == 0) yield return $"Chỉ tiêu {Code} không thuộc kỳ báo cáo nào.";
        switch (Aggregation)
        {
            case Aggregation.Ratio:
                if (Numerator is not { Count: > 0 } || Denominator is not { Count: > 0 })
                    yield return $"Chỉ tiêu tỷ lệ {Code} cần tử số và mẫu số.";
                foreach (var code in (Numerator ?? []).Concat(Denominator ?? []).Where(c => !codes.Contains(c)))
                    yield return $"Chỉ tiêu {Code} tham chiếu mã không có trong danh mục: {code}.";
                break;
            case Aggregation.MeanOfRatios or Aggregation.Max:
                if (Of is null || !codes.Contains(Of)) yield return $"Chỉ tiêu {Code} cần 'of' là một mã có trong danh mục.";
                break;
            case Aggregation.CountTrue when ValueType != ValueType.Boolean:
                yield return $"Chỉ tiêu {Code} đếm giá trị 'có' nên phải có kiểu có/không.";
                break;
        }

        if (Aggregation is Aggregation.Ratio or Aggregation.MeanOfRatios && !Computed)
            yield return $"Chỉ tiêu {Code} được tính tự động nên phải đánh dấu computed.";
    }
}
