using Antq.Contracts.Plan;
using Antq.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Plans;

/// <summary>
/// Keeps the copy of the plans' targets that the consolidated report shows next to what was achieved: once per message
/// (inbox); a new version marks the one it supersedes.
/// </summary>
public sealed class PlanIssuedConsumer(ReportingDbContext db, ILogger<PlanIssuedConsumer> logger) : IConsumer<PlanIssued>
{
    public async Task Consume(ConsumeContext<PlanIssued> context)
    {
        var plan = context.Message;
        await db.HandleOnceAsync<PlanIssuedConsumer>(context, async ct =>
        {
            if (plan.SupersedesPlanId is { } old)
                await db.PlanTargets.Where(t => t.PlanId == old).ExecuteUpdateAsync(s => s.SetProperty(t => t.Superseded, true), ct);
            var known = await db.PlanTargets.Where(t => t.PlanId == plan.PlanId).Select(t => t.Indicator).ToListAsync(ct);
            // One row per indicator: a plan that names an indicator twice keeps the last.
            foreach (var target in plan.Targets.GroupBy(t => t.Indicator).Select(g => g.Last()).Where(t => !known.Contains(t.Indicator)))
            {
                db.PlanTargets.Add(new PlanTargetCopy
                {
                    PlanId = plan.PlanId, Indicator = target.Indicator, PlanNumber = plan.Number, IssuerCode = plan.IssuerCode,
                    Year = plan.Year, IssuedOn = plan.IssuedOn, Comparator = target.Comparator, Value = target.Value, Scope = target.Scope,
                });
            }

            await db.SaveChangesAsync(ct);
            logger.LogInformation("Targets of plan {PlanNumber} of {Issuer} stored: {Count}", plan.Number, plan.IssuerCode, plan.Targets.Count);
        });
    }
}
