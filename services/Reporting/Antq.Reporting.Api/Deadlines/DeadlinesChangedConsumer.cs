using Antq.Contracts.Plan;
using Antq.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Deadlines;

/// <summary>
/// Keeps the copy of per-unit deadlines (hạn nộp) for a period: once per message (inbox), and per unit only the version
/// with the highest sequence, so batches may arrive in any order or twice and the copy ends the same.
/// </summary>
public sealed class DeadlinesChangedConsumer(ReportingDbContext db, ILogger<DeadlinesChangedConsumer> logger) : IConsumer<DeadlinesChanged>
{
    /// <summary>The copy's rows as the Plan service keys and versions them, for healing (<c>Copies</c>).</summary>
    public const string CopyRows = "SELECT org_unit_code || '/' || period AS key, sequence AS version FROM unit_deadlines";

    public async Task Consume(ConsumeContext<DeadlinesChanged> context)
    {
        var message = context.Message;
        // One row per unit (the newest), or the upsert would touch the same row twice.
        var deadlines = message.Deadlines.GroupBy(d => d.OrgUnitCode).Select(g => g.MaxBy(d => d.Sequence)!).ToList();
        await db.HandleOnceAsync<DeadlinesChangedConsumer>(context, async ct =>
        {
            if (deadlines.Count == 0) return;
            var codes = deadlines.Select(d => d.OrgUnitCode).ToArray();
            var reportsTo = deadlines.Select(d => d.ReportsToCode).ToArray();
            // timestamptz takes UTC instants; the contract carries +07:00.
            var dues = deadlines.Select(d => d.DueAt?.ToUniversalTime()).ToArray();
            var plans = deadlines.Select(d => d.PlanId).ToArray();
            var derived = deadlines.Select(d => d.Derived).ToArray();
            var sequences = deadlines.Select(d => d.Sequence).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO unit_deadlines (org_unit_code, period, reports_to_code, due_at, plan_id, derived, sequence)
                SELECT d.code, {message.Period}, d.reports_to, d.due_at, d.plan_id, d.derived, d.sequence
                FROM unnest({codes}::text[], {reportsTo}::text[], {dues}::timestamptz[], {plans}::uuid[], {derived}::boolean[], {sequences}::bigint[])
                    AS d(code, reports_to, due_at, plan_id, derived, sequence)
                ORDER BY d.code COLLATE "C"
                ON CONFLICT (org_unit_code, period) DO UPDATE SET
                    reports_to_code = excluded.reports_to_code, due_at = excluded.due_at, plan_id = excluded.plan_id,
                    derived = excluded.derived, sequence = excluded.sequence
                WHERE unit_deadlines.sequence < excluded.sequence
                """, ct);
            logger.LogInformation("Deadlines of {Period} applied for {Count} units", message.Period, deadlines.Count);
        });
    }
}
