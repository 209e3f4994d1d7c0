using System.Text.Json;
using Antq.Contracts.Classification;
using Antq.Messaging;
using Antq.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Reporting.IntegrationTests;

/// <summary>What Reporting and Classification give each other: the values of an accepted report, and the class counts of a unit's annual report.</summary>
[Collection(ReportingCollection.Name)]
public sealed class ClassificationLinkTests(ReportingFixture fixture)
{
    const string Period = "2026-Y";

    [Fact]
    public async Task Classification_counts_fill_the_annual_draft_only_the_newest_apply_and_a_submitted_report_keeps_its_values()
    {
        // Lai Châu (12): its communes' classes, counted by the Classification service.
        const string province = "12";
        var bus = fixture.Service.Services.GetRequiredService<IBus>();

        await bus.Publish(Counts(province, sequence: 2, kha: 10));
        await WaitForValueAsync(province, "CLS_KHA", 10m);
        await bus.Publish(Counts(province, sequence: 1, kha: 99)); // older: never applies
        await bus.Publish(Counts(province, sequence: 3, kha: 11));
        await WaitForValueAsync(province, "CLS_KHA", 11m);
        await WaitForAsync(async () => await fixture.InDbAsync(db => db.Set<InboxMessage>().CountAsync(m => m.Consumer == "ClassificationCountsChangedConsumer")) >= 3,
            "the three messages to be handled");

        var report = await fixture.Admin.GetAsync($"/api/reports/{province}/{Period}").OkJsonAsync();
        Assert.Equal(3m, report.GetProperty("values").GetProperty("CLS_XUAT_SAC").GetDecimal());
        Assert.Equal("draft", report.GetProperty("status").GetString());
        Assert.DoesNotContain("99", report.GetProperty("history").EnumerateArray()
            .Where(e => e.GetProperty("field").ValueKind == JsonValueKind.String && e.GetProperty("field").GetString() == "CLS_KHA")
            .Select(e => e.GetProperty("newValue").GetString()));

        using var officer = fixture.As("pv01-laichau", AntqRoles.ProvinceOfficer, province);
        var submitted = await officer.PostJsonAsync($"/api/reports/{province}/{Period}/submit");
        Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        await bus.Publish(Counts(province, sequence: 4, kha: 50));
        await WaitForAsync(async () => await fixture.InDbAsync(db => db.ClassificationCounts.AnyAsync(c => c.OrgUnitCode == province && c.Period == Period && c.Sequence == 4)),
            "the newest counts to be recorded");

        var after = await fixture.Admin.GetAsync($"/api/reports/{province}/{Period}").OkJsonAsync();
        Assert.Equal(11m, after.GetProperty("values").GetProperty("CLS_KHA").GetDecimal());
        Assert.Equal("submitted", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_accepted_report_tells_classification_its_values_with_computed_ratios()
    {
        // A commune of Điện Biên (11) reports its annual figures; the province accepts.
        var commune = fixture.Units.ChildrenOf("11", new DateOnly(2026, 12, 14)).First().Code;
        using var officer = fixture.As($"cb-{commune}", AntqRoles.CommuneOfficer, commune);
        (await officer.PutJsonAsync($"/api/reports/{commune}/{Period}", new
        {
            values = new Dictionary<string, object> { ["KDC_TOTAL"] = 8, ["KDC_SAFE"] = 6, ["MODELS_ACTIVE"] = 2, ["MODELS_EFFECTIVE"] = 1, ["PLAN_ISSUED"] = true },
        })).EnsureSuccessStatusCode();
        (await officer.PostJsonAsync($"/api/reports/{commune}/{Period}/submit")).EnsureSuccessStatusCode();
        using var province = fixture.As("pv01-dienbien", AntqRoles.ProvinceOfficer, "11");
        var accepted = await province.PostJsonAsync($"/api/reports/{commune}/{Period}/accept");
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());

        var body = await fixture.InDbAsync(db => db.Set<OutboxMessage>().Where(m => m.MessageType.Contains("ReportAccepted"))
            .OrderByDescending(m => m.Id).Select(m => m.Body).FirstAsync());
        var message = JsonDocument.Parse(body).RootElement;
        Assert.Equal(commune, message.GetProperty("orgUnitCode").GetString());
        var values = message.GetProperty("values");
        Assert.Equal(6m, values.GetProperty("KDC_SAFE").GetDecimal());
        Assert.Equal(75m, values.GetProperty("PCT_KDC_SAFE").GetDecimal());
        Assert.Equal(1m, values.GetProperty("MODELS_EFFECTIVE").GetDecimal());
        Assert.Equal(1m, values.GetProperty("PLAN_ISSUED").GetDecimal());
        Assert.Equal(JsonValueKind.Null, values.GetProperty("TIPS_TOTAL").ValueKind);
    }

    static ClassificationCountsChanged Counts(string unit, long sequence, int kha) => new()
    {
        OrgUnitCode = unit, Period = Period, Sequence = sequence, OccurredAt = DateTimeOffset.UtcNow,
        Values = new Dictionary<string, int> { ["CLS_XUAT_SAC"] = 3, ["CLS_KHA"] = kha, ["CLS_TRUNG_BINH"] = 5, ["CLS_YEU"] = 1 },
    };

    async Task WaitForValueAsync(string unit, string code, decimal expected) =>
        await WaitForAsync(async () =>
        {
            var response = await fixture.Admin.GetAsync($"/api/reports/{unit}/{Period}");
            if (!response.IsSuccessStatusCode) return false;
            var values = (await response.ReadJsonAsync()).GetProperty("values");
            return values.TryGetProperty(code, out var value) && value.ValueKind == JsonValueKind.Number && value.GetDecimal() == expected;
        }, $"{code} = {expected} in the report of {unit}");

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
