using System.Text.Json;
using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Plan.IntegrationTests;

/// <summary>The merges import publishes the lineage (OrgUnitLineageChanged) through the outbox of its transaction.</summary>
[Collection(UnitTreeCollection.Name)]
public sealed class LineagePublishingTests(UnitTreeFixture fixture)
{
    [Fact]
    public async Task The_merges_import_writes_the_lineage_to_the_outbox_whole_per_successor_and_the_reporting_copy_receives_it()
    {
        await using var scope = fixture.Plan.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanDbContext>();
        var rows = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.StartsWith("Antq.Contracts.Plan.OrgUnitLineageChanged"))
            .OrderBy(m => m.Id).ToListAsync();
        var messages = rows.Select(r => JsonSerializer.Deserialize<OrgUnitLineageChanged>(r.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!).ToList();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.InRange(m.Links.Count, 1, OrgUnitLineageChanged.MaxLinks));
        Assert.Equal(fixture.MergesImport.GetProperty("links").GetInt32(), messages.Sum(m => m.Links.Count));
        Assert.Equal(fixture.MergesImport.GetProperty("partialLinks").GetInt32(), messages.Sum(m => m.Links.Count(l => l.Partial)));

        // Whole state per successor: each successor's predecessors are all in one message.
        var successorsPerMessage = messages.SelectMany((m, i) => m.Links.Select(l => (l.SuccessorCode, Message: i))).Distinct()
            .GroupBy(x => x.SuccessorCode);
        Assert.All(successorsPerMessage, g => Assert.Single(g));

        // Phường Ba Đình (00004 from 2025-07-01) ← Trúc Bạch (00004) and Quán Thánh (00013) whole, part of Kim Mã (00028).
        var baDinh = messages.SelectMany(m => m.Links).Where(l => l.SuccessorCode == "00004").ToDictionary(l => l.PredecessorCode);
        Assert.All(baDinh.Values, l => Assert.Equal(new DateOnly(2025, 7, 1), l.SuccessorValidFrom));
        Assert.False(baDinh["00004"].Partial);
        Assert.Equal(new DateOnly(2025, 7, 1), baDinh["00004"].PredecessorValidTo);
        Assert.False(baDinh["00013"].Partial);
        Assert.True(baDinh["00028"].Partial);

        // The Reporting copy keeps the same links.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<(string Code, bool Partial)> copied = [];
        while (DateTime.UtcNow < deadline)
        {
            await using var reportingScope = fixture.Reporting.Services.CreateAsyncScope();
            var reporting = reportingScope.ServiceProvider.GetRequiredService<ReportingDbContext>();
            copied = [.. (await reporting.Lineage.AsNoTracking().Where(l => l.SuccessorCode == "00004" && l.SuccessorValidFrom == new DateOnly(2025, 7, 1))
                .ToListAsync()).Select(l => (l.PredecessorCode, l.Partial))];
            if (copied.Count == baDinh.Count) break;
            await Task.Delay(200);
        }

        Assert.Equal(baDinh.Values.Select(l => (l.PredecessorCode, l.Partial)).Order(), copied.Order());
    }
}
