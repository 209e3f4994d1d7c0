using System.Net;
using System.Net.Http.Headers;
using Antq.Contracts.Plan;
using Antq.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>Concurrent edits, who may do what, the audit trail and deadlines.</summary>
[Collection(ReportingCollection.Name)]
public sealed class LifecycleTests(ReportingFixture fixture)
{
    const string Province = "46"; // Huế: 40 communes

    List<string> Communes(DateOnly at) => [.. fixture.Units.ChildrenOf(Province, at).Select(c => c.Code)];

    static Dictionary<string, object?> Values(params (string Code, object? Value)[] values) => new()
    {
        ["values"] = values.ToDictionary(v => v.Code, v => v.Value),
    };

    [Fact]
    public async Task A_save_with_a_stale_ETag_is_refused_with_412_and_a_save_without_one_with_428_and_nothing_changes()
    {
        const string period = "2034-H1";
        var commune = Communes(new DateOnly(2034, 6, 14))[0];
        using var client = fixture.As($"cb-{commune}", AntqRoles.CommuneOfficer, commune);
        using var created = await client.PutJsonAsync($"/api/reports/{commune}/{period}", Values(("FORUMS", 1)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = created.Headers.ETag!.Tag;
        using var second = await client.PutJsonAsync($"/api/reports/{commune}/{period}", Values(("FORUMS", 2)), first);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotEqual(first, second.Headers.ETag!.Tag);

        using var stale = await client.PutJsonAsync($"/api/reports/{commune}/{period}", Values(("FORUMS", 9)), first);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var problem = await stale.ReadJsonAsync();
        Assert.Equal("Dữ liệu đã được người khác thay đổi; hãy tải lại trước khi lưu", problem.GetProperty("title").GetString());
        Assert.StartsWith("Báo cáo đã được thay đổi", problem.GetProperty("detail").GetString());

        using var missing = await client.PutJsonAsync($"/api/reports/{commune}/{period}", Values(("FORUMS", 9)));
        Assert.Equal((HttpStatusCode)428, missing.StatusCode);
        Assert.Contains("If-Match", (await missing.ReadJsonAsync()).GetProperty("detail").GetString());

        using var staleSubmit = new HttpRequestMessage(HttpMethod.Post, $"/api/reports/{commune}/{period}/submit");
        staleSubmit.Headers.TryAddWithoutValidation("If-Match", first);
        using var refused = await client.SendAsync(staleSubmit);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);

        var report = await client.GetAsync($"/api/reports/{commune}/{period}").OkJsonAsync();
        Assert.Equal(2, report.GetProperty("values").GetProperty("FORUMS").GetInt32());
        Assert.Equal("draft", report.GetProperty("status").GetString());
        Assert.Equal(second.Headers.ETag!.Tag, $"\"{report.GetProperty("version").GetInt32()}\"");
    }

    [Fact]
    public async Task A_submission_with_its_form_saves_and_submits_in_one_step_or_changes_nothing()
    {
        const string period = "2037-Y";
        var communes = Communes(new DateOnly(2037, 12, 14));
        var (fresh, bad, existing) = (communes[1], communes[2], communes[3]);

        // A new report, saved and submitted by one request: counted at once, with its values and its audit.
        using (var client = fixture.As($"cb-{fresh}", AntqRoles.CommuneOfficer, fresh))
        {
            var submitted = await client.PostJsonAsync($"/api/reports/{fresh}/{period}/submit",
                new { values = new Dictionary<string, object> { ["FORUMS"] = 4, ["TIPS_TOTAL"] = 9, ["TIPS_VALUABLE"] = 3 }, narrative = new Dictionary<string, string> { ["KET_QUA"] = "Đã tổ chức 4 diễn đàn." } }).OkJsonAsync();
            Assert.Equal("submitted", submitted.GetProperty("status").GetString());
            var report = await client.GetAsync($"/api/reports/{fresh}/{period}").OkJsonAsync();
            Assert.Equal(4, report.GetProperty("values").GetProperty("FORUMS").GetInt32());
            Assert.Equal("Đã tổ chức 4 diễn đàn.", report.GetProperty("narrative").GetProperty("KET_QUA").GetString());
            Assert.Contains(report.GetProperty("history").EnumerateArray(), e => e.GetProperty("field").ValueKind == System.Text.Json.JsonValueKind.String
                && e.GetProperty("field").GetString() == "TIPS_TOTAL");
        }

        var rollup = await fixture.Admin.GetAsync($"/api/rollups/{Province}/{period}").OkJsonAsync();
        Assert.Equal(4m, rollup.GetProperty("values").GetProperty("FORUMS").GetProperty("value").GetDecimal());
        Assert.Equal(1, rollup.GetProperty("completeness").GetProperty("submitted").GetInt32());

        // A form that breaks a rule: refused with the catalogue's message, and no report exists.
        using (var client = fixture.As($"cb-{bad}", AntqRoles.CommuneOfficer, bad))
        {
            using var refused = await client.PostJsonAsync($"/api/reports/{bad}/{period}/submit",
                new { values = new Dictionary<string, object> { ["TIPS_TOTAL"] = 2, ["TIPS_VALUABLE"] = 5 } });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Số tin có giá trị không được lớn hơn tổng số nguồn tin", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/reports/{bad}/{period}")).StatusCode);
        }

        // An existing draft: the form needs the version being edited, as a save does; without it nothing changes.
        using (var client = fixture.As($"cb-{existing}", AntqRoles.CommuneOfficer, existing))
        {
            using var saved = await client.PutJsonAsync($"/api/reports/{existing}/{period}", Values(("FORUMS", 1)));
            using var withoutVersion = await client.PostJsonAsync($"/api/reports/{existing}/{period}/submit", Values(("FORUMS", 7)));
            Assert.Equal((HttpStatusCode)428, withoutVersion.StatusCode);
            var draft = await client.GetAsync($"/api/reports/{existing}/{period}").OkJsonAsync();
            Assert.Equal(("draft", 1), (draft.GetProperty("status").GetString(), draft.GetProperty("values").GetProperty("FORUMS").GetInt32()));

            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reports/{existing}/{period}/submit") { Content = JsonBody(Values(("FORUMS", 7))) };
            request.Headers.TryAddWithoutValidation("If-Match", saved.Headers.ETag!.Tag);
            using var withVersion = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, withVersion.StatusCode);
            var done = await withVersion.ReadJsonAsync();
            Assert.Equal(("submitted", 7), (done.GetProperty("status").GetString(), done.GetProperty("values").GetProperty("FORUMS").GetInt32()));
        }
    }

    [Fact]
    public async Task Only_the_own_unit_enters_data_only_the_level_above_reviews_and_reads_stay_in_the_subtree()
    {
        const string period = "2034-Y";
        var communes = Communes(new DateOnly(2034, 12, 14));
        string a = communes[0], b = communes[1];
        using var officerA = fixture.As($"cb-{a}", AntqRoles.CommuneOfficer, a);
        using var officerB = fixture.As($"cb-{b}", AntqRoles.CommuneOfficer, b);
        using var province = fixture.As("pv01-hue", AntqRoles.ProvinceOfficer, Province);
        using var otherProvince = fixture.As("pv01-laichau", AntqRoles.ProvinceOfficer, "12");
        using var viewer = fixture.As("xem-hue", AntqRoles.Viewer, Province);
        using var anonymous = fixture.Service.CreateClient();

        await officerA.PutJsonAsync($"/api/reports/{a}/{period}", Values(("FORUMS", 4))).OkJsonAsync();

        async Task Expect(HttpStatusCode status, Task<HttpResponseMessage> call, string what)
        {
            using var response = await call;
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"{what}: expected {(int)status}, got {(int)response.StatusCode} {body}");
            // A Vietnamese reason, with diacritics.
            if (status == HttpStatusCode.Forbidden) Assert.Contains((await response.ReadJsonAsync()).GetProperty("detail").GetString()!, c => c > 127);
        }

        await Expect(HttpStatusCode.Unauthorized, anonymous.GetAsync($"/api/reports/{a}/{period}"), "anonymous read");
        await Expect(HttpStatusCode.Forbidden, officerB.PutJsonAsync($"/api/reports/{a}/{period}", Values(("FORUMS", 5))), "another commune saves");
        await Expect(HttpStatusCode.Forbidden, officerB.GetAsync($"/api/reports/{a}/{period}"), "another commune reads");
        await Expect(HttpStatusCode.Forbidden, officerB.PostAsync($"/api/reports/{a}/{period}/submit", null), "another commune submits");
        await Expect(HttpStatusCode.Forbidden, officerB.GetAsync($"/api/rollups/{Province}/{period}"), "a commune reads the province roll-up");
        await Expect(HttpStatusCode.Forbidden, viewer.PutJsonAsync($"/api/reports/{Province}/{period}", Values(("FORUMS", 5))), "a viewer saves");
        await Expect(HttpStatusCode.Forbidden, otherProvince.GetAsync($"/api/reports/{a}/{period}"), "another province reads");
        await Expect(HttpStatusCode.OK, viewer.GetAsync($"/api/reports/{a}/{period}"), "a viewer of the province reads");
        await Expect(HttpStatusCode.OK, officerA.PostAsync($"/api/reports/{a}/{period}/submit", null), "the commune submits its own");
        await Expect(HttpStatusCode.Forbidden, officerA.PostAsync($"/api/reports/{a}/{period}/accept", null), "a commune accepts its own");
        await Expect(HttpStatusCode.Forbidden, otherProvince.PostAsync($"/api/reports/{a}/{period}/accept", null), "another province accepts");
        await Expect(HttpStatusCode.Forbidden, viewer.PostAsync($"/api/reports/{a}/{period}/accept", null), "a viewer accepts");
        await Expect(HttpStatusCode.BadRequest, province.PostJsonAsync($"/api/reports/{a}/{period}/return", new { reason = "  " }), "return without a reason");
        await Expect(HttpStatusCode.BadRequest, province.PostJsonAsync($"/api/reports/{a}/{period}/return", new { reason = new string('x', 2001) }), "return with a reason too long");
        await Expect(HttpStatusCode.OK, province.PostJsonAsync($"/api/reports/{a}/{period}/return", new { reason = "Bổ sung số liệu diễn đàn." }), "the province returns");
        await Expect(HttpStatusCode.OK, officerA.PostAsync($"/api/reports/{a}/{period}/submit", null), "the commune resubmits");
        await Expect(HttpStatusCode.OK, province.PostAsync($"/api/reports/{a}/{period}/accept", null), "the province accepts");
        await Expect(HttpStatusCode.Conflict, province.PostAsync($"/api/reports/{a}/{period}/accept", null), "accepting twice");

        var report = await province.GetAsync($"/api/reports/{a}/{period}").OkJsonAsync();
        Assert.Equal("accepted", report.GetProperty("status").GetString());
        Assert.Equal("pv01-hue", report.GetProperty("decidedBy").GetString());
        var rollup = await province.GetAsync($"/api/rollups/{Province}/{period}").OkJsonAsync();
        Assert.Equal(4, rollup.GetProperty("values").GetProperty("FORUMS").GetProperty("value").GetDecimal());
        Assert.Equal(1, rollup.GetProperty("completeness").GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Every_change_of_every_value_is_in_the_history_with_who_when_old_and_new()
    {
        const string period = "2035-H1";
        var commune = Communes(new DateOnly(2035, 6, 14))[2];
        using var client = fixture.As("nguyen.van.a", AntqRoles.CommuneOfficer, commune);
        using var created = await client.PutJsonAsync($"/api/reports/{commune}/{period}", new Dictionary<string, object?>
        {
            ["values"] = new Dictionary<string, object?> { ["FORUMS"] = 1, ["PLAN_ISSUED"] = true, ["EXPLOSIVES_KG"] = 2.5 },
            ["narrative"] = new Dictionary<string, string> { ["KET_QUA"] = "Lần đầu.\n<b>giữ nguyên</b>" },
        });
        var etag = created.Headers.ETag!.Tag;
        await client.PutJsonAsync($"/api/reports/{commune}/{period}", Values(("FORUMS", 3), ("EXPLOSIVES_KG", null)), etag).OkJsonAsync();
        await client.PostAsync($"/api/reports/{commune}/{period}/submit", null);

        var report = await client.GetAsync($"/api/reports/{commune}/{period}").OkJsonAsync();
        Assert.Equal("Lần đầu.\n<b>giữ nguyên</b>", report.GetProperty("narrative").GetProperty("KET_QUA").GetString());
        Assert.True(report.GetProperty("values").GetProperty("PLAN_ISSUED").GetBoolean());
        Assert.False(report.GetProperty("values").TryGetProperty("EXPLOSIVES_KG", out _));
        var history = report.GetProperty("history").EnumerateArray()
            .Select(h => (Action: h.GetProperty("action").GetString(), Field: h.GetProperty("field").GetString(),
                Old: h.GetProperty("oldValue").GetString(), New: h.GetProperty("newValue").GetString(), By: h.GetProperty("by").GetString()))
            .ToList();
        Assert.Equal(
        [
            ("value", "FORUMS", null, "1", "nguyen.van.a"),
            ("value", "PLAN_ISSUED", null, "1", "nguyen.van.a"),
            ("value", "EXPLOSIVES_KG", null, "2.5", "nguyen.van.a"),
            ("narrative", "KET_QUA", null, "Lần đầu.\n<b>giữ nguyên</b>", "nguyen.van.a"),
            ("value", "FORUMS", "1", "3", "nguyen.van.a"),
            ("value", "EXPLOSIVES_KG", "2.5", null, "nguyen.van.a"),
            ("submitted", null, null, null, "nguyen.van.a"),
        ], history);
        Assert.All(report.GetProperty("history").EnumerateArray(), h => Assert.True(h.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task A_late_submission_is_marked_late_and_still_counted_by_the_deadline_the_plan_service_published()
    {
        const string period = "2036-H1";
        var communes = Communes(new DateOnly(2036, 6, 14));
        string late = communes[3], onTime = communes[4], noDeadline = communes[5];
        var past = new DateTimeOffset(2020, 6, 15, 0, 0, 0, TimeSpan.FromHours(7));
        var future = new DateTimeOffset(2099, 6, 15, 0, 0, 0, TimeSpan.FromHours(7));
        var bus = fixture.Service.Services.GetRequiredService<IBus>();
        UnitDeadline Deadline(string code, DateTimeOffset due, long sequence) => new()
        {
            OrgUnitCode = code, ReportsToCode = Province, DueAt = due, PlanId = Guid.NewGuid(), Derived = false, Sequence = sequence,
        };
        await bus.Publish(new DeadlinesChanged { Period = period, Deadlines = [Deadline(late, past, 5), Deadline(onTime, future, 5)], OccurredAt = DateTimeOffset.UtcNow });
        // An older recomputation arriving afterwards does not win.
        await bus.Publish(new DeadlinesChanged { Period = period, Deadlines = [Deadline(late, future, 4)], OccurredAt = DateTimeOffset.UtcNow });
        await WaitForAsync(async () => await fixture.InDbAsync(db => db.Deadlines.CountAsync(d => d.Period == period)) == 2
            && await fixture.InDbAsync(db => db.ReportValues.CountAsync()) >= 0, "the deadlines copy");
        await Task.Delay(500); // let the older message be handled too

        foreach (var (code, forums) in new[] { (late, 5), (onTime, 7), (noDeadline, 11) })
        {
            using var client = fixture.As($"cb-{code}", AntqRoles.CommuneOfficer, code);
            await client.PutJsonAsync($"/api/reports/{code}/{period}", Values(("FORUMS", forums))).OkJsonAsync();
            await client.PostAsync($"/api/reports/{code}/{period}/submit", null).OkJsonAsync();
        }

        var lateReport = await fixture.Admin.GetAsync($"/api/reports/{late}/{period}").OkJsonAsync();
        Assert.False(lateReport.GetProperty("onTime").GetBoolean());
        Assert.Equal(past, lateReport.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Contains(lateReport.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "submitted" && h.GetProperty("newValue").GetString() == "nộp muộn");
        Assert.True((await fixture.Admin.GetAsync($"/api/reports/{onTime}/{period}").OkJsonAsync()).GetProperty("onTime").GetBoolean());

        var rollup = await fixture.Admin.GetAsync($"/api/rollups/{Province}/{period}").OkJsonAsync();
        Assert.Equal(23, rollup.GetProperty("values").GetProperty("FORUMS").GetProperty("value").GetDecimal());
        var completeness = rollup.GetProperty("completeness");
        Assert.Equal(3, completeness.GetProperty("submitted").GetInt32());
        Assert.Equal(1, completeness.GetProperty("late").GetInt32());
        Assert.Equal(2, completeness.GetProperty("onTime").GetInt32());
        Assert.Equal(communes.Count - 3, completeness.GetProperty("missing").GetInt32());

        var children = await fixture.Admin.GetAsync($"/api/rollups/{Province}/{period}/children").OkJsonAsync();
        var row = children.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("code").GetString() == late);
        Assert.Equal("submitted", row.GetProperty("status").GetString());
        Assert.False(row.GetProperty("onTime").GetBoolean());
        var missingRow = children.GetProperty("children").EnumerateArray().First(c => c.GetProperty("status").GetString() == "missing");
        Assert.Equal(JsonValueKindNull, missingRow.GetProperty("submittedAt").ValueKind);
    }

    const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Every_illegal_step_is_a_409_problem_in_Vietnamese_and_changes_nothing()
    {
        const string period = "2035-H1";
        var commune = Communes(new DateOnly(2035, 6, 14))[3];
        using var officer = fixture.As($"cb-{commune}", AntqRoles.CommuneOfficer, commune);
        using var province = fixture.As("pv01-hue", AntqRoles.ProvinceOfficer, Province);

        async Task Refused(Task<HttpResponseMessage> call, string detail, string what)
        {
            using var response = await call;
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.ReadJsonAsync();
            Assert.Equal(409, problem.GetProperty("status").GetInt32());
            Assert.Equal(detail, problem.GetProperty("detail").GetString());
        }

        async Task<(string Status, int Version, decimal Forums, decimal Rollup)> StateAsync()
        {
            var report = await province.GetAsync($"/api/reports/{commune}/{period}").OkJsonAsync();
            var rollup = await province.GetAsync($"/api/rollups/{Province}/{period}").OkJsonAsync();
            var cell = rollup.GetProperty("values").TryGetProperty("FORUMS", out var c) && c.GetProperty("value").ValueKind == System.Text.Json.JsonValueKind.Number
                ? c.GetProperty("value").GetDecimal() : 0m;
            return (report.GetProperty("status").GetString()!, report.GetProperty("version").GetInt32(),
                report.GetProperty("values").GetProperty("FORUMS").GetDecimal(), cell);
        }

        using (var created = await officer.PutJsonAsync($"/api/reports/{commune}/{period}", Values(("FORUMS", 3)))) Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // A draft can be neither returned nor accepted.
        var draft = await StateAsync();
        await Refused(province.PostJsonAsync($"/api/reports/{commune}/{period}/return", new { reason = "Sai số liệu." }), "Chỉ trả lại được báo cáo đã nộp.", "returning a draft");
        await Refused(province.PostAsync($"/api/reports/{commune}/{period}/accept", null), "Chỉ tiếp nhận được báo cáo đã nộp.", "accepting a draft");
        Assert.Equal(draft, await StateAsync());

        // A submitted report can be neither saved nor submitted again.
        await officer.PostAsync($"/api/reports/{commune}/{period}/submit", null).OkJsonAsync();
        var submitted = await StateAsync();
        Assert.Equal(("submitted", 3m), (submitted.Status, submitted.Forums));
        await Refused(officer.PutJsonAsync($"/api/reports/{commune}/{period}", Values(("FORUMS", 9)), $"\"{submitted.Version}\""),
            "Báo cáo đã nộp, không thể sửa. Nếu cần sửa, đề nghị cấp trên trả lại báo cáo.", "saving a submitted report");
        await Refused(officer.PostAsync($"/api/reports/{commune}/{period}/submit", null), "Báo cáo đã được nộp và đang chờ cấp trên tiếp nhận.", "submitting twice");
        Assert.Equal(submitted, await StateAsync());

        // An accepted report can be neither saved, submitted nor accepted again.
        await province.PostAsync($"/api/reports/{commune}/{period}/accept", null).OkJsonAsync();
        var accepted = await StateAsync();
        await Refused(officer.PutJsonAsync($"/api/reports/{commune}/{period}", Values(("FORUMS", 9)), $"\"{accepted.Version}\""),
            "Báo cáo đã được tiếp nhận, không thể sửa.", "saving an accepted report");
        await Refused(officer.PostAsync($"/api/reports/{commune}/{period}/submit", null), "Báo cáo đã được tiếp nhận.", "submitting an accepted report");
        await Refused(province.PostAsync($"/api/reports/{commune}/{period}/accept", null), "Báo cáo đã được tiếp nhận.", "accepting twice");
        // Reopening before any close is refused too.
        await Refused(province.PostJsonAsync($"/api/reports/{commune}/{period}/reopen", new { reason = "Mở lại." }),
            $"Kỳ sơ kết 6 tháng đầu năm 2035 chưa khóa sổ tại cấp trên của {fixture.Units.ChildrenOf(Province, new DateOnly(2035, 6, 14)).First(c => c.Code == commune).Name}; không cần mở lại.", "reopening an open period");
        Assert.Equal(accepted, await StateAsync());
        Assert.Equal(3m, accepted.Rollup - draft.Rollup);
    }
}
