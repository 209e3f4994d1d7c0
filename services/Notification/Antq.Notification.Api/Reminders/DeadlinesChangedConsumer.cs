using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Notification.Api.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Antq.Notification.Api.Reminders;

/// <summary>
/// Keeps the copy of deadlines (<see cref="Reminders.DueReport"/>) in step with the Plan service: one set-based upsert per
/// message that keeps, per unit and period, the row with the highest sequence, so that a redelivered or late message
/// never brings back a stale deadline.
/// </summary>
public sealed class DeadlinesChangedConsumer(NotificationDbContext db, ILogger<DeadlinesChangedConsumer> logger) : IConsumer<DeadlinesChanged>
{
    /// <summary>The copy's rows as the Plan service keys and versions them, for healing (<c>Copies</c>).</summary>
    public const string CopyRows = "SELECT org_unit_code || '/' || period AS key, sequence AS version FROM due_reports";

    public async Task Consume(ConsumeContext<DeadlinesChanged> context)
    {
        var message = context.Message;
        if (message.Deadlines.Count == 0) return;
        // The same unit twice in one message: the higher sequence wins.
        var rows = message.Deadlines.GroupBy(d => d.OrgUnitCode).Select(g => g.MaxBy(d => d.Sequence)!).ToList();
        var applied = 0;
        await db.HandleOnceAsync<DeadlinesChangedConsumer>(context, async cancellationToken =>
        {
            applied = await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO due_reports (org_unit_code, period, reports_to_code, due_at, plan_id, derived, sequence, updated_at)
                SELECT u.code, @period, u.reports_to, u.due_at, u.plan_id, u.derived, u.sequence, now()
                FROM unnest(@codes, @reports, @dues, @plans, @derived, @sequences)
                    AS u(code, reports_to, due_at, plan_id, derived, sequence)
                ON CONFLICT (org_unit_code, period) DO UPDATE SET
                    reports_to_code = excluded.reports_to_code, due_at = excluded.due_at, plan_id = excluded.plan_id,
                    derived = excluded.derived, sequence = excluded.sequence, updated_at = excluded.updated_at
                WHERE due_reports.sequence < excluded.sequence
                """,
                [
                    new NpgsqlParameter("period", NpgsqlDbType.Varchar) { Value = message.Period },
                    new NpgsqlParameter("codes", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = rows.Select(r => r.OrgUnitCode).ToArray() },
                    new NpgsqlParameter("reports", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = rows.Select(r => r.ReportsToCode).ToArray() },
                    new NpgsqlParameter("dues", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.DueAt?.UtcDateTime).ToArray() },
                    new NpgsqlParameter("plans", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = rows.Select(r => r.PlanId).ToArray() },
                    new NpgsqlParameter("derived", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = rows.Select(r => r.Derived).ToArray() },
                    new NpgsqlParameter("sequences", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.Sequence).ToArray() },
                ],
                cancellationToken);
        });
        logger.LogInformation("Deadlines of {Period}: {Applied} of {Count} applied", message.Period, applied, rows.Count);
    }
}
