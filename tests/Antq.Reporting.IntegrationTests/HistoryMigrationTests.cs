using Antq.Reporting.Api.Data;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Antq.Reporting.IntegrationTests;

/// <summary>
/// The audit trail became one row per change set (a save with each value's old and new; a lifecycle step). A database
/// written the old way, one row per line, reads the same history after the migration: every line, in order, with who
/// and when — through the same code the history endpoint uses.
/// </summary>
public sealed class HistoryMigrationTests
{
    static readonly DateTimeOffset T0 = new(2026, 5, 2, 8, 15, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_history_written_line_by_line_reads_the_same_after_the_change_to_change_sets()
    {
        await using var database = await TestDatabase.CreateAsync("history-migration");
        var options = new DbContextOptionsBuilder<ReportingDbContext>()
            .UseNpgsql(database.ConnectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options;
        await using var db = new ReportingDbContext(options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261205092310_RollupCellsPerUnit"); // the schema before change sets

        var report = Guid.NewGuid();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO reports (id, org_unit_code, period, catalogue_version, status, version, narrative, created_at, created_by, updated_at, updated_by, rollup_path, consolidated)
            VALUES ({report}, '00004', '2026-H1', 'v1', 'Submitted', 6, CAST({"{}"} AS jsonb), {T0}, 'xa', {T0}, 'xa', ARRAY['BCA','01','00004'], false)
            """);
        // The lines as the old code wrote them: a save of two values and a section, a submission, a return with its
        // reason, a save of one value at another instant, a consolidation by the system then its values, a late submission.
        (string Action, string? Field, string? Old, string? New, string By, DateTimeOffset At)[] lines =
        [
            ("value", "TIPS_TOTAL", null, "12", "xa", T0),
            ("value", "FORUMS", null, "3", "xa", T0),
            ("narrative", "KET_QUA", null, "Đã triển khai đầy đủ.", "xa", T0),
            ("submitted", null, null, null, "xa", T0.AddMinutes(5)),
            ("returned", null, null, "Bổ sung số liệu diễn đàn.", "pv01", T0.AddHours(2)),
            ("value", "FORUMS", "3", "4", "xa", T0.AddHours(3)),
            ("consolidated", null, null, "Số liệu điền sẵn từ tổng hợp khi khóa sổ", "system", T0.AddHours(4)),
            ("value", "TIPS_TOTAL", "12", "15", "system", T0.AddHours(4)),
            ("submitted", null, null, "nộp muộn", "xa", T0.AddDays(20)),
        ];
        foreach (var l in lines)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO report_events (report_id, action, field, old_value, new_value, "by", at) VALUES ({report}, {l.Action}, {l.Field}, {l.Old}, {l.New}, {l.By}, {l.At})
                """);
        }

        await migrator.MigrateAsync();

        var changes = await db.ReportChanges.AsNoTracking().Where(c => c.ReportId == report).OrderBy(c => c.Id).ToListAsync();
        // Two saves became one row each; every lifecycle step one row.
        Assert.Equal(["saved", "submitted", "returned", "saved", "consolidated", "saved", "submitted"], changes.Select(c => c.Action));
        var history = changes.SelectMany(c => c.Lines().Select(l => (l.Action, l.Field, l.OldValue, l.NewValue, c.By, c.At))).ToList();
        Assert.Equal(lines.Select(l => (l.Action, l.Field, l.Old, l.New, l.By, l.At)), history);
    }
}
