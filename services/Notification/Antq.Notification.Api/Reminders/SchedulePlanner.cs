using Antq.Notification.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Reminders;

/// <summary>
/// Keeps the reminder schedules in step with the copy of deadlines and plan policies (<c>due_reports</c>,
/// <c>plan_reminder_policies</c>, kept by their own consumers): a schedule whose deadline has a newer sequence, or whose
/// plan's policy changed or was superseded, is planned again. Each schedule is replanned under its row lock, so
/// replicas and the report consumers never step on each other.
/// </summary>
public sealed class SchedulePlanner(NotificationDbContext db, Policies policies, TimeProvider clock, ILogger<SchedulePlanner> logger)
{
    /// <summary>Schedules whose deadline copy has a newer sequence, or whose plan policy changed, or that do not exist yet.</summary>
    const string StaleSql = """
        SELECT d.org_unit_code || '|' || d.period AS "Value"
        FROM due_reports d
        LEFT JOIN plan_reminder_policies p ON p.plan_id = d.plan_id
        LEFT JOIN unit_schedules s ON s.org_unit_code = d.org_unit_code AND s.period = d.period
        WHERE s.org_unit_code IS NULL OR s.deadline_sequence < d.sequence
           OR s.policy_fingerprint IS DISTINCT FROM (
        """ + Policies.KeySql + """
        )
        ORDER BY d.due_at NULLS LAST
        LIMIT {0}
        """;

    /// <summary>Replans up to <paramref name="batchSize"/> stale schedules; returns how many it replanned.</summary>
    public async Task<int> PlanOnceAsync(int batchSize, CancellationToken ct)
    {
        var stale = await db.Database.SqlQueryRaw<string>(StaleSql, batchSize).ToListAsync(ct);

        var planned = 0;
        foreach (var key in stale)
        {
            var parts = key.Split('|', 2);
            if (await PlanAsync(parts[0], parts[1], ct)) planned++;
        }

        return planned;
    }

    /// <summary>Replans one schedule if its deadline or policy changed; returns whether it did.</summary>
    public async Task<bool> PlanAsync(string orgUnitCode, string period, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var schedule = await db.LockScheduleAsync(orgUnitCode, period, now, ct);
        var due = await db.DueReports.AsNoTracking().FirstOrDefaultAsync(d => d.OrgUnitCode == orgUnitCode && d.Period == period, ct);
        if (due is null) return false;
        var plan = due.PlanId is { } planId ? await db.PlanReminderSettings.AsNoTracking().FirstOrDefaultAsync(p => p.PlanId == planId, ct) : null;
        var key = Policies.KeyOf(plan);
        if (schedule.DeadlineSequence >= due.Sequence && schedule.PolicyFingerprint == key) return false;

        var policy = policies.For(plan);
        // A superseded plan's deadlines no longer bind: its reminders stop until the new version's deadlines arrive.
        var deadline = plan?.SupersededById is null ? due.DueAt : null;
        var notices = await db.ScheduledNoticesAsync(orgUnitCode, period, ct);
        var created = schedule.ApplyDeadline(deadline, due.ReportsToCode, due.PlanId, due.Sequence, policy, notices, now, key);
        db.AddRange(created);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Schedule of {OrgUnitCode} {Period} planned for deadline {DeadlineAt}: {Created} new notices",
            orgUnitCode, period, deadline, created.Count);
        return true;
    }
}
