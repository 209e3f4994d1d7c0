using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Notification.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Antq.Plan.IntegrationTests.PlanApi;

namespace Antq.Plan.IntegrationTests;

/// <summary>Plans over HTTP: drafts, validation in Vietnamese, unit scope, issuing once, listing, the cascade.</summary>
[Collection(PlansCollection.Name)]
public sealed class PlansTests(PlansFixture fixture)
{
    [Fact]
    public async Task A_draft_keeps_what_was_sent_reads_plain_dates_as_Vietnam_midnight_and_defaults_the_reminder_policy()
    {
        // Thừa Thiên Huế (46) 2026.
        var body = Draft("46", 2026, new Dictionary<string, string> { ["2026-H1"] = "2026-06-15", ["2026-Y"] = "2026-11-30T17:00:00Z" });
        body["implementingPlansDueOn"] = "2026-03-30";
        var draft = await CreateAsync(fixture.Officer("46"), body);

        Assert.Equal("Draft", draft.GetProperty("status").GetString());
        Assert.Equal("Dự thảo", draft.GetProperty("statusText").GetString());
        Assert.Equal("46", draft.GetProperty("issuerCode").GetString());
        Assert.Equal("2026-01-10", draft.GetProperty("issuedOn").GetString());
        Assert.Equal("2026-03-30", draft.GetProperty("implementingPlansDueOn").GetString());
        var deadlines = draft.GetProperty("deadlines");
        Assert.Equal("2026-06-15T00:00:00+07:00", deadlines.GetProperty("2026-H1").GetProperty("dueAt").GetString());
        Assert.Equal("Hạn nộp: trước ngày 15/06/2026", deadlines.GetProperty("2026-H1").GetProperty("display").GetString());
        Assert.Equal("2026-12-01T00:00:00+07:00", deadlines.GetProperty("2026-Y").GetProperty("dueAt").GetString());
        var policy = draft.GetProperty("reminderPolicy");
        Assert.Equal(["-P7D", "-P3D", "-P1D", "P1D"], policy.GetProperty("reminders").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("P2D", policy.GetProperty("overdueRepeat").GetString());
        Assert.Equal("P3D", policy.GetProperty("escalateAfter").GetString());
        var target = draft.GetProperty("targets")[0];
        Assert.Equal(("PCT_UNITS_SAFE", ">=", 87.5m, "subtree"), (target.GetProperty("indicator").GetString(), target.GetProperty("comparator").GetString(), target.GetProperty("value").GetDecimal(), target.GetProperty("scope").GetString()));
        Assert.Equal("46", draft.GetProperty("tasks")[0].GetProperty("leadUnitCode").GetString());

        var id = draft.GetProperty("id").GetGuid();
        var (status, read) = await SendAsync(fixture.Admin, HttpMethod.Get, $"/api/plans/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2026-06-15T00:00:00+07:00", read.GetProperty("deadlines").GetProperty("2026-H1").GetProperty("dueAt").GetString());
        Assert.Equal(4, read.GetProperty("reminderPolicy").GetProperty("reminders").GetArrayLength());
    }

    [Fact]
    public async Task A_reminder_policy_that_is_sent_is_kept()
    {
        var body = Draft("46", 2031);
        body["reminderPolicy"] = new JsonObject { ["reminders"] = new JsonArray("-P10D", "P2D"), ["overdueRepeat"] = "P1D", ["escalateAfter"] = "P5D" };
        var draft = await CreateAsync(fixture.Officer("46"), body);
        var policy = draft.GetProperty("reminderPolicy");
        Assert.Equal(["-P10D", "P2D"], policy.GetProperty("reminders").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("P1D", policy.GetProperty("overdueRepeat").GetString());
        Assert.Equal("P5D", policy.GetProperty("escalateAfter").GetString());
        Assert.Equal(JsonValueKind.Null, policy.GetProperty("remindAt").ValueKind); // Notification's own hour
    }

    [Fact]
    public async Task A_plans_own_reminder_hour_is_kept_checked_and_copied_to_the_version_that_supersedes_it()
    {
        var officer = fixture.Officer("46");
        var body = Draft("46", 2046);
        body["reminderPolicy"] = new JsonObject { ["remindAt"] = "25:00" };
        var (status, problem) = await SendAsync(officer, HttpMethod.Post, "/api/plans", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Giờ nhắc \"25:00\" không hợp lệ", problem.GetProperty("errors").GetProperty("reminderPolicy.remindAt")[0].GetString());

        body["reminderPolicy"] = new JsonObject { ["remindAt"] = "08:00" };
        var first = await CreateAndIssueAsync(officer, body);
        var (_, read) = await SendAsync(fixture.Admin, HttpMethod.Get, $"/api/plans/{first}");
        Assert.Equal("08:00", read.GetProperty("reminderPolicy").GetProperty("remindAt").GetString());
        Assert.Equal(4, read.GetProperty("reminderPolicy").GetProperty("reminders").GetArrayLength()); // the rest defaulted

        // A new version that says nothing of the hour keeps it; "" gives the hour back to Notification's setting.
        var (kept, copy) = await SendAsync(officer, HttpMethod.Post, $"/api/plans/{first}/supersede", new JsonObject { ["title"] = "Kế hoạch sửa đổi" });
        Assert.Equal(HttpStatusCode.Created, kept);
        Assert.Equal("08:00", copy.GetProperty("reminderPolicy").GetProperty("remindAt").GetString());
        var (cleared, reset) = await SendAsync(officer, HttpMethod.Post, $"/api/plans/{first}/supersede",
            new JsonObject { ["reminderPolicy"] = new JsonObject { ["remindAt"] = "" } });
        Assert.Equal(HttpStatusCode.Created, cleared);
        Assert.Equal(JsonValueKind.Null, reset.GetProperty("reminderPolicy").GetProperty("remindAt").ValueKind);
    }

    [Fact]
    public async Task A_member_in_the_wrong_place_is_refused_by_name_not_dropped()
    {
        // "reminders" belongs inside "reminderPolicy": left at the top level it would otherwise be dropped and the plan
        // issued with the default policy.
        var body = Draft("46", 2045);
        body["reminders"] = new JsonArray("-P10D", "P2D");

        var (status, problem) = await SendAsync(fixture.Officer("46"), HttpMethod.Post, "/api/plans", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"reminders\"", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.reminders", out _));
        var (_, list) = await SendAsync(fixture.Admin, HttpMethod.Get, "/api/plans?issuer=46&year=2045");
        Assert.Equal(0, list.GetProperty("plans").GetArrayLength());
    }

    [Fact]
    public async Task An_invalid_draft_is_refused_with_a_Vietnamese_message_for_each_field()
    {
        var body = Draft("46", 2026, new Dictionary<string, string> { ["2026-H1"] = "15/13/2026", ["2027-Y"] = "2027-12-01", ["2026-H2"] = "2026-12-01" });
        body["number"] = "";
        body["reminderPolicy"] = new JsonObject { ["reminders"] = new JsonArray("-7 ngày"), ["overdueRepeat"] = "-P2D" };
        body["targets"] = new JsonArray(
            new JsonObject { ["indicator"] = "PCT_NOT_IN_CATALOGUE", ["comparator"] = ">=", ["value"] = 90 },
            new JsonObject { ["indicator"] = "PCT_KHA_TRO_LEN", ["comparator"] = "≥", ["value"] = 80, ["scope"] = "everyone" });
        body["tasks"] = new JsonArray(new JsonObject { ["content"] = "Tuyên truyền" });

        var (status, problem) = await SendAsync(fixture.Officer("46"), HttpMethod.Post, "/api/plans", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Yêu cầu không hợp lệ", problem.GetProperty("title").GetString());
        var errors = problem.GetProperty("errors");
        string First(string field) => errors.GetProperty(field)[0].GetString()!;
        Assert.Contains("số hiệu", First("number"));
        Assert.Contains("Hạn nộp \"15/13/2026\"", First("deadlines.2026-H1"));
        Assert.Contains("không thuộc năm 2026", First("deadlines.2027-Y"));
        Assert.Contains("Kỳ báo cáo \"2026-H2\" không hợp lệ", First("deadlines.2026-H2"));
        Assert.Contains("Mốc nhắc \"-7 ngày\" không hợp lệ", First("reminderPolicy.reminders[0]"));
        Assert.Contains("Chu kỳ nhắc quá hạn", First("reminderPolicy.overdueRepeat"));
        Assert.Contains("không có trong danh mục", First("targets[0].indicator"));
        Assert.Contains("Phép so sánh \"≥\" không hợp lệ", First("targets[1].comparator"));
        Assert.Contains("Phạm vi \"everyone\"", First("targets[1].scope"));
        Assert.Contains("đơn vị chủ trì", First("tasks[0].leadUnitCode"));
        Assert.False(errors.TryGetProperty("title", out _));
    }

    [Fact]
    public async Task An_issuer_that_did_not_exist_on_the_date_of_issue_is_refused()
    {
        // District 001 (Quận Ba Đình) was abolished on 01/07/2025.
        var (status, problem) = await SendAsync(fixture.Admin, HttpMethod.Post, "/api/plans", Draft("001", 2026));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Không có đơn vị mã 001 vào ngày ban hành 10/01/2026", problem.GetProperty("errors").GetProperty("issuerCode")[0].GetString());
    }

    [Fact]
    public async Task Officers_may_create_and_issue_plans_only_for_their_own_unit()
    {
        var (created, problem) = await SendAsync(fixture.Officer("46"), HttpMethod.Post, "/api/plans", Draft("48", 2032));
        Assert.Equal(HttpStatusCode.Forbidden, created);
        Assert.Contains("đơn vị 48", problem.GetProperty("detail").GetString());
        var (viewer, _) = await SendAsync(fixture.Plan.CreateClientAs("viewer-46", AntqRoles.Viewer, "46"), HttpMethod.Post, "/api/plans", Draft("46", 2032));
        Assert.Equal(HttpStatusCode.Forbidden, viewer);

        var id = (await CreateAsync(fixture.Admin, Draft("46", 2032))).GetProperty("id").GetGuid();
        var (issued, _) = await SendAsync(fixture.Officer("48"), HttpMethod.Post, $"/api/plans/{id}/issue");
        Assert.Equal(HttpStatusCode.Forbidden, issued);
        var (mine, _) = await SendAsync(fixture.Officer("46"), HttpMethod.Post, $"/api/plans/{id}/issue");
        Assert.Equal(HttpStatusCode.OK, mine);
    }

    [Fact]
    public async Task An_issued_plan_is_never_issued_again_and_a_second_plan_for_the_year_must_supersede_it()
    {
        var officer = fixture.Officer("46");
        var first = await CreateAndIssueAsync(officer, Draft("46", 2033));

        var (again, problem) = await SendAsync(officer, HttpMethod.Post, $"/api/plans/{first}/issue");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("đã được ban hành", problem.GetProperty("detail").GetString());

        var other = (await CreateAsync(officer, Draft("46", 2033))).GetProperty("id").GetGuid();
        var (second, conflict) = await SendAsync(officer, HttpMethod.Post, $"/api/plans/{other}/issue");
        Assert.Equal(HttpStatusCode.Conflict, second);
        Assert.Contains("phiên bản thay thế", conflict.GetProperty("detail").GetString());

        var (missing, notFound) = await SendAsync(officer, HttpMethod.Post, $"/api/plans/{Guid.NewGuid()}/issue");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("Không tìm thấy kế hoạch", notFound.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Plans_are_listed_by_issuer_and_year()
    {
        var officer = fixture.Officer("46");
        var issued = await CreateAndIssueAsync(officer, Draft("46", 2034));
        var draft = (await CreateAsync(officer, Draft("46", 2034))).GetProperty("id").GetGuid();
        await CreateAsync(officer, Draft("46", 2035));

        var (status, list) = await SendAsync(officer, HttpMethod.Get, "/api/plans?issuer=46&year=2034");
        Assert.Equal(HttpStatusCode.OK, status);
        var plans = list.GetProperty("plans").EnumerateArray().ToList();
        Assert.Equal(new[] { issued, draft }.Order(), plans.Select(p => p.GetProperty("id").GetGuid()).Order());
        Assert.All(plans, p => Assert.Equal(2034, p.GetProperty("year").GetInt32()));

        var (_, onlyIssued) = await SendAsync(officer, HttpMethod.Get, "/api/plans?issuer=46&year=2034&status=Issued");
        Assert.Equal([issued], onlyIssued.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task The_cascade_shows_which_units_below_issued_their_implementing_plan_on_time_late_or_not_at_all()
    {
        // Huế (46) 2036: implementing plans due before 30/03/2036.
        var body = Draft("46", 2036);
        body["implementingPlansDueOn"] = "2036-03-30";
        var province = await CreateAndIssueAsync(fixture.Officer("46"), body);
        var communes = (await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/org-units/46/children?asOf=2036-03-30"))
            .GetProperty("children").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList();
        var (onTime, late) = (communes[0], communes[1]);

        var early = Draft(onTime, 2036, new Dictionary<string, string> { ["2036-H1"] = "2036-06-01" }, parentPlanId: province);
        early["issuedOn"] = "2036-03-29";
        await CreateAndIssueAsync(fixture.Officer(onTime, AntqRoles.CommuneOfficer), early);
        var tardy = Draft(late, 2036, new Dictionary<string, string> { ["2036-H1"] = "2036-06-01" }, parentPlanId: province);
        tardy["issuedOn"] = "2036-03-30";
        await CreateAndIssueAsync(fixture.Officer(late, AntqRoles.CommuneOfficer), tardy);

        var (status, cascade) = await SendAsync(fixture.Admin, HttpMethod.Get, $"/api/plans/{province}/cascade");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(communes.Count, cascade.GetProperty("total").GetInt32());
        Assert.Equal(1, cascade.GetProperty("onTime").GetInt32());
        Assert.Equal(1, cascade.GetProperty("late").GetInt32());
        Assert.Equal(communes.Count - 2, cascade.GetProperty("notIssued").GetInt32());
        Assert.Equal("Hạn ban hành kế hoạch thực hiện: trước ngày 30/03/2036", cascade.GetProperty("dueDisplay").GetString());
        var units = cascade.GetProperty("units").EnumerateArray().ToDictionary(u => u.GetProperty("orgUnitCode").GetString()!);
        Assert.Equal("onTime", units[onTime].GetProperty("status").GetString());
        Assert.Equal("Đã ban hành đúng hạn", units[onTime].GetProperty("statusText").GetString());
        Assert.Equal("late", units[late].GetProperty("status").GetString());
        Assert.Equal("Ban hành muộn", units[late].GetProperty("statusText").GetString());
        Assert.Equal("notIssued", units[communes[2]].GetProperty("status").GetString());
        Assert.Equal("Chưa ban hành", units[communes[2]].GetProperty("statusText").GetString()); // 2036 is still to come
    }

    [Fact]
    public async Task Issuing_publishes_the_plans_reminder_policy_to_the_notification_service()
    {
        var body = Draft("46", 2037);
        body["reminderPolicy"] = new JsonObject { ["reminders"] = new JsonArray("-P5D", "P1D"), ["escalateAfter"] = "P4D", ["remindAt"] = "8:15" };
        var id = await CreateAndIssueAsync(fixture.Officer("46"), body);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            await using (var scope = fixture.Notification.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
                var copy = await db.PlanReminderSettings.AsNoTracking().FirstOrDefaultAsync(p => p.PlanId == id);
                if (copy is not null)
                {
                    Assert.Equal(["-P5D", "P1D"], copy.Reminders);
                    Assert.Equal("P2D", copy.OverdueRepeat);
                    Assert.Equal("P4D", copy.EscalateAfter);
                    Assert.Equal("08:15", copy.RemindAt);
                    Assert.Equal(("46", 2037), (copy.IssuerCode, copy.Year));
                    return;
                }
            }

            if (DateTime.UtcNow > deadline) Assert.Fail("the plan's reminder policy never reached the Notification service");
            await Task.Delay(200);
        }
    }
}
