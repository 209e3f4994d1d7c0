using Antq.Contracts.Plan;
using Antq.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Lineage;

/// <summary>
/// Keeps the copy of the lineage (unit_lineage): once per message (inbox); a message holds the whole list of
/// predecessors of each successor it names, so that successor's rows are replaced.
/// </summary>
public sealed class OrgUnitLineageChangedConsumer(ReportingDbContext db, ILogger<OrgUnitLineageChangedConsumer> logger) : IConsumer<OrgUnitLineageChanged>
{
    public async Task Consume(ConsumeContext<OrgUnitLineageChanged> context)
    {
        var links = context.Message.Links
            .GroupBy(l => (l.SuccessorCode, l.SuccessorValidFrom, l.PredecessorCode))
            .Select(g => g.Last())
            .ToList();
        await db.HandleOnceAsync<OrgUnitLineageChangedConsumer>(context, async ct =>
        {
            if (links.Count == 0) return;
            var successors = links.Select(l => (l.SuccessorCode, l.SuccessorValidFrom)).Distinct().ToList();
            var successorCodes = successors.Select(s => s.SuccessorCode).ToArray();
            var successorFroms = successors.Select(s => s.SuccessorValidFrom).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                DELETE FROM unit_lineage l
                USING unnest({successorCodes}::text[], {successorFroms}::date[]) AS s(code, valid_from)
                WHERE l.successor_code = s.code AND l.successor_valid_from = s.valid_from
                """, ct);
            var codes = links.Select(l => l.SuccessorCode).ToArray();
            var froms = links.Select(l => l.SuccessorValidFrom).ToArray();
            var predecessors = links.Select(l => l.PredecessorCode).ToArray();
            var partial = links.Select(l => l.Partial).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO unit_lineage (successor_code, successor_valid_from, predecessor_code, partial)
                SELECT * FROM unnest({codes}::text[], {froms}::date[], {predecessors}::text[], {partial}::boolean[])
                """, ct);
            logger.LogInformation("Lineage applied for {Successors} units ({Links} links)", successors.Count, links.Count);
        });
    }
}
