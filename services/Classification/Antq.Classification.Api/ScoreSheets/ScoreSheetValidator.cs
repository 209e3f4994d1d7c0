namespace Antq.Classification.Api.ScoreSheets;

/// <summary>Refuses a sheet that cannot be scored: its maxima must add up to exactly 100, its cut-offs must descend.</summary>
public static class ScoreSheetValidator
{
    public const decimal Total = 100m;

    /// <summary>Errors keyed by field ("criteria", "criteria[2].max", "cutoffs", "disqualifiers[0].capClass"); empty when valid.</summary>
    public static Dictionary<string, List<string>> Validate(ScoreSheet sheet)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string key, string message)
        {
            if (!errors.TryGetValue(key, out var list)) errors[key] = list = [];
            list.Add(message);
        }

        if (sheet.Criteria.Count == 0) Add("criteria", "Bảng chấm điểm phải có ít nhất một tiêu chí.");
        for (var i = 0; i < sheet.Criteria.Count; i++)
        {
            var c = sheet.Criteria[i];
            var key = $"criteria[{i}]";
            if (string.IsNullOrWhiteSpace(c.Code) || c.Code.Length > 20) Add($"{key}.code", $"Tiêu chí thứ {i + 1} phải có mã (tối đa 20 ký tự).");
            else if (sheet.Criteria.Take(i).Any(p => p.Code == c.Code)) Add($"{key}.code", $"Mã tiêu chí {c.Code} bị trùng.");
            if (string.IsNullOrWhiteSpace(c.Name)) Add($"{key}.name", $"Tiêu chí {c.Code} phải có tên.");
            if (c.Max <= 0) Add($"{key}.max", $"Điểm tối đa của tiêu chí {c.Code} phải lớn hơn 0.");
            if (c.Max != Scoring.Round(c.Max)) Add($"{key}.max", $"Điểm tối đa của tiêu chí {c.Code} chỉ được có tối đa hai chữ số thập phân.");
            if (c.Rule is { } rule) CheckRule(rule, c.Code, $"{key}.rule", Add);
        }

        var sum = sheet.Criteria.Sum(c => c.Max);
        if (sheet.Criteria.Count > 0 && sum != Total)
            Add("criteria", $"Tổng điểm tối đa của các tiêu chí phải bằng {Scoring.Format(Total)} (hiện là {Scoring.Format(sum)}).");

        var cut = sheet.Cutoffs;
        if (!(cut.XuatSac <= Total && cut.XuatSac > cut.Kha && cut.Kha > cut.TrungBinh && cut.TrungBinh > 0))
            Add("cutoffs", $"Ngưỡng điểm phải giảm dần trong khoảng 0–100: Xuất sắc > Khá > Trung bình > 0 (đã nhập {Scoring.Format(cut.XuatSac)}, {Scoring.Format(cut.Kha)}, {Scoring.Format(cut.TrungBinh)}).");

        for (var i = 0; i < sheet.Disqualifiers.Count; i++)
        {
            var d = sheet.Disqualifiers[i];
            var key = $"disqualifiers[{i}]";
            if (string.IsNullOrWhiteSpace(d.Code) || d.Code.Length > 20) Add($"{key}.code", $"Điều kiện thứ {i + 1} phải có mã (tối đa 20 ký tự).");
            else if (sheet.Disqualifiers.Take(i).Any(p => p.Code == d.Code)) Add($"{key}.code", $"Mã điều kiện {d.Code} bị trùng.");
            if (string.IsNullOrWhiteSpace(d.Name)) Add($"{key}.name", $"Điều kiện {d.Code} phải có nội dung.");
            if (!MovementClass.IsKnown(d.CapClass) || d.CapClass == MovementClass.XuatSac)
                Add($"{key}.capClass", $"Loại cao nhất được xét của điều kiện {d.Code} phải là Kha, TrungBinh hoặc Yeu.");
            if (d.When is { } when && (!IndicatorCondition.IsCode(when.Indicator) || !IndicatorCondition.Comparators.Contains(when.Comparator)))
                Add($"{key}.when", $"Điều kiện {d.Code}: mã chỉ tiêu hoặc phép so sánh không hợp lệ (dùng >, >=, =, <=, <).");
        }

        return errors;
    }

    static void CheckRule(ScoreRule rule, string code, string key, Action<string, string> add)
    {
        if (!IndicatorCondition.IsCode(rule.Indicator))
            add($"{key}.indicator", $"Tiêu chí {code}: mã chỉ tiêu \"{rule.Indicator}\" không hợp lệ (mã trong danh mục chỉ tiêu, ví dụ PCT_KDC_SAFE).");
        if (rule.Method is not (ScoreRule.Threshold or ScoreRule.Proportional))
            add($"{key}.method", $"Tiêu chí {code}: cách tính phải là \"threshold\" (đạt/không đạt) hoặc \"proportional\" (theo tỷ lệ).");
        if (!IndicatorCondition.Comparators.Contains(rule.Comparator))
            add($"{key}.comparator", $"Tiêu chí {code}: phép so sánh phải là một trong >, >=, =, <=, <.");
        if (rule.Method == ScoreRule.Proportional && (rule.Value <= 0 || rule.Comparator != ">="))
            add($"{key}.value", $"Tiêu chí {code}: cách tính theo tỷ lệ cần mức đạt điểm tối đa lớn hơn 0 và phép so sánh >=.");
    }
}
