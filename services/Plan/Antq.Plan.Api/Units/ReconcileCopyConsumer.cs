using Antq.Contracts.Copies;
using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Messaging.Copies;
using Antq.Plan.Api.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Plan.Api.Units;

/// <summary>
/// A copy of the Plan service's data sent its digest (<see cref="ReconcileCopy"/>): re-publish, through the outbox and as
/// the ordinary events, every row of each bucket where the copy differs from the source, with the versions it has here.
/// A copy applies a row only if it is newer than what it holds, so a re-published row it already has changes nothing,
/// and the other copies fed by the same events are not disturbed. Requests for copies of other services are not ours.
/// </summary>
public sealed class ReconcileCopyConsumer(PlanDbContext db, TimeProvider clock, ILogger<ReconcileCopyConsumer> logger) : IConsumer<ReconcileCopy>
{
    /// <summary>Every unit version, by id, versioned by the change that last wrote it (the copies' <c>unit_tree_versions</c>).</summary>
    public const string UnitRows = "SELECT id::text AS key, change_sequence AS version FROM org_units";

    /// <summary>Every per-unit deadline ever published, withdrawn ones included, keyed "unit/period".</summary>
    public const string DeadlineRows = "SELECT org_unit_code || '/' || period AS key, sequence AS version FROM unit_deadlines";

    /// <summary>
    /// The plans in force. A superseded plan is not re-published: its PlanIssued would bring back, in a copy that keeps
    /// only the plan in force (Classification's targets), what its successor replaced; the successor's own PlanIssued
    /// marks it superseded wherever it is copied.
    /// </summary>
    public const string PlanRows = "SELECT id::text AS key, 1::bigint AS version FROM plans WHERE status = 'Issued'";

    public async Task Consume(ConsumeContext<ReconcileCopy> context)
    {
        var request = context.Message;
        var rows = request.Copy switch
        {
            CopyNames.UnitTree => UnitRows,
            CopyNames.Deadlines => DeadlineRows,
            CopyNames.Plans => PlanRows,
            _ => null,
        };
        if (rows is null) return;

        await db.HandleOnceAsync<ReconcileCopyConsumer>(context, async ct =>
        {
            var (buckets, keys) = await CopyDigest.DifferingKeysAsync(db, request, rows, ct);
            if (keys.Count == 0)
            {
                if (buckets.Count > 0)
                    logger.LogInformation("Copy {Copy} of {RequestedBy} differs in {Buckets} buckets where the source holds nothing", request.Copy, request.RequestedBy, buckets.Count);
                return;
            }

            var messages = request.Copy switch
            {
                CopyNames.UnitTree => await RepublishUnitsAsync(keys, ct),
                CopyNames.Deadlines => await RepublishDeadlinesAsync(keys, ct),
                _ => await RepublishPlansAsync(keys, ct),
            };
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Copy {Copy} of {RequestedBy} differs in {Buckets} of {BucketCount} buckets: {Rows} rows re-published in {Messages} messages",
                request.Copy, request.RequestedBy, buckets.Count, request.BucketCount, keys.Count, messages);
        });
    }

    async Task<int> RepublishUnitsAsync(List<string> keys, CancellationToken ct)
    {
        var ids = keys.Select(Guid.Parse).ToList();
        var units = await db.OrgUnits.AsNoTracking().Where(u => ids.Contains(u.Id)).OrderBy(u => u.ChangeSequence).ThenBy(u => u.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var batches = units.Chunk(OrgUnitChanges.BatchSize).ToList();
        foreach (var batch in batches)
            db.AddOutboxMessage(new OrgUnitsChanged { Sequence = batch[^1].ChangeSequence, Units = [.. batch.Select(OrgUnitChanges.ToVersion)], Replay = true, OccurredAt = now }, clock);
        return batches.Count;
    }

    async Task<int> RepublishDeadlinesAsync(List<string> keys, CancellationToken ct)
    {
        var messages = 0;
        var now = clock.GetUtcNow();
        // "unit/period": a period never holds a slash, so the last one splits.
        foreach (var period in keys.Where(k => k.LastIndexOf('/') > 0).GroupBy(k => k[(k.LastIndexOf('/') + 1)..], k => k[..k.LastIndexOf('/')]))
        {
            var codes = period.ToList();
            var deadlines = await db.UnitDeadlines.AsNoTracking().Where(d => d.Period == period.Key && codes.Contains(d.OrgUnitCode))
                .OrderBy(d => d.OrgUnitCode).ToListAsync(ct);
            foreach (var batch in deadlines.Chunk(OrgUnitChanges.BatchSize))
            {
                db.AddOutboxMessage(new DeadlinesChanged { Period = period.Key, Deadlines = [.. batch.Select(DeadlineChanges.ToContract)], OccurredAt = now }, clock);
                messages++;
            }
        }

        return messages;
    }

    async Task<int> RepublishPlansAsync(List<string> keys, CancellationToken ct)
    {
        var ids = keys.Select(Guid.Parse).ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => ids.Contains(p.Id) && p.Status == PlanStatus.Issued).ToListAsync(ct);
        // Stamped with the time it was issued, as the first time: a copy keeps when the plan was issued.
        foreach (var plan in plans) db.AddOutboxMessage(PlansApi.ToPlanIssued(plan, plan.IssuedAt ?? clock.GetUtcNow()), clock);
        return plans.Count;
    }
}
