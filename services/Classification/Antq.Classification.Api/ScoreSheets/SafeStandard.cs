using Antq.Calendar;

namespace Antq.Classification.Api.ScoreSheets;

/// <summary>
/// The criteria of the "An toàn về an ninh, trật tự" standard for one year and one kind of unit (Thông tư 124/2021/TT-BCA,
/// amended by Thông tư 48/2025/TT-BCA). Every one must hold for a unit to be recognised. Pure data.
/// </summary>
public sealed record SafeStandard
{
    public required int Year { get; init; }

    public required string SubjectKind { get; init; }

    public required IReadOnlyList<SafeCriterion> Criteria { get; init; }

    public bool IsDefault { get; init; }

    public string? Note { get; init; }
}

/// <summary>A criterion of the safe standard: read from the annual report when <see cref="When"/> is set, otherwise marked by the deciding level.</summary>
public sealed record SafeCriterion(string Code, string Name, IndicatorCondition? When = null);

public sealed record SafeCriterionState(SafeCriterion Criterion, bool? Holds);

/// <summary>The standard applied to one unit: recognised only when every criterion is known to hold.</summary>
public sealed record SafeAssessment(IReadOnlyList<SafeCriterionState> Criteria)
{
    public bool Recognised => Criteria.Count > 0 && Criteria.All(c => c.Holds == true);

    public IReadOnlyList<string> Unmet =>
    [
        .. Criteria.Where(c => c.Holds == false).Select(c => $"Không đạt tiêu chí {c.Criterion.Code}: {c.Criterion.Name}."),
        .. Criteria.Where(c => c.Holds is null).Select(c => c.Criterion.When is { } when
            ? $"Chưa có số liệu {when.Indicator} để xét tiêu chí {c.Criterion.Code}: {c.Criterion.Name}."
            : $"Chưa đánh giá tiêu chí {c.Criterion.Code}: {c.Criterion.Name}."),
    ];

    public static SafeAssessment Assess(SafeStandard standard, IReadOnlyDictionary<string, bool> marks, IReadOnlyDictionary<string, decimal> values) =>
        new([.. standard.Criteria.Select(c => new SafeCriterionState(c,
            c.When is { } when ? when.Holds(values) : marks.TryGetValue(c.Code, out var m) ? m : null))]);

    public static Dictionary<string, List<string>> Validate(SafeStandard standard)
    {
        var errors = new Dictionary<string, List<string>>();
        if (standard.Criteria.Count == 0) errors["criteria"] = ["Tiêu chuẩn phải có ít nhất một tiêu chí."];
        for (var i = 0; i < standard.Criteria.Count; i++)
        {
            var c = standard.Criteria[i];
            var problems = new List<string>();
            if (string.IsNullOrWhiteSpace(c.Code) || c.Code.Length > 20) problems.Add($"Tiêu chí thứ {i + 1} phải có mã (tối đa 20 ký tự).");
            else if (standard.Criteria.Take(i).Any(p => p.Code == c.Code)) problems.Add($"Mã tiêu chí {c.Code} bị trùng.");
            if (string.IsNullOrWhiteSpace(c.Name)) problems.Add($"Tiêu chí {c.Code} phải có nội dung.");
            if (c.When is { } when && (!IndicatorCondition.IsCode(when.Indicator) || !IndicatorCondition.Comparators.Contains(when.Comparator)))
                problems.Add($"Tiêu chí {c.Code}: mã chỉ tiêu hoặc phép so sánh không hợp lệ (dùng >, >=, =, <=, <).");
            if (problems.Count > 0) errors[$"criteria[{i}]"] = problems;
        }

        return errors;
    }
}

/// <summary>Registration (đăng ký) closes at the end of a day of the year, Vietnam time; the day is a setting.</summary>
public static class SafeRegistration
{
    /// <summary>The last day on which a unit may register for <paramref name="year"/>.</summary>
    public static DateOnly LastDay(int year, int month, int day) => new(year, month, day);

    public static bool IsOpen(DateTimeOffset now, DateOnly lastDay) =>
        VietnamTime.DayOf(now) <= lastDay;
}
