using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Plan.Api.Data;
using MassTransit;

namespace Antq.Plan.Api.Units;

/// <summary>A copy of the tree asks to catch up: re-publish, through the outbox, what changed after its last number.</summary>
public sealed class ReplayOrgUnitChangesConsumer(PlanDbContext db, TimeProvider clock, ILogger<ReplayOrgUnitChangesConsumer> logger)
    : IConsumer<ReplayOrgUnitChanges>
{
    public async Task Consume(ConsumeContext<ReplayOrgUnitChanges> context)
    {
        var request = context.Message;
        await db.HandleOnceAsync<ReplayOrgUnitChangesConsumer>(context, async ct =>
        {
            var count = await OrgUnitChanges.ReplayAsync(db, request.AfterSequence, clock, ct);
            logger.LogInformation("Replaying {Count} unit versions after change {AfterSequence} for {RequestedBy}",
                count, request.AfterSequence, request.RequestedBy);
        });
    }
}
