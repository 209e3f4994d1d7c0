using System.Globalization;
using System.Text;
using Antq.Plan.Api.PlanText;

namespace Antq.Plan.Tests.PlanText;

/// <summary>The real plans as a scan without diacritics would give them: the same facts must come out.</summary>
public sealed class ScannedFixtureTests
{
    static string WithoutDiacritics(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            builder.Append(c switch { 'đ' => 'd', 'Đ' => 'D', _ => c });
        }

        return builder.ToString();
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public void Plan_without_diacritics_gives_the_same_year_level_deadlines_and_targets(string name)
    {
        var fixture = PlanFixture.Of(name);
        var scanned = PlanTextReader.Read(WithoutDiacritics(fixture.Text), IndicatorCatalogue.Default);
        var original = fixture.Draft;

        Assert.Equal(original.Year?.Value, scanned.Year?.Value);
        Assert.Equal(original.IssuerLevel?.Value, scanned.IssuerLevel?.Value);
        Assert.Equal(original.IssuerName is null ? null : WithoutDiacritics(original.IssuerName.Value), scanned.IssuerName?.Value);
        Assert.Equal(original.ParentReferences.Select(p => WithoutDiacritics(p.Value)), scanned.ParentReferences.Select(p => p.Value));
        Assert.Equal(original.Deadlines.ToDictionary(d => d.Key, d => d.Value.Value), scanned.Deadlines.ToDictionary(d => d.Key, d => d.Value.Value));
        Assert.Equal(original.ImplementingPlansDue?.Value, scanned.ImplementingPlansDue?.Value);
        Assert.Equal(original.ReportTo is null ? null : WithoutDiacritics(original.ReportTo.Value), scanned.ReportTo?.Value);
        Assert.Equal(
            original.Targets.Select(t => (t.Indicator, t.Comparator, t.Value, t.Scope, WithoutDiacritics(t.Text))),
            scanned.Targets.Select(t => (t.Indicator, t.Comparator, t.Value, t.Scope, t.Text)));
    }
}

public sealed class LargeTextTests
{
    [Fact]
    public void A_megabyte_of_plan_text_is_read_in_a_few_seconds()
    {
        // Fifty real plans end to end: the reader must stay roughly linear in the length of the text.
        var fixture = PlanFixture.Of(PlanFixture.BinhThuan2024);
        var text = string.Concat(Enumerable.Repeat(fixture.Text, 50));
        // CPU time of this thread (the time goal itself is measured by the bench: bench/Antq.Bench plantext).
        var clock = ThreadClock.Start();
        var draft = PlanTextReader.Read(text, IndicatorCatalogue.Default);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed} ({ThreadClock.What})");
        Assert.Equal(2 * 50, draft.Targets.Count);
    }
}
