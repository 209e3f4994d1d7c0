using System.Net;
using System.Text.Json;
using Antq.Contracts.Plan;
using Antq.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>
/// History across the reform (so với cùng kỳ): an old period re-expressed on a new unit through the lineage. Whole
/// predecessors add up; a partial one is listed apart and makes the answer approximate.
/// </summary>
[Collection(ReportingCollection.Name)]
public sealed class MappedRollupTests(ReportingFixture fixture)
{
    static readonly Spec Spec = Spec.Catalogue;
    const string Period = "2025-H1";
    static readonly DateOnly At = new(2025, 6, 14);
    static readonly DateOnly Reform = new(2025, 7, 1);

    async Task SubmitAsync(string code, Dictionary<string, decimal> values)
    {
        using var client = fixture.As($"cb-{code}", AntqRoles.CommuneOfficer, code);
        await client.PutJsonAsync($"/api/reports/{code}/{Period}", new { values = Spec.Body(values) }).OkJsonAsync();
        await client.PostJsonAsync($"/api/reports/{code}/{Period}/submit").OkJsonAsync();
    }

    /// <summary>The new unit as one commune over the whole predecessors' reports: sums add, ratios of the sums, maxima over all.</summary>
    static Dictionary<string, (decimal? Value, int Reports)> ExpectedMerged(IReadOnlyList<Dictionary<string, decimal>> own) =>
        // A commune without children: its mean of ratios is its own ratio, here of the summed reports.
        Spec.Indicators.Where(i => i.AskedIn("H1")).ToDictionary(i => i.Code,
            i => Spec.OverReports(i.Aggregation == "meanOfRatios" ? Spec.ByCode[i.Of!] : i, own));

    [Fact]
    public async Task A_new_commune_sees_last_years_period_as_the_sum_of_its_whole_predecessors_with_the_partial_one_apart()
    {
        // Phường Ba Đình (00004 from 2025-07-01) ← Phường Trúc Bạch (00004) and Phường Quán Thánh (00013) whole,
        // part of Phường Kim Mã (00028) (as the real merges file says; see the lineage tests of Plan).
        var name = (string code, DateOnly at) => fixture.Units.Rows.Single(r => r.Code == code && r.From <= at && (r.To is null || r.To > at)).Name;
        Assert.Equal("Phường Ba Đình", name("00004", Reform));
        Assert.Equal("Phường Trúc Bạch", name("00004", At));
        Assert.Equal("Phường Quán Thánh", name("00013", At));
        Assert.Equal("Phường Kim Mã", name("00028", At));

        var bus = fixture.Service.Services.GetRequiredService<IBus>();
        OrgUnitLineageLink Link(string predecessor, bool partial) => new()
        {
            SuccessorCode = "00004", SuccessorValidFrom = Reform, PredecessorCode = predecessor, PredecessorValidTo = Reform, Partial = partial,
        };
        // A first, wrong list is replaced as a whole by the next message for the same successor.
        await bus.Publish(new OrgUnitLineageChanged { Links = [Link("00001", false), Link("00013", true)], OccurredAt = DateTimeOffset.UtcNow });
        await WaitForAsync(async () => await fixture.InDbAsync(db => db.Lineage.CountAsync(l => l.SuccessorCode == "00004" && l.PredecessorCode == "00001")) == 1, "the first lineage");
        await bus.Publish(new OrgUnitLineageChanged { Links = [Link("00004", false), Link("00013", false), Link("00028", true)], OccurredAt = DateTimeOffset.UtcNow });
        await WaitForAsync(async () =>
        {
            var links = await fixture.InDbAsync(db => db.Lineage.Where(l => l.SuccessorCode == "00004").OrderBy(l => l.PredecessorCode)
                .Select(l => l.PredecessorCode + (l.Partial ? "~" : "")).ToListAsync());
            return string.Join(",", links) == "00004,00013,00028~";
        }, "the lineage of Phường Ba Đình replaced");

        var random = new Random(20250701);
        var values = new[] { "00004", "00013", "00028" }.ToDictionary(c => c, _ => Spec.RandomValues("H1", random));
        foreach (var (code, v) in values) await SubmitAsync(code, v);

        var mapped = await fixture.Admin.GetAsync($"/api/rollups/00004/{Period}?mapTo=2026-01-01").OkJsonAsync();
        Assert.Equal("Phường Ba Đình", mapped.GetProperty("orgUnit").GetProperty("name").GetString());
        Assert.Equal(Period, mapped.GetProperty("period").GetString());
        Assert.Equal("2026-01-01", mapped.GetProperty("mappedTo").GetString());
        Spec.AssertRollup(ExpectedMerged([values["00004"], values["00013"]]), mapped, "Ba Đình ← Trúc Bạch + Quán Thánh");
        var sums = Spec.Indicators.Where(i => i.AskedIn("H1") && i.Aggregation == "sum").ToList();
        Assert.NotEmpty(sums);

        // Each whole predecessor's own roll-up in the old tree adds up to the mapped value.
        var truc = await fixture.Admin.GetAsync($"/api/rollups/00004/{Period}").OkJsonAsync();
        var quan = await fixture.Admin.GetAsync($"/api/rollups/00013/{Period}").OkJsonAsync();
        Assert.Equal("Phường Trúc Bạch", truc.GetProperty("orgUnit").GetProperty("name").GetString());
        decimal Of(JsonElement rollup, string code) =>
            rollup.GetProperty("values").GetProperty(code).GetProperty("value") is { ValueKind: JsonValueKind.Number } v ? v.GetDecimal() : 0;
        foreach (var indicator in sums)
            Assert.Equal(Of(truc, indicator.Code) + Of(quan, indicator.Code), Of(mapped, indicator.Code));

        var predecessors = mapped.GetProperty("predecessors").EnumerateArray()
            .Select(p => (p.GetProperty("code").GetString(), p.GetProperty("name").GetString(), p.GetProperty("partial").GetBoolean())).ToList();
        Assert.Equal([("00004", "Phường Trúc Bạch", false), ("00013", "Phường Quán Thánh", false), ("00028", "Phường Kim Mã", true)], predecessors);
        Assert.True(mapped.GetProperty("approximate").GetBoolean());
        Assert.Equal("Có đơn vị tiền thân chỉ sáp nhập một phần: số liệu của đơn vị đó không được cộng vào, xem danh sách riêng.",
            mapped.GetProperty("note").GetString());
        var partial = Assert.Single(mapped.GetProperty("partialContributions").EnumerateArray());
        Assert.Equal("00028", partial.GetProperty("code").GetString());
        Assert.Equal("Phường Kim Mã", partial.GetProperty("name").GetString());
        Spec.AssertRollup(Spec.Expected("H1", "00028", At, fixture.Units, values), partial, "Kim Mã (một phần)");

        // Scope: the officer of the new unit reads it; an officer of an old commune now inside it does not.
        using (var own = fixture.As("cb-badinh-moi", AntqRoles.CommuneOfficer, "00004"))
            await own.GetAsync($"/api/rollups/00004/{Period}?mapTo=2026-01-01").OkJsonAsync();
        using (var other = fixture.As("cb-kimma", AntqRoles.CommuneOfficer, "00028"))
        {
            using var refused = await other.GetAsync($"/api/rollups/00004/{Period}?mapTo=2026-01-01");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var malformed = await fixture.Admin.GetAsync($"/api/rollups/00004/{Period}?mapTo=01-01-2026");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("không hợp lệ", (await malformed.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_unit_with_the_same_code_and_no_lineage_is_its_own_predecessor()
    {
        // Thành phố Hà Nội (01) kept its code through the reform; no lineage is published for it.
        var plain = await fixture.Admin.GetAsync($"/api/rollups/01/{Period}").OkJsonAsync();
        var mapped = await fixture.Admin.GetAsync($"/api/rollups/01/{Period}?mapTo=2026-01-01").OkJsonAsync();
        var predecessor = Assert.Single(mapped.GetProperty("predecessors").EnumerateArray());
        Assert.Equal("01", predecessor.GetProperty("code").GetString());
        Assert.False(predecessor.GetProperty("partial").GetBoolean());
        Assert.False(mapped.GetProperty("approximate").GetBoolean());
        Assert.Empty(mapped.GetProperty("partialContributions").EnumerateArray());
        Assert.Equal(plain.GetProperty("values").ToString(), mapped.GetProperty("values").ToString());
        Assert.Equal(plain.GetProperty("completeness").ToString(), mapped.GetProperty("completeness").ToString());
    }

    [Fact]
    public async Task A_period_after_the_reform_maps_a_commune_with_a_lineage_onto_itself()
    {
        // A commune created by the reform under a new code, whose predecessors were all closed on 01/07/2025: in 2025-Y
        // (counted on the tree of 14/12/2025) it is already itself, so the year after compares it with itself.
        var rows = fixture.Units.Rows;
        var successor = rows.First(r => r.From == Reform && r.To is null && r.Parent is not null && rows.Any(p => p.Code == r.Parent && p.Parent is not null)
            && !rows.Any(o => o.Code == r.Code && o.From < Reform) && !fixture.Units.ChildrenOf(r.Code, Reform).Any());
        var closed = rows.Where(r => r.To == Reform && !rows.Any(o => o.Code == r.Code && o.From >= Reform)).Take(2).ToList();
        Assert.Equal(2, closed.Count);
        var bus = fixture.Service.Services.GetRequiredService<IBus>();
        await bus.Publish(new OrgUnitLineageChanged
        {
            Links = [.. closed.Select(c => new OrgUnitLineageLink
            {
                SuccessorCode = successor.Code, SuccessorValidFrom = Reform, PredecessorCode = c.Code, PredecessorValidTo = Reform, Partial = false,
            })],
            OccurredAt = DateTimeOffset.UtcNow,
        });
        await WaitForAsync(async () => await fixture.InDbAsync(db => db.Lineage.CountAsync(l => l.SuccessorCode == successor.Code)) == 2, "the lineage");

        const string annual = "2025-Y";
        using (var client = fixture.As($"cb-{successor.Code}", AntqRoles.CommuneOfficer, successor.Code))
        {
            await client.PutJsonAsync($"/api/reports/{successor.Code}/{annual}", new { values = Spec.Body(Spec.RandomValues("Y", new Random(7), missing: 0)) }).OkJsonAsync();
            await client.PostJsonAsync($"/api/reports/{successor.Code}/{annual}/submit").OkJsonAsync();
        }

        var plain = await fixture.Admin.GetAsync($"/api/rollups/{successor.Code}/{annual}").OkJsonAsync();
        var mapped = await fixture.Admin.GetAsync($"/api/rollups/{successor.Code}/{annual}?mapTo=2026-12-14").OkJsonAsync();
        var predecessor = Assert.Single(mapped.GetProperty("predecessors").EnumerateArray());
        Assert.Equal(successor.Code, predecessor.GetProperty("code").GetString());
        Assert.False(mapped.GetProperty("approximate").GetBoolean());
        Assert.Equal(plain.GetProperty("values").ToString(), mapped.GetProperty("values").ToString());
        Assert.Contains(plain.GetProperty("values").EnumerateObject(), v => v.Value.GetProperty("reports").GetInt32() == 1);
    }

    static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
