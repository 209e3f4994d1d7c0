using Antq.Calendar;
using Antq.Classification.Api.Data;
using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.UnitTree;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Antq.Classification.Api.Targets;

/// <summary>
/// Records an issued plan's targets (replacing those of the version it supersedes) and judges them at once: at the
/// issuer for targets on its area, at each unit reporting to it for targets on each child.
/// </summary>
public sealed class PlanIssuedConsumer(ClassificationDbContext db, IOptions<DataWindowOptions> window, TimeProvider clock) : IConsumer<PlanIssued>
{
    public async Task Consume(ConsumeContext<PlanIssued> context)
    {
        var plan = context.Message;
        await db.HandleOnceAsync<PlanIssuedConsumer>(context, async ct =>
        {
            Guid[] replaced = plan.SupersedesPlanId is { } old ? [old, plan.PlanId] : [plan.PlanId];
            await db.PlanTargets.Where(t => replaced.Contains(t.PlanId)).ExecuteDeleteAsync(ct);
            await db.TargetAttainments.Where(a => replaced.Contains(a.PlanId)).ExecuteDeleteAsync(ct);
            for (var i = 0; i < plan.Targets.Count; i++)
            {
                var target = plan.Targets[i];
                db.PlanTargets.Add(new PlanTarget
                {
                    PlanId = plan.PlanId, Index = i, PlanNumber = plan.Number, IssuerCode = plan.IssuerCode, Year = plan.Year,
                    Indicator = target.Indicator, Comparator = target.Comparator, Value = target.Value, Scope = target.Scope,
                });
            }

            await db.SaveChangesAsync(ct);
            if (!plan.Targets.Any(t => TargetVerdict.Judges(t.Indicator))) return;
            var date = ClassificationWork.HierarchyDate(plan.Year, window.Value);
            var now = clock.GetUtcNow();
            if (plan.Targets.Any(t => !t.Scope.Contains("child", StringComparison.Ordinal)))
                await db.RefreshAsync(plan.IssuerCode, plan.Year, date, now, ct);
            if (plan.Targets.Any(t => t.Scope.Contains("child", StringComparison.Ordinal)))
                foreach (var child in await db.ChildrenAsOfAsync(plan.IssuerCode, date, ct))
                    await db.RefreshAsync(child.Code, plan.Year, date, now, ct);
        });
    }
}
