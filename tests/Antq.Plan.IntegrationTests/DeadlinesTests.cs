using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Antq.Notification.Api.Data;
using Antq.Plan.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Antq.Plan.IntegrationTests.PlanApi;

namespace Antq.Plan.IntegrationTests;

/// <summary>The deadline chain over HTTP on the real lists, and the Notification service's copy across the broker.</summary>
[Collection(PlansCollection.Name)]
public sealed class DeadlinesTests(PlansFixture fixture, ITestOutputHelper output)
{
    static void AssertDeadline(JsonElement deadline, string dueAt, Guid planId, bool derived, string display)
    {
        Assert.Equal(dueAt, deadline.GetProperty("dueAt").GetString());
        Assert.Equal(planId, deadline.GetProperty("planId").GetGuid());
        Assert.Equal(derived, deadline.GetProperty("derived").GetBoolean());
        Assert.Equal(display, deadline.GetProperty("display").GetString());
    }

    [Fact]
    public async Task Province_and_commune_plans_bind_a_commune_its_residential_area_and_a_commune_without_a_plan()
    {
        // Hà Nội (01) 2026; Phường Ba Đình (00004) issues its own plan, Phường Ngọc Hà (00008) does not.
        var province = await CreateAndIssueAsync(fixture.Officer("01"), Draft("01", 2026));
        var commune = await CreateAndIssueAsync(fixture.Officer("00004", AntqRoles.CommuneOfficer),
            Draft("00004", 2026, new Dictionary<string, string> { ["2026-H1"] = "2026-05-07", ["2026-Y"] = "2026-11-05" }, parentPlanId: province));
        var viewer = fixture.Plan.CreateClientAs("viewer", AntqRoles.Viewer, "01");

        var ofCommune = await DeadlineAsync(viewer, "00004", "2026-H1");
        AssertDeadline(ofCommune, "2026-06-15T00:00:00+07:00", province, false, "Hạn nộp: trước ngày 15/06/2026");
        Assert.Equal("01", ofCommune.GetProperty("reportsToCode").GetString());
        Assert.Equal("00004", ofCommune.GetProperty("orgUnitCode").GetString());
        Assert.Equal("2026-H1", ofCommune.GetProperty("period").GetString());

        var ofArea = await DeadlineAsync(viewer, "00004-TDP01", "2026-H1");
        AssertDeadline(ofArea, "2026-05-07T00:00:00+07:00", commune, false, "Hạn nộp: trước ngày 07/05/2026");
        Assert.Equal("00004", ofArea.GetProperty("reportsToCode").GetString());
        AssertDeadline(await DeadlineAsync(viewer, "00004-TDP01", "2026-Y"), "2026-11-05T00:00:00+07:00", commune, false, "Hạn nộp: trước ngày 05/11/2026");

        AssertDeadline(await DeadlineAsync(viewer, "00008", "2026-H1"), "2026-06-15T00:00:00+07:00", province, false, "Hạn nộp: trước ngày 15/06/2026");
        AssertDeadline(await DeadlineAsync(viewer, "00008-TDP01", "2026-H1"), "2026-06-10T00:00:00+07:00", province, true, "Hạn nộp: trước ngày 10/06/2026");
        AssertDeadline(await DeadlineAsync(viewer, "00008-TDP01", "2026-Y"), "2026-11-26T00:00:00+07:00", province, true, "Hạn nộp: trước ngày 26/11/2026");

        // The province itself: nobody above set one.
        var (status, problem) = await SendAsync(viewer, HttpMethod.Get, "/api/deadlines/01/2026-H1");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Chưa có hạn nộp báo cáo kỳ 2026-H1", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_child_deadline_after_the_parents_is_refused_at_issue_naming_both_dates()
    {
        // Hồ Chí Minh (79) 2026: a commune gives its units until 20/06 while it must report by 15/06.
        await CreateAndIssueAsync(fixture.Officer("79"), Draft("79", 2026));
        var officer = fixture.Officer("25747", AntqRoles.CommuneOfficer);
        var draft = await CreateAsync(officer, Draft("25747", 2026, new Dictionary<string, string> { ["2026-H1"] = "2026-06-20", ["2026-Y"] = "2026-11-20" }));
        var id = draft.GetProperty("id").GetGuid();

        var (status, problem) = await SendAsync(officer, HttpMethod.Post, $"/api/plans/{id}/issue");

        Assert.Equal(HttpStatusCode.Conflict, status);
        var message = problem.GetProperty("errors").GetProperty("deadlines.2026-H1")[0].GetString();
        Assert.Contains("trước ngày 20/06/2026", message);
        Assert.Contains("trước ngày 15/06/2026", message);
        Assert.Contains("trước ngày 20/06/2026", problem.GetProperty("detail").GetString());
        Assert.False(problem.GetProperty("errors").TryGetProperty("deadlines.2026-Y", out _)); // 20/11 is before 01/12
        var (_, plan) = await SendAsync(officer, HttpMethod.Get, $"/api/plans/{id}");
        Assert.Equal("Draft", plan.GetProperty("status").GetString());
        var (below, _) = await SendAsync(fixture.Admin, HttpMethod.Get, "/api/deadlines/25747-X/2026-H1");
        Assert.Equal(HttpStatusCode.NotFound, below);
    }

    [Fact]
    public async Task Superseding_a_plan_moves_the_deadlines_seen_by_the_api_and_by_the_notification_and_reporting_copies()
    {
        // Đà Nẵng (48) 2026.
        var officer = fixture.Officer("48");
        var first = await CreateAndIssueAsync(officer, Draft("48", 2026));
        var communes = await CommunesAsync("48", new DateOnly(2026, 6, 14));
        Assert.Equal(94, communes.Count);

        await WaitForCopyAsync("2026-H1", communes, first, new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.FromHours(7)));

        var (status, draft) = await SendAsync(officer, HttpMethod.Post, $"/api/plans/{first}/supersede",
            new System.Text.Json.Nodes.JsonObject { ["number"] = "02/KH-CATP", ["deadlines"] = new System.Text.Json.Nodes.JsonObject { ["2026-H1"] = "2026-06-08", ["2026-Y"] = "2026-12-01" } });
        Assert.Equal(HttpStatusCode.Created, status);
        var second = draft.GetProperty("id").GetGuid();
        Assert.Equal(first, draft.GetProperty("supersedes").GetGuid());
        Assert.Equal("PCT_UNITS_SAFE", draft.GetProperty("targets")[0].GetProperty("indicator").GetString()); // copied
        // Until the new version is issued, the old deadlines hold.
        AssertDeadline(await DeadlineAsync(officer, "20194", "2026-H1"), "2026-06-15T00:00:00+07:00", first, false, "Hạn nộp: trước ngày 15/06/2026");

        await IssueAsync(officer, second);

        AssertDeadline(await DeadlineAsync(officer, "20194", "2026-H1"), "2026-06-08T00:00:00+07:00", second, false, "Hạn nộp: trước ngày 08/06/2026");
        AssertDeadline(await DeadlineAsync(officer, "20194-TDP01", "2026-H1"), "2026-06-03T00:00:00+07:00", second, true, "Hạn nộp: trước ngày 03/06/2026");
        AssertDeadline(await DeadlineAsync(officer, "20197", "2026-Y"), "2026-12-01T00:00:00+07:00", second, false, "Hạn nộp: trước ngày 01/12/2026");
        var (_, old) = await SendAsync(officer, HttpMethod.Get, $"/api/plans/{first}");
        Assert.Equal("Superseded", old.GetProperty("status").GetString());
        Assert.Equal(second, old.GetProperty("supersededBy").GetGuid());

        // Notification's copy: every commune of Đà Nẵng moves to 08/06 from the new plan; none keeps the old one.
        await WaitForCopyAsync("2026-H1", communes, second, new DateTimeOffset(2026, 6, 8, 0, 0, 0, TimeSpan.FromHours(7)));
        await WaitForCopyAsync("2026-Y", communes, second, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(7)));
        // Reporting's copy, by which submissions are marked on time or late: it moves too, and keeps nothing of the old plan.
        await WaitForReportingCopyAsync("2026-H1", communes, second, new DateTimeOffset(2026, 6, 8, 0, 0, 0, TimeSpan.FromHours(7)));
        await WaitForAsync("the old plan's reminders to stop", async db =>
            await db.PlanReminderSettings.AnyAsync(p => p.PlanId == first && p.SupersededById == second)
            && await db.PlanReminderSettings.AnyAsync(p => p.PlanId == second && p.Reminders.Count == 4));

        // The superseded version can be neither issued nor superseded again.
        var (again, _) = await SendAsync(officer, HttpMethod.Post, $"/api/plans/{first}/supersede", new System.Text.Json.Nodes.JsonObject());
        Assert.Equal(HttpStatusCode.Conflict, again);
    }

    [Fact]
    public async Task A_version_without_a_period_withdraws_that_periods_deadlines_everywhere()
    {
        // Hải Phòng (31) 2026: the new version sets only the annual deadline.
        var officer = fixture.Officer("31");
        var first = await CreateAndIssueAsync(officer, Draft("31", 2026));
        var body = Draft("31", 2026, new Dictionary<string, string> { ["2026-Y"] = "2026-12-05" });
        body["supersedes"] = first.ToString();
        var second = (await CreateAsync(officer, body)).GetProperty("id").GetGuid();
        await IssueAsync(officer, second);

        var (status, _) = await SendAsync(officer, HttpMethod.Get, "/api/deadlines/10507/2026-H1");
        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertDeadline(await DeadlineAsync(officer, "10507", "2026-Y"), "2026-12-05T00:00:00+07:00", second, false, "Hạn nộp: trước ngày 05/12/2026");
        await WaitForAsync("the withdrawn deadline to reach the copy", async db =>
            await db.DueReports.AnyAsync(d => d.OrgUnitCode == "10507-TDP01" && d.Period == "2026-H1" && d.DueAt == null && d.PlanId == null)
            && await db.DueReports.AnyAsync(d => d.OrgUnitCode == "10507" && d.Period == "2026-Y" && d.PlanId == second));
    }

    [Fact]
    public async Task In_the_three_tier_era_a_district_plan_binds_its_communes_and_elsewhere_communes_derive_from_their_district()
    {
        // Hà Nội 2025, six-month: the data window ends 14/06/2025, before the reform.
        var province = await CreateAndIssueAsync(fixture.Officer("01"), Draft("01", 2025));
        var district = await CreateAndIssueAsync(fixture.Officer("001", AntqRoles.DistrictOfficer),
            Draft("001", 2025, new Dictionary<string, string> { ["2025-H1"] = "2025-06-05" }, parentPlanId: province));

        AssertDeadline(await DeadlineAsync(fixture.Admin, "001", "2025-H1"), "2025-06-15T00:00:00+07:00", province, false, "Hạn nộp: trước ngày 15/06/2025");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "00001", "2025-H1"), "2025-06-05T00:00:00+07:00", district, false, "Hạn nộp: trước ngày 05/06/2025");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "002", "2025-H1"), "2025-06-15T00:00:00+07:00", province, false, "Hạn nộp: trước ngày 15/06/2025");
        var derived = await DeadlineAsync(fixture.Admin, "00037", "2025-H1");
        AssertDeadline(derived, "2025-06-10T00:00:00+07:00", province, true, "Hạn nộp: trước ngày 10/06/2025");
        Assert.Equal("002", derived.GetProperty("reportsToCode").GetString());
        // The annual window ends 14/12/2025, after the reform: communes report straight to the province.
        var annual = await DeadlineAsync(fixture.Admin, "00004", "2025-Y");
        AssertDeadline(annual, "2025-12-01T00:00:00+07:00", province, false, "Hạn nộp: trước ngày 01/12/2025");
        Assert.Equal("01", annual.GetProperty("reportsToCode").GetString());
    }

    [Fact]
    public async Task A_national_plan_sets_the_deadlines_of_every_province_and_commune_in_one_issue()
    {
        // 2027: the Ministry's plan; no province issued one, so every commune derives.
        var draft = await CreateAsync(fixture.Admin, Draft("BCA", 2027, new Dictionary<string, string> { ["2027-H1"] = "2027-06-20", ["2027-Y"] = "2027-12-10" }));
        var id = draft.GetProperty("id").GetGuid();
        var watch = Stopwatch.StartNew();
        await IssueAsync(fixture.Admin, id);
        watch.Stop();
        output.WriteLine($"Issuing the national plan (recomputing and publishing both periods) took {watch.ElapsedMilliseconds} ms");

        await using var scope = fixture.Plan.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanDbContext>();
        var rows = await db.UnitDeadlines.AsNoTracking().Where(d => d.Period == "2027-H1" && d.PlanId == id).ToListAsync();
        Assert.Equal(34, rows.Count(r => !r.Derived));
        Assert.Equal(3321 + PlansFixture.ResidentialAreas.Trim().Split('\n').Length - 1, rows.Count(r => r.Derived)); // communes and the residential areas below them
        AssertDeadline(await DeadlineAsync(fixture.Admin, "79", "2027-H1"), "2027-06-20T00:00:00+07:00", id, false, "Hạn nộp: trước ngày 20/06/2027");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "25747", "2027-H1"), "2027-06-15T00:00:00+07:00", id, true, "Hạn nộp: trước ngày 15/06/2027");
        AssertDeadline(await DeadlineAsync(fixture.Admin, "00004-TDP01", "2027-Y"), "2027-11-30T00:00:00+07:00", id, true, "Hạn nộp: trước ngày 30/11/2027");
        var messages = await db.Set<Antq.Messaging.OutboxMessage>().AsNoTracking().Where(m => m.MessageType.StartsWith("Antq.Contracts.Plan.DeadlinesChanged")).ToListAsync();
        Assert.True(messages.Count >= 8, $"{messages.Count} DeadlinesChanged messages: expected batches of at most 1,000 for each period");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"issuing the national plan took {watch.Elapsed}");

        await WaitForAsync("the national deadlines to reach the copy", async copy =>
            await copy.DueReports.CountAsync(d => d.Period == "2027-H1" && d.PlanId == id) == rows.Count);

        // A new national version moves every deadline of the country again, warm this time.
        var (status, next) = await SendAsync(fixture.Admin, HttpMethod.Post, $"/api/plans/{id}/supersede",
            new System.Text.Json.Nodes.JsonObject { ["deadlines"] = new System.Text.Json.Nodes.JsonObject { ["2027-H1"] = "2027-06-18", ["2027-Y"] = "2027-12-10" } });
        Assert.Equal(HttpStatusCode.Created, status);
        var second = next.GetProperty("id").GetGuid();
        watch.Restart();
        await IssueAsync(fixture.Admin, second);
        watch.Stop();
        output.WriteLine($"Superseding the national plan (moving {rows.Count} deadlines of each period) took {watch.ElapsedMilliseconds} ms");
        Assert.Equal(0, await db.UnitDeadlines.CountAsync(d => d.PlanId == id));
        AssertDeadline(await DeadlineAsync(fixture.Admin, "25747", "2027-H1"), "2027-06-13T00:00:00+07:00", second, true, "Hạn nộp: trước ngày 13/06/2027");
        await WaitForAsync("the moved national deadlines to reach the copy", async copy =>
            await copy.DueReports.CountAsync(d => d.Period == "2027-H1" && d.PlanId == second) == rows.Count
            && !await copy.DueReports.AnyAsync(d => d.PlanId == id));
    }

    async Task<List<string>> CommunesAsync(string province, DateOnly day)
    {
        await using var scope = fixture.Plan.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanDbContext>();
        return await db.OrgUnits.AsNoTracking()
            .Where(u => u.ParentCode == province && u.ValidFrom <= day && (u.ValidTo == null || u.ValidTo > day))
            .Select(u => u.Code).ToListAsync();
    }

    async Task WaitForCopyAsync(string period, IReadOnlyCollection<string> codes, Guid planId, DateTimeOffset dueAt)
    {
        var wanted = codes.ToArray();
        var utc = dueAt.ToUniversalTime();
        await WaitForAsync($"{wanted.Length} units of {period} due {dueAt:dd/MM/yyyy} from {planId} in the copy", async db =>
            await db.DueReports.CountAsync(d => d.Period == period && wanted.Contains(d.OrgUnitCode) && d.PlanId == planId && d.DueAt == utc && !d.Derived) == wanted.Length);
    }

    async Task WaitForReportingCopyAsync(string period, IReadOnlyCollection<string> codes, Guid planId, DateTimeOffset dueAt)
    {
        var wanted = codes.ToArray();
        var utc = dueAt.ToUniversalTime();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            await using (var scope = fixture.Reporting.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<Antq.Reporting.Api.Data.ReportingDbContext>();
                var moved = await db.Deadlines.CountAsync(d => d.Period == period && wanted.Contains(d.OrgUnitCode) && d.PlanId == planId && d.DueAt == utc);
                var stale = await db.Deadlines.CountAsync(d => d.Period == period && wanted.Contains(d.OrgUnitCode) && d.PlanId != planId);
                if (moved == wanted.Length && stale == 0) return;
                if (DateTime.UtcNow > deadline) Assert.Fail($"Reporting's copy: {moved} of {wanted.Length} units of {period} moved to {planId}, {stale} stale");
            }

            await Task.Delay(200);
        }
    }

    async Task WaitForAsync(string what, Func<NotificationDbContext, Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            await using (var scope = fixture.Notification.Services.CreateAsyncScope())
            {
                if (await condition(scope.ServiceProvider.GetRequiredService<NotificationDbContext>())) return;
            }

            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}");
            await Task.Delay(200);
        }
    }
}
