using System.Text.Json;

namespace Antq.Indicators.Tests;

public sealed class ReportValidatorTests
{
    static readonly Catalogue Catalogue = Specification.Catalogue;

    static Dictionary<string, JsonElement> Json(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public void Good_values_are_read_with_booleans_as_one_and_zero()
    {
        var (values, errors) = ReportValidator.ReadValues(Catalogue, PeriodKind.H1,
            Json("""{"TIPS_TOTAL": 12, "EXPLOSIVES_KG": 1.25, "PLAN_ISSUED": true, "HOTSPOTS": null}"""));

        Assert.Empty(errors);
        Assert.Equal(12m, values["TIPS_TOTAL"]);
        Assert.Equal(1.25m, values["EXPLOSIVES_KG"]);
        Assert.Equal(1m, values["PLAN_ISSUED"]);
        Assert.Null(values["HOTSPOTS"]);
    }

    [Theory]
    [InlineData("""{"NOT_A_CODE": 1}""", "NOT_A_CODE", "không có trong danh mục")]
    [InlineData("""{"TIPS_TOTAL": -1}""", "TIPS_TOTAL", "không được là số âm")]
    [InlineData("""{"TIPS_TOTAL": 1.5}""", "TIPS_TOTAL", "phải là số nguyên")]
    [InlineData("""{"TIPS_TOTAL": "12"}""", "TIPS_TOTAL", "phải là số nguyên")]
    [InlineData("""{"TIPS_TOTAL": true}""", "TIPS_TOTAL", "phải là số nguyên")]
    [InlineData("""{"TIPS_TOTAL": 1e300}""", "TIPS_TOTAL", "phải là số nguyên")]
    [InlineData("""{"TIPS_TOTAL": 10000000000000}""", "TIPS_TOTAL", "quá lớn")]
    [InlineData("""{"EXPLOSIVES_KG": "nhiều"}""", "EXPLOSIVES_KG", "phải là một số")]
    [InlineData("""{"EXPLOSIVES_KG": 0.123456}""", "EXPLOSIVES_KG", "chữ số thập phân")]
    [InlineData("""{"PLAN_ISSUED": 1}""", "PLAN_ISSUED", "có hoặc không")]
    [InlineData("""{"KDC_SAFE": 3}""", "KDC_SAFE", "không thuộc báo cáo sơ kết 6 tháng")]
    [InlineData("""{"PCT_TIPS_VALUABLE": 50}""", "PCT_TIPS_VALUABLE", "được tính tự động")]
    [InlineData("""{"TIPS_TOTAL": [1]}""", "TIPS_TOTAL", "phải là số nguyên")]
    [InlineData("""{"TIPS_TOTAL": {"value": 1}}""", "TIPS_TOTAL", "phải là số nguyên")]
    public void Bad_values_are_refused_with_a_vietnamese_message_under_their_code(string json, string code, string message)
    {
        var (_, errors) = ReportValidator.ReadValues(Catalogue, PeriodKind.H1, Json(json));

        Assert.Contains(errors[code], m => m.Contains(message));
    }

    public static TheoryData<string> RuleCodes => new(Catalogue.Rules.Select(r => r.Code));

    /// <summary>For every rule of the catalogue: a report that breaks it gets the rule's own message; one that keeps it gets none.</summary>
    [Theory]
    [MemberData(nameof(RuleCodes))]
    public void Every_rule_refuses_a_report_that_breaks_it_with_its_own_message(string ruleCode)
    {
        var rule = Catalogue.Rules.Single(r => r.Code == ruleCode);
        var expression = RuleExpression.Parse(rule.Expression);
        var breaking = expression.Codes.ToDictionary(c => c, c => expression.Left.Contains(c) ? 10m : 1m);
        var keeping = expression.Codes.ToDictionary(c => c, c => expression.Left.Contains(c) ? 0m : 10m);

        var broken = ReportValidator.CheckRules(Catalogue, breaking);
        var kept = ReportValidator.CheckRules(Catalogue, keeping);

        Assert.Contains(rule.Message, broken[expression.Left[0]]);
        Assert.DoesNotContain(kept.Values.SelectMany(m => m), m => m == rule.Message);
    }

    [Fact]
    public void A_rule_is_not_judged_while_a_value_it_needs_is_missing()
    {
        var errors = ReportValidator.CheckRules(Catalogue, new Dictionary<string, decimal> { ["TIPS_VALUABLE"] = 5 });

        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("A + B <= C", true)]
    [InlineData("A + B + 2 >= C", true)]
    [InlineData("A <= B + C + D", true)]
    [InlineData("A <== B", false)]
    [InlineData("A + <= B", false)]
    [InlineData("A; DROP TABLE x <= B", false)]
    public void Rule_expressions_are_parsed_strictly(string expression, bool valid)
    {
        if (valid) Assert.NotEmpty(RuleExpression.Parse(expression).Codes);
        else Assert.Throws<FormatException>(() => RuleExpression.Parse(expression));
    }
}
