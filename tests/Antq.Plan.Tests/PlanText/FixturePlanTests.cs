using System.Globalization;
using System.Text.Json;
using Antq.Plan.Api.PlanText;

namespace Antq.Plan.Tests.PlanText;

/// <summary>
/// The three real plans: every field of their expected.json. The expected files name the issuer level in lower
/// case ("province") where the draft has an enum, and give a target's value as a JSON number; both are mapped here.
/// </summary>
public sealed class FixturePlanTests
{
    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Year_is_the_one_in_the_title(string name)
    {
        var f = PlanFixture.Of(name);
        Assert.Equal(f.Expected.GetProperty("year").GetInt32(), f.Draft.Year?.Value);
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Issuer_name_is_the_body_that_issues_the_plan(string name)
    {
        var f = PlanFixture.Of(name);
        Assert.Equal(f.ExpectedString("issuerName"), f.Draft.IssuerName?.Value);
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Issuer_level_comes_from_the_wording_of_the_issuer(string name)
    {
        var f = PlanFixture.Of(name);
        Assert.Equal(f.ExpectedString("issuerLevel"), f.Draft.IssuerLevel?.Value.ToString().ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Parent_references_are_the_numbered_documents_of_the_opening_paragraph(string name)
    {
        var f = PlanFixture.Of(name);
        var expected = f.Expected.GetProperty("parentReferences").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(expected, f.Draft.ParentReferences.Select(p => p.Value).ToList());
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Deadlines_per_period_are_exactly_the_expected_ones(string name)
    {
        var f = PlanFixture.Of(name);
        var expected = f.Expected.GetProperty("deadlines").EnumerateObject()
            .ToDictionary(p => p.Name, p => DateOnly.Parse(p.Value.GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(expected.OrderBy(e => e.Key), f.Draft.Deadlines.ToDictionary(d => d.Key, d => d.Value.Value).OrderBy(e => e.Key));
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Implementing_plans_due_is_read_only_where_the_plan_sets_it(string name)
    {
        var f = PlanFixture.Of(name);
        Assert.Equal(f.ExpectedDate("implementingPlansDue"), f.Draft.ImplementingPlansDue?.Value);
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Report_recipient_is_read_only_from_the_reporting_sentence(string name)
    {
        var f = PlanFixture.Of(name);
        Assert.Equal(f.ExpectedString("reportTo"), f.Draft.ReportTo?.Value);
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Targets_have_the_expected_indicator_comparator_value_scope_and_text(string name)
    {
        var f = PlanFixture.Of(name);
        var expected = f.Expected.GetProperty("targets").EnumerateArray().Select(e => (
            e.GetProperty("indicator").GetString()!,
            e.GetProperty("comparator").GetString()!,
            e.GetProperty("value").GetDecimal(),
            e.TryGetProperty("scope", out var scope) ? scope.GetString() : null,
            e.GetProperty("text").GetString()!)).ToList();
        var actual = f.Draft.Targets.Select(t => (t.Indicator, t.Comparator, t.Value, t.Scope, t.Text)).ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Plans_without_a_number_or_date_line_get_none(string name)
    {
        // None of the three texts kept its header ("Số: .../KH-...", "..., ngày ... tháng ... năm ...").
        var f = PlanFixture.Of(name);
        Assert.Null(f.Draft.Number);
        Assert.Null(f.Draft.IssuedOn);
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Every_span_points_at_the_text_it_was_read_from(string name)
    {
        var f = PlanFixture.Of(name);
        var spans = new List<(TextSpan Span, string Value)>();
        if (f.Draft.IssuerName is { } issuer) spans.Add((issuer.Span, issuer.Value));
        if (f.Draft.ReportTo is { } to) spans.Add((to.Span, to.Value));
        spans.AddRange(f.Draft.ParentReferences.Select(p => (p.Span, p.Value)));
        spans.AddRange(f.Draft.Targets.Select(t => (t.Span, t.Text)));
        foreach (var d in f.Draft.Deadlines.Values) spans.Add((d.Span, d.Value.Day.ToString(CultureInfo.InvariantCulture)));
        if (f.Draft.Year is { } year) spans.Add((year.Span, year.Value.ToString(CultureInfo.InvariantCulture)));

        Assert.NotEmpty(spans);
        foreach (var (span, value) in spans)
        {
            Assert.Equal(f.Text.Substring(span.Start, span.Length), span.Snippet);
            // The value is the snippet cleaned up (or, for the issuer, the snippet plus the place it names elsewhere).
            var cleaned = FoldedText.Fold(FoldedText.Clean(span.Snippet));
            Assert.Contains(FoldedText.Fold(value).Split(" (")[0].Replace(" ", ""), cleaned.Replace(" ", "").Replace("\n", ""));
        }
    }
}
