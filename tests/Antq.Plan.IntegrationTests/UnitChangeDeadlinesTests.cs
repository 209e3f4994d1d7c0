using System.Globalization;
using System.Net;
using System.Text.Json;
using Antq.Calendar;
using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Notification.Api.Data;
using Antq.Plan.Api.Data;
using Antq.Plan.Api.Deadlines;
using Antq.Plan.Api.Units;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Antq.Plan.IntegrationTests.PlanApi;

namespace Antq.Plan.IntegrationTests;

/// <summary>
/// The deadline chain follows the tree: a unit added, moved, merged or closed below an issued plan gets, changes or
/// loses its deadlines in the transaction of the change, and the Notification and Reporting copies follow. In the plans
/// collection, so that it runs after or before the other plan tests, never beside them; on a tree of its own.
/// </summary>
[Collection(PlansCollection.Name)]
public sealed class UnitChangeDeadlinesTests(UnitChangesFixture fixture) : IClassFixture<UnitChangesFixture>
{
    static DateTimeOffset Vn(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.FromHours(7));

    static void AssertDeadline(JsonElement deadline, DateTimeOffset dueAt, Guid planId, bool derived, string reportsTo)
    {
        Assert.Equal(dueAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), deadline.GetProperty("dueAt").GetString());
        Assert.Equal(planId, deadline.GetProperty("planId").GetGuid());
        Assert.Equal(derived, deadline.GetProperty("derived").GetBoolean());
        Assert.Equal(reportsTo, deadline.GetProperty("reportsToCode").GetString());
        Assert.Equal($"Hạn nộp: trước ngày {dueAt.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}", deadline.GetProperty("display").GetString());
    }

    async Task AssertNoDeadlineAsync(HttpClient client, string code, string period)
    {
        var (status, problem) = await SendAsync(client, HttpMethod.Get, $"/api/deadlines/{code}/{period}");
        Assert.True(status == HttpStatusCode.NotFound, $"deadline of {code} {period} answered {(int)status}: {problem}");
    }

    [Fact]
    public async Task A_unit_added_below_an_issued_plan_has_its_deadline_at_once_and_it_is_published_to_both_copies()
    {
        // Thanh Hóa (38) 2026: the province plan; Phường Hạc Thành (14797) its own, Phường Hàm Rồng (14758) none.
        var province = await CreateAndIssueAsync(fixture.Officer("38"), Draft("38", 2026));
        var commune = await CreateAndIssueAsync(fixture.Officer("14797", AntqRoles.CommuneOfficer),
            Draft("14797", 2026, new Dictionary<string, string> { ["2026-H1"] = "2026-06-05", ["2026-Y"] = "2026-11-20" }, parentPlanId: province));

        // Added on 6 December 2026, one by one and by a file: after the six-month window (14 June), before the annual one ends (14 December).
        var (created, body) = await SendAsync(fixture.Admin, HttpMethod.Post, "/api/org-units", new System.Text.Json.Nodes.JsonObject
        {
            ["code"] = "14758-TDP-MOI", ["name"] = "Tổ dân phố Mới", ["kind"] = "ResidentialArea", ["parentCode"] = "14758", ["validFrom"] = "2026-12-06",
        });
        Assert.True(created == HttpStatusCode.Created, $"POST /api/org-units answered {(int)created}: {body}");
        var imported = await fixture.ImportCsvAsync("14797-THON-MOI,Thôn Mới,ResidentialArea,14797\n", "2026-12-06");
        Assert.Equal(1, imported.GetProperty("created").GetInt32());

        // The province's officer reads them at once, as the tree stands today.
        var officer = fixture.Officer("38");
        AssertDeadline(await DeadlineAsync(officer, "14758-TDP-MOI", "2026-Y"), Vn(2026, 11, 26), province, derived: true, reportsTo: "14758");
        AssertDeadline(await DeadlineAsync(officer, "14797-THON-MOI", "2026-Y"), Vn(2026, 11, 20), commune, derived: false, reportsTo: "14797");
        // Not in the hierarchy of 14 June 2026, through which the six-month reports roll up: nothing owed for 2026-H1.
        await AssertNoDeadlineAsync(officer, "14758-TDP-MOI", "2026-H1");
        await AssertNoDeadlineAsync(officer, "14797-THON-MOI", "2026-H1");

        // Announced in the outbox of the same transaction, and published.
        await using var scope = fixture.Plan.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanDbContext>();
        var rows = await db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType.StartsWith("Antq.Contracts.Plan.DeadlinesChanged")).OrderBy(m => m.Id).ToListAsync();
        var (row, message) = Assert.Single(
            rows.Select(r => (Row: r, Message: JsonSerializer.Deserialize<DeadlinesChanged>(r.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!)),
            m => m.Message.Deadlines.Any(d => d.OrgUnitCode == "14758-TDP-MOI"));
        Assert.Equal("2026-Y", message.Period);
        var published = Assert.Single(message.Deadlines);
        Assert.Equal(("14758-TDP-MOI", "14758", Vn(2026, 11, 26), province, true),
            (published.OrgUnitCode, published.ReportsToCode, published.DueAt!.Value, published.PlanId!.Value, published.Derived));
        await WaitForAsync("the outbox to publish the new unit's deadline", async () =>
            await db.Set<OutboxMessage>().AsNoTracking().AnyAsync(m => m.Id == row.Id && m.SentAt != null));

        await WaitForCopiesAsync("14758-TDP-MOI", "2026-Y", Vn(2026, 11, 26), province, derived: true, reportsTo: "14758");
        await WaitForCopiesAsync("14797-THON-MOI", "2026-Y", Vn(2026, 11, 20), commune, derived: false, reportsTo: "14797");
    }

    [Fact]
    public async Task A_unit_imported_today_without_a_date_is_bound_by_the_next_years_plan_in_both_periods()
    {
        // Nghệ An (40), next year's plan already issued; the CSV file says no date, so the units are valid from today.
        var today = VietnamTime.Today(fixture.Plan.Services.GetRequiredService<TimeProvider>());
        var year = today.Year + 1;
        var province = await CreateAndIssueAsync(fixture.Officer("40"), Draft("40", year));

        var imported = await fixture.ImportAsync("/api/org-units/import",
            System.Text.Encoding.UTF8.GetBytes("code,name,kind,parentCode\n16681-TDP-HOMNAY,Tổ dân phố Hôm Nay,ResidentialArea,16681\n"), "text/csv");
        Assert.Equal(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), imported.GetProperty("effectiveFrom").GetString());

        var officer = fixture.Officer("40");
        AssertDeadline(await DeadlineAsync(officer, "16681-TDP-HOMNAY", $"{year}-H1"), Vn(year, 6, 10), province, derived: true, reportsTo: "16681");
        AssertDeadline(await DeadlineAsync(officer, "16681-TDP-HOMNAY", $"{year}-Y"), Vn(year, 11, 26), province, derived: true, reportsTo: "16681");
        await WaitForCopiesAsync("16681-TDP-HOMNAY", $"{year}-H1", Vn(year, 6, 10), province, derived: true, reportsTo: "16681");
    }

    [Fact]
    public async Task A_unit_moved_to_another_commune_follows_the_chain_of_its_new_parent_from_the_periods_the_move_reaches()
    {
        // Hà Tĩnh (42) 2028: the province plan; Phường Thành Sen (18073) its own, Phường Trần Phú (18100) none.
        await fixture.ImportCsvAsync("18100-TDP01,Tổ dân phố 1,ResidentialArea,18100\n18100-TDP01-MN,Trường Mầm non Tổ dân phố 1,School,18100-TDP01\n", "2025-07-01");
        var province = await CreateAndIssueAsync(fixture.Officer("42"), Draft("42", 2028));
        var commune = await CreateAndIssueAsync(fixture.Officer("18073", AntqRoles.CommuneOfficer),
            Draft("18073", 2028, new Dictionary<string, string> { ["2028-H1"] = "2028-05-20", ["2028-Y"] = "2028-11-10" }, parentPlanId: province));
        AssertDeadline(await DeadlineAsync(fixture.Admin, "18100-TDP01", "2028-Y"), Vn(2028, 11, 26), province, derived: true, reportsTo: "18100");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "18100-TDP01-MN", "2028-Y"), Vn(2028, 11, 21), province, derived: true, reportsTo: "18100-TDP01");

        // From 1 July 2028 the residential area belongs to Thành Sen (a new version under another parent).
        var (moved, body) = await SendAsync(fixture.Admin, HttpMethod.Post, "/api/org-units", new System.Text.Json.Nodes.JsonObject
        {
            ["code"] = "18100-TDP01", ["name"] = "Tổ dân phố 1", ["kind"] = "ResidentialArea", ["parentCode"] = "18073", ["validFrom"] = "2028-07-01",
        });
        Assert.True(moved == HttpStatusCode.Created, $"the move answered {(int)moved}: {body}");

        // The annual hierarchy (14 December 2028) has it under Thành Sen, whose plan binds it; the school below follows.
        AssertDeadline(await DeadlineAsync(fixture.Admin, "18100-TDP01", "2028-Y"), Vn(2028, 11, 10), commune, derived: false, reportsTo: "18073");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "18100-TDP01-MN", "2028-Y"), Vn(2028, 11, 5), commune, derived: true, reportsTo: "18100-TDP01");
        // The six-month hierarchy (14 June 2028) still has it under Trần Phú: unchanged.
        AssertDeadline(await DeadlineAsync(fixture.Admin, "18100-TDP01", "2028-H1"), Vn(2028, 6, 10), province, derived: true, reportsTo: "18100");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "18100-TDP01-MN", "2028-H1"), Vn(2028, 6, 5), province, derived: true, reportsTo: "18100-TDP01");

        await WaitForCopiesAsync("18100-TDP01", "2028-Y", Vn(2028, 11, 10), commune, derived: false, reportsTo: "18073");
        await WaitForCopiesAsync("18100-TDP01-MN", "2028-Y", Vn(2028, 11, 5), commune, derived: true, reportsTo: "18100-TDP01");
    }

    [Fact]
    public async Task Communes_merged_into_a_new_one_lose_their_deadlines_and_the_successor_gets_the_provinces()
    {
        // Quảng Trị (44) 2029: Phường Đồng Thuận (18859) and Phường Đồng Sơn (18871) become Phường Đồng Thuận Sơn (44901) on 1 January 2029.
        await fixture.ImportCsvAsync("18871-TDP01,Tổ dân phố 1,ResidentialArea,18871\n", "2025-07-01");
        var province = await CreateAndIssueAsync(fixture.Officer("44"), Draft("44", 2029));
        AssertDeadline(await DeadlineAsync(fixture.Admin, "18859", "2029-H1"), Vn(2029, 6, 15), province, derived: false, reportsTo: "44");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "18871-TDP01", "2029-H1"), Vn(2029, 6, 10), province, derived: true, reportsTo: "18871");

        var list = await fixture.TwoTierListAsync(new DateOnly(2029, 1, 1), ["18859", "18871"], [("44901", "Phường Đồng Thuận Sơn", "44")]);
        var merged = await fixture.ImportAsync("/api/org-units/import?effectiveFrom=2029-01-01", list, "application/json");
        Assert.Equal((1, 2), (merged.GetProperty("created").GetInt32(), merged.GetProperty("closed").GetInt32()));

        foreach (var period in new[] { "2029-H1", "2029-Y" })
        {
            AssertDeadline(await DeadlineAsync(fixture.Admin, "44901", period), period.EndsWith("H1") ? Vn(2029, 6, 15) : Vn(2029, 12, 1), province, derived: false, reportsTo: "44");
            await AssertNoDeadlineAsync(fixture.Admin, "18859", period);
            await AssertNoDeadlineAsync(fixture.Admin, "18871", period);
            await AssertNoDeadlineAsync(fixture.Admin, "18871-TDP01", period); // its commune is gone: nobody to report to
        }

        var rows = await StoredAsync(["18859", "18871", "18871-TDP01"], "2029-H1");
        Assert.All(rows, r => Assert.Null(r.DueAt));
        Assert.All(rows, r => Assert.Null(r.PlanId));
        Assert.Equal(["44", "44", "18871"], rows.Select(r => r.ReportsToCode));
        await WaitForCopiesAsync("44901", "2029-H1", Vn(2029, 6, 15), province, derived: false, reportsTo: "44");
        await WaitForCopiesWithdrawnAsync("18859", "2029-H1");
        await WaitForCopiesWithdrawnAsync("18871-TDP01", "2029-Y");

        // The residential area joins the successor: bound again, through the new commune.
        await fixture.ImportCsvAsync("18871-TDP01,Tổ dân phố 1,ResidentialArea,44901\n", "2029-01-01");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "18871-TDP01", "2029-H1"), Vn(2029, 6, 10), province, derived: true, reportsTo: "44901");
        await WaitForCopiesAsync("18871-TDP01", "2029-H1", Vn(2029, 6, 10), province, derived: true, reportsTo: "44901");
    }

    [Fact]
    public async Task A_commune_closed_after_the_six_month_window_loses_its_annual_deadline_and_keeps_the_six_month_one()
    {
        // Huế (46) 2030: Phường Phú Xuân (19753) is closed from 1 August 2030, between the two windows' ends.
        await fixture.ImportCsvAsync("19753-TDP01,Tổ dân phố 1,ResidentialArea,19753\n", "2025-07-01");
        var province = await CreateAndIssueAsync(fixture.Officer("46"), Draft("46", 2030));
        AssertDeadline(await DeadlineAsync(fixture.Admin, "19753", "2030-Y"), Vn(2030, 12, 1), province, derived: false, reportsTo: "46");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "19753-TDP01", "2030-Y"), Vn(2030, 11, 26), province, derived: true, reportsTo: "19753");

        var list = await fixture.TwoTierListAsync(new DateOnly(2030, 8, 1), ["19753"], []);
        var closed = await fixture.ImportAsync("/api/org-units/import?effectiveFrom=2030-08-01", list, "application/json");
        Assert.Equal((0, 1), (closed.GetProperty("created").GetInt32(), closed.GetProperty("closed").GetInt32()));

        await AssertNoDeadlineAsync(fixture.Admin, "19753", "2030-Y");
        await AssertNoDeadlineAsync(fixture.Admin, "19753-TDP01", "2030-Y");
        var rows = await StoredAsync(["19753", "19753-TDP01"], "2030-Y");
        Assert.Equal([("19753", "46"), ("19753-TDP01", "19753")], rows.Select(r => (r.OrgUnitCode, r.ReportsToCode)));
        Assert.All(rows, r => Assert.Null(r.DueAt));
        // It was still there on 14 June 2030: its six-month report is still owed, by the same deadline.
        AssertDeadline(await DeadlineAsync(fixture.Admin, "19753", "2030-H1"), Vn(2030, 6, 15), province, derived: false, reportsTo: "46");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "19753-TDP01", "2030-H1"), Vn(2030, 6, 10), province, derived: true, reportsTo: "19753");

        await WaitForCopiesWithdrawnAsync("19753", "2030-Y");
        await WaitForCopiesWithdrawnAsync("19753-TDP01", "2030-Y");
        await WaitForCopiesAsync("19753", "2030-H1", Vn(2030, 6, 15), province, derived: false, reportsTo: "46");
    }

    async Task<List<UnitDeadlineRecord>> StoredAsync(string[] codes, string period)
    {
        await using var scope = fixture.Plan.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanDbContext>();
        return await db.UnitDeadlines.AsNoTracking().Where(d => d.Period == period && codes.Contains(d.OrgUnitCode)).OrderBy(d => d.OrgUnitCode).ToListAsync();
    }

    /// <summary>Waits until the Notification and Reporting copies hold exactly this deadline.</summary>
    async Task WaitForCopiesAsync(string code, string period, DateTimeOffset dueAt, Guid planId, bool derived, string reportsTo)
    {
        var utc = dueAt.ToUniversalTime();
        await WaitForAsync($"Notification's copy of {code} {period}: {dueAt:dd/MM/yyyy} to {reportsTo}", () => InNotificationAsync(db =>
            db.DueReports.AnyAsync(d => d.OrgUnitCode == code && d.Period == period && d.DueAt == utc && d.PlanId == planId && d.Derived == derived && d.ReportsToCode == reportsTo)));
        await WaitForAsync($"Reporting's copy of {code} {period}: {dueAt:dd/MM/yyyy} to {reportsTo}", () => InReportingAsync(db =>
            db.Deadlines.AnyAsync(d => d.OrgUnitCode == code && d.Period == period && d.DueAt == utc && d.PlanId == planId && d.Derived == derived && d.ReportsToCode == reportsTo)));
    }

    /// <summary>Waits until both copies hold the withdrawn deadline (no due time, no plan).</summary>
    async Task WaitForCopiesWithdrawnAsync(string code, string period)
    {
        await WaitForAsync($"Notification's copy of {code} {period} to be withdrawn", () => InNotificationAsync(db =>
            db.DueReports.AnyAsync(d => d.OrgUnitCode == code && d.Period == period && d.DueAt == null && d.PlanId == null)));
        await WaitForAsync($"Reporting's copy of {code} {period} to be withdrawn", () => InReportingAsync(db =>
            db.Deadlines.AnyAsync(d => d.OrgUnitCode == code && d.Period == period && d.DueAt == null && d.PlanId == null)));
    }

    async Task<bool> InNotificationAsync(Func<NotificationDbContext, Task<bool>> condition)
    {
        await using var scope = fixture.Notification.Services.CreateAsyncScope();
        return await condition(scope.ServiceProvider.GetRequiredService<NotificationDbContext>());
    }

    async Task<bool> InReportingAsync(Func<ReportingDbContext, Task<bool>> condition)
    {
        await using var scope = fixture.Reporting.Services.CreateAsyncScope();
        return await condition(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
    }

    static async Task WaitForAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
