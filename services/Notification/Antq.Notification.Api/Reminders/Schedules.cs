using Antq.Notification.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Reminders;

/// <summary>Loading a unit's schedule for a change: every change of one schedule (planner, consumers) serializes on its row.</summary>
public static class Schedules
{
    /// <summary>The schedule of a unit's report for a period, created if new, locked until the transaction ends.</summary>
    public static async Task<UnitSchedule> LockScheduleAsync(this NotificationDbContext db, string orgUnitCode, string period,
        DateTimeOffset now, CancellationToken ct)
    {
        var at = now.ToUniversalTime();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO unit_schedules (org_unit_code, period, deadline_sequence, report_status, updated_at)
            VALUES ({orgUnitCode}, {period}, -1, {ReportStatuses.Missing}, {at})
            ON CONFLICT DO NOTHING
            """, ct);
        var rows = await db.Set<UnitSchedule>()
            .FromSql($"SELECT * FROM unit_schedules WHERE org_unit_code = {orgUnitCode} AND period = {period} FOR UPDATE")
            .ToListAsync(ct);
        return rows.Single();
    }

    /// <summary>The notices of the schedule that still matter to it: pending ones and those already sent.</summary>
    public static Task<List<Notice>> ScheduledNoticesAsync(this NotificationDbContext db, string orgUnitCode, string period, CancellationToken ct) =>
        db.Set<Notice>()
            .Where(n => n.OrgUnitCode == orgUnitCode && n.Period == period &&
                        (n.Kind == NoticeKinds.Reminder || n.Kind == NoticeKinds.Overdue || n.Kind == NoticeKinds.Escalation) &&
                        n.Status != NoticeStatuses.Cancelled)
            .ToListAsync(ct);
}
