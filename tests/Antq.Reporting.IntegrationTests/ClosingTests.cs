using System.Net;
using System.Text.Json;
using Antq.Contracts.Plan;
using Antq.Messaging;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>Two replicas of the Reporting service on one database and one virtual host, sharing a clock the tests move.</summary>
public sealed class TwoReplicasFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public AdjustableClock Clock { get; } = new();
    public ClockedReportingService First { get; private set; } = null!;
    public ClockedReportingService Second { get; private set; } = null!;
    public BrokerTap PeriodClosedTap { get; private set; } = null!;
    public UnitLists Units { get; } = UnitLists.Load();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("closing");
        VirtualHost = await TestVirtualHost.CreateAsync("closing");
        PeriodClosedTap = await BrokerTap.BindAsync(VirtualHost, "Antq.Contracts.Reporting:PeriodClosed");
        First = new ClockedReportingService(Database, VirtualHost, Clock);
        await First.StartAsync();
        await using (var scope = First.Services.CreateAsyncScope())
            await Units.InsertAsync(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
        Second = new ClockedReportingService(Database, VirtualHost, Clock);
        await Second.StartAsync();
    }

    public async Task<T> InDbAsync<T>(Func<ReportingDbContext, Task<T>> action)
    {
        await using var scope = First.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await VirtualHost.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// The deadline closes the period at each level of the three-tier era: communes close at their district's deadline,
/// districts at the province's, once per unit with two replicas running.
/// </summary>
public sealed class ClosingTests(TwoReplicasFixture fixture) : IClassFixture<TwoReplicasFixture>
{
    static readonly Spec Spec = Spec.Catalogue;

    [Fact]
    public async Task Communes_close_at_the_districts_deadline_and_districts_at_the_provinces_with_one_PeriodClosed_per_unit_from_two_replicas()
    {
        const string province = "48"; // Đà Nẵng before the reform: 8 districts, 47 communes
        const string period = "2024-Y";
        var at = new DateOnly(2024, 12, 14);
        var districts = fixture.Units.ChildrenOf(province, at).Select(d => d.Code).ToList();
        string district = districts[0], quietDistrict = districts[1];
        var communes = fixture.Units.ChildrenOf(district, at).Select(c => c.Code).ToList();
        var quietCommunes = fixture.Units.ChildrenOf(quietDistrict, at).Select(c => c.Code).ToList();
        Assert.True(communes.Count >= 5, $"district {district} has {communes.Count} communes");

        // Deadlines as the Plan service publishes them: communes a minute ahead, districts two minutes ahead.
        var now = fixture.Clock.GetUtcNow();
        var communesDue = now.AddMinutes(1);
        var districtsDue = now.AddMinutes(2);
        var bus = fixture.First.Services.GetRequiredService<IBus>();
        UnitDeadline Deadline(string code, string to, DateTimeOffset due) => new()
        {
            OrgUnitCode = code, ReportsToCode = to, DueAt = due.ToOffset(TimeSpan.FromHours(7)), PlanId = Guid.NewGuid(), Derived = false, Sequence = 1,
        };
        await bus.Publish(new DeadlinesChanged
        {
            Period = period, OccurredAt = now,
            Deadlines = [.. communes.Select(c => Deadline(c, district, communesDue)), .. quietCommunes.Select(c => Deadline(c, quietDistrict, communesDue))],
        });
        await bus.Publish(new DeadlinesChanged { Period = period, OccurredAt = now, Deadlines = [.. districts.Select(d => Deadline(d, province, districtsDue))] });
        var expectedDeadlines = communes.Count + quietCommunes.Count + districts.Count;
        await Waiting.ForAsync(async () => await fixture.InDbAsync(db => db.Deadlines.CountAsync(d => d.Period == period)) == expectedDeadlines, "the deadlines copy");

        // All but two communes of the district submit on time (through both replicas); one leaves a draft, one does nothing.
        var random = new Random(2024);
        var submitting = communes.Skip(2).ToList();
        var counted = submitting.ToDictionary(c => c, _ => Spec.RandomValues("Y", random));
        await Parallel.ForEachAsync(submitting.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (item, _) =>
        {
            var service = item.i % 2 == 0 ? fixture.First : fixture.Second;
            using var client = service.CreateClientAs($"cb-{item.c}", AntqRoles.CommuneOfficer, item.c);
            await client.PutJsonAsync($"/api/reports/{item.c}/{period}", new
            {
                values = Spec.Body(counted[item.c]),
                narrative = new Dictionary<string, string> { ["KET_QUA"] = $"Xã {item.c} tổ chức tốt các hoạt động phong trào." },
            }).OkJsonAsync();
            await client.PostAsync($"/api/reports/{item.c}/{period}/submit", null).OkJsonAsync();
        });
        string draftOnly = communes[0], silent = communes[1];
        using (var client = fixture.First.CreateClientAs($"cb-{draftOnly}", AntqRoles.CommuneOfficer, draftOnly))
            await client.PutJsonAsync($"/api/reports/{draftOnly}/{period}", new { values = new Dictionary<string, int> { ["FORUMS"] = 4 } }).OkJsonAsync();

        using var admin = fixture.First.CreateClientAs("quantri", AntqRoles.Admin, "BCA");
        using (var early = await admin.GetAsync($"/api/rollups/{district}/{period}/snapshot"))
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);

        // The communes' deadline passes: both districts close (and nothing else), once each.
        fixture.Clock.Advance(TimeSpan.FromSeconds(61));
        await Waiting.ForAsync(async () => await fixture.InDbAsync(db => db.Closings.CountAsync(c => c.Period == period)) == 2, "the districts' closings");
        await Task.Delay(1500); // both replicas poll several times more: nothing closes twice
        Assert.Equal([district, quietDistrict], (await fixture.InDbAsync(db => db.Closings.Where(c => c.Period == period).Select(c => c.OrgUnitCode).ToListAsync())).Order());

        var snapshot = await admin.GetAsync($"/api/rollups/{district}/{period}/snapshot").OkJsonAsync();
        Spec.AssertRollup(Spec.Expected("Y", district, at, fixture.Units, counted), snapshot, $"snapshot {district}");
        var completeness = snapshot.GetProperty("completeness");
        Assert.Equal(communes.Count, completeness.GetProperty("expected").GetInt32());
        Assert.Equal(submitting.Count, completeness.GetProperty("onTime").GetInt32());
        Assert.Equal(0, completeness.GetProperty("late").GetInt32());
        Assert.Equal(2, completeness.GetProperty("missing").GetInt32());
        Assert.Equal(new[] { draftOnly, silent }.Order(StringComparer.Ordinal), snapshot.GetProperty("missingCodes").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal(submitting.Count, snapshot.GetProperty("narratives").GetArrayLength());
        var quiet = await admin.GetAsync($"/api/rollups/{quietDistrict}/{period}/snapshot").OkJsonAsync();
        Assert.Equal(quietCommunes.Count, quiet.GetProperty("completeness").GetProperty("missing").GetInt32());

        // The district's own report is now its consolidated draft, pre-filled from the roll-up.
        var own = await admin.GetAsync($"/api/reports/{district}/{period}").OkJsonAsync();
        Assert.Equal("draft", own.GetProperty("status").GetString());
        Assert.Contains(own.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "consolidated");
        var sumOfBriefings = counted.Values.Where(v => v.ContainsKey("CONF_BRIEFINGS")).Sum(v => v["CONF_BRIEFINGS"]);
        Assert.Equal(sumOfBriefings, own.GetProperty("values").GetProperty("CONF_BRIEFINGS").GetDecimal());
        Assert.False(own.GetProperty("values").TryGetProperty("PCT_TIPS_VALUABLE", out _)); // computed: never pre-filled

        // After closing: the silent commune may still submit, late; it counts live but the snapshot keeps what was known.
        var lateValues = new Dictionary<string, decimal> { ["CONF_BRIEFINGS"] = 3, ["FORUMS"] = 2 };
        using (var client = fixture.Second.CreateClientAs($"cb-{silent}", AntqRoles.CommuneOfficer, silent))
        {
            await client.PutJsonAsync($"/api/reports/{silent}/{period}", new { values = Spec.Body(lateValues) }).OkJsonAsync();
            var late = await client.PostAsync($"/api/reports/{silent}/{period}/submit", null).OkJsonAsync();
            Assert.False(late.GetProperty("onTime").GetBoolean());

            // The late report reaches the district's consolidated draft, with a line in its history naming the commune;
            // returned, it leaves the draft again; resubmitted, it comes back.
            async Task<(decimal Briefings, string Last)> DraftAsync()
            {
                var draft = await admin.GetAsync($"/api/reports/{district}/{period}").OkJsonAsync();
                var history = draft.GetProperty("history").EnumerateArray().Where(h => h.GetProperty("action").GetString()!.StartsWith("late", StringComparison.Ordinal)).ToList();
                return (draft.GetProperty("values").GetProperty("CONF_BRIEFINGS").GetDecimal(), history.Count == 0 ? "" : history[^1].GetProperty("action").GetString() + " " + history[^1].GetProperty("newValue").GetString());
            }

            var silentName = fixture.Units.ChildrenOf(district, at).Single(c => c.Code == silent).Name;
            var (added, line) = await DraftAsync();
            Assert.Equal(sumOfBriefings + 3, added);
            Assert.StartsWith("lateIncluded", line);
            Assert.Contains(silentName, line);
            using (var reviewer = fixture.First.CreateClientAs($"bcd-{district}", AntqRoles.DistrictOfficer, district))
                await reviewer.PostJsonAsync($"/api/reports/{silent}/{period}/return", new { reason = "Bổ sung số liệu." }).OkJsonAsync();
            var (removed, removal) = await DraftAsync();
            Assert.Equal(sumOfBriefings, removed);
            Assert.StartsWith("lateRemoved", removal);
            var etag = (await client.GetAsync($"/api/reports/{silent}/{period}")).Headers.ETag!.Tag;
            using var resubmit = new HttpRequestMessage(HttpMethod.Post, $"/api/reports/{silent}/{period}/submit");
            resubmit.Headers.TryAddWithoutValidation("If-Match", etag);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(resubmit)).StatusCode);
            Assert.Equal(sumOfBriefings + 3, (await DraftAsync()).Briefings);
        }

        counted[silent] = lateValues;
        var live = await admin.GetAsync($"/api/rollups/{district}/{period}").OkJsonAsync();
        Spec.AssertRollup(Spec.Expected("Y", district, at, fixture.Units, counted), live, $"live {district}");
        Assert.Equal(1, live.GetProperty("completeness").GetProperty("late").GetInt32());
        var again = await admin.GetAsync($"/api/rollups/{district}/{period}/snapshot").OkJsonAsync();
        Assert.Equal(snapshot.GetProperty("values").ToString(), again.GetProperty("values").ToString());

        // A report the closing froze as submitted is locked: it cannot be returned until the district reopens it (with a reason, audited).
        var frozen = submitting[0];
        using var districtOfficer = fixture.First.CreateClientAs($"bcd-{district}", AntqRoles.DistrictOfficer, district);
        using (var refused = await districtOfficer.PostJsonAsync($"/api/reports/{frozen}/{period}/return", new { reason = "Sai số liệu." }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("đã khóa sổ", (await refused.ReadJsonAsync()).GetProperty("detail").GetString());
        }

        using (var noReason = await districtOfficer.PostJsonAsync($"/api/reports/{frozen}/{period}/reopen", new { reason = " " }))
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        using (var stranger = fixture.First.CreateClientAs("cb-other", AntqRoles.CommuneOfficer, communes[3]))
        using (var forbidden = await stranger.PostJsonAsync($"/api/reports/{frozen}/{period}/reopen", new { reason = "Mở lại." }))
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var reopened = await districtOfficer.PostJsonAsync($"/api/reports/{frozen}/{period}/reopen", new { reason = "Số vụ hòa giải chưa khớp sổ theo dõi." }).OkJsonAsync();
        Assert.Equal("returned", reopened.GetProperty("status").GetString());
        counted.Remove(frozen);
        var afterReopen = await admin.GetAsync($"/api/reports/{frozen}/{period}").OkJsonAsync();
        Assert.Contains(afterReopen.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "reopened"
            && h.GetProperty("newValue").GetString() == "Số vụ hòa giải chưa khớp sổ theo dõi.");
        using (var client = fixture.First.CreateClientAs($"cb-{frozen}", AntqRoles.CommuneOfficer, frozen))
        {
            var current = await client.GetAsync($"/api/reports/{frozen}/{period}");
            await client.PutJsonAsync($"/api/reports/{frozen}/{period}", new { values = new Dictionary<string, int> { ["FORUMS"] = 1 } }, current.Headers.ETag!.Tag).OkJsonAsync();
            await client.PostAsync($"/api/reports/{frozen}/{period}/submit", null).OkJsonAsync();
        }

        // The district submits its consolidated report before the province's deadline; it adds nothing to the cells.
        var district2 = districts[2]; // no deadlines for its communes: it never closed, and does not report either
        var provinceBefore = await admin.GetAsync($"/api/rollups/{province}/{period}").OkJsonAsync();
        var ownNow = await districtOfficer.GetAsync($"/api/reports/{district}/{period}");
        await districtOfficer.PutJsonAsync($"/api/reports/{district}/{period}", new { narrative = new Dictionary<string, string> { ["KET_QUA"] = "Huyện tổng hợp kết quả của các xã." } },
            ownNow.Headers.ETag!.Tag).OkJsonAsync();
        await districtOfficer.PostAsync($"/api/reports/{district}/{period}/submit", null).OkJsonAsync();
        var provinceAfter = await admin.GetAsync($"/api/rollups/{province}/{period}").OkJsonAsync();
        Assert.Equal(provinceBefore.GetProperty("values").ToString(), provinceAfter.GetProperty("values").ToString());

        // The districts' deadline passes: the province closes with one district on time and the rest missing.
        fixture.Clock.Advance(TimeSpan.FromSeconds(60));
        await Waiting.ForAsync(async () => await fixture.InDbAsync(db => db.Closings.CountAsync(c => c.Period == period)) == 3, "the province's closing");
        var ofProvince = await admin.GetAsync($"/api/rollups/{province}/{period}/snapshot").OkJsonAsync();
        counted[frozen] = new Dictionary<string, decimal> { ["FORUMS"] = 1 }; // a partial save keeps the other values
        foreach (var (code, value) in (await fixture.InDbAsync(db => db.ReportValues.Where(v => db.Reports.Any(r => r.Id == v.ReportId && r.OrgUnitCode == frozen && r.Period == period))
                     .ToListAsync())).Where(v => v.Value is not null).Select(v => (v.Indicator, v.Value!.Value)))
            counted[frozen][code] = value;
        Spec.AssertRollup(Spec.Expected("Y", province, at, fixture.Units, counted), ofProvince, $"snapshot {province}");
        var provinceCompleteness = ofProvince.GetProperty("completeness");
        Assert.Equal(districts.Count, provinceCompleteness.GetProperty("expected").GetInt32());
        Assert.Equal(1, provinceCompleteness.GetProperty("onTime").GetInt32());
        Assert.Equal(districts.Count - 1, provinceCompleteness.GetProperty("missing").GetInt32());
        Assert.DoesNotContain(district, ofProvince.GetProperty("missingCodes").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains(district2, ofProvince.GetProperty("missingCodes").EnumerateArray().Select(c => c.GetString()));

        // Exactly one PeriodClosed per unit: one outbox row each, and one message each on the broker.
        var rows = await fixture.InDbAsync(db => db.Set<OutboxMessage>().Where(m => m.MessageType.Contains("PeriodClosed")).ToListAsync());
        Assert.Equal(3, rows.Count);
        var messages = new List<JsonElement>();
        await Waiting.ForAsync(async () => { messages.AddRange(await fixture.PeriodClosedTap.TakeAsync()); return messages.Count >= 3; }, "three PeriodClosed on the broker");
        await Task.Delay(1500);
        messages.AddRange(await fixture.PeriodClosedTap.TakeAsync());
        Assert.Equal(new[] { district, quietDistrict, province }.Order(), messages.Select(m => m.GetProperty("orgUnitCode").GetString()!).Order());
        var ofDistrict = messages.Single(m => m.GetProperty("orgUnitCode").GetString() == district);
        Assert.Equal(2, ofDistrict.GetProperty("missing").GetInt32());
        Assert.Equal(submitting.Count, ofDistrict.GetProperty("onTime").GetInt32());
        Assert.Equal(new[] { draftOnly, silent }.Order(StringComparer.Ordinal), ofDistrict.GetProperty("missingCodes").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal(period, ofDistrict.GetProperty("period").GetString());
    }
}

/// <summary>A deadline that passed while no replica was running closes when one starts.</summary>
public sealed class ClosingAfterDowntimeTests : IAsyncLifetime
{
    TestDatabase database = null!;
    TestVirtualHost virtualHost = null!;
    readonly AdjustableClock clock = new();
    readonly UnitLists units = UnitLists.Load();

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("downtime");
        virtualHost = await TestVirtualHost.CreateAsync("downtime");
    }

    public async Task DisposeAsync()
    {
        await virtualHost.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task A_deadline_that_passed_while_the_service_was_stopped_closes_when_it_starts()
    {
        const string province = "12"; // Lai Châu: 38 communes
        const string period = "2027-H1";
        var communes = units.ChildrenOf(province, new DateOnly(2027, 6, 14)).Select(c => c.Code).ToList();
        var due = clock.GetUtcNow().AddMinutes(1);
        await using (var before = new ClockedReportingService(database, virtualHost, clock))
        {
            await before.StartAsync();
            await using (var scope = before.Services.CreateAsyncScope())
                await units.InsertAsync(scope.ServiceProvider.GetRequiredService<ReportingDbContext>());
            await before.Services.GetRequiredService<IBus>().Publish(new DeadlinesChanged
            {
                Period = period, OccurredAt = clock.GetUtcNow(),
                Deadlines = [.. communes.Select(c => new UnitDeadline { OrgUnitCode = c, ReportsToCode = province, DueAt = due, Derived = false, Sequence = 1 })],
            });
            using var commune = before.CreateClientAs($"cb-{communes[0]}", AntqRoles.CommuneOfficer, communes[0]);
            await commune.PutJsonAsync($"/api/reports/{communes[0]}/{period}", new { values = new Dictionary<string, int> { ["FORUMS"] = 6 } }).OkJsonAsync();
            await commune.PostAsync($"/api/reports/{communes[0]}/{period}/submit", null).OkJsonAsync();
            await Waiting.ForAsync(async () =>
            {
                await using var scope = before.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<ReportingDbContext>().Deadlines.CountAsync() == communes.Count;
            }, "the deadlines copy");
        }

        // Stopped across the deadline.
        clock.Advance(TimeSpan.FromMinutes(5));
        await using var after = new ClockedReportingService(database, virtualHost, clock);
        await using (var connection = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM period_closings", connection);
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!); // nothing closed while down
        }

        // MassTransit keeps its log context in an AsyncLocal that the publish above set in this flow: a host started again
        // in the same flow would pick up the stopped host's disposed logger factory.
        MassTransit.LogContext.Current = null;
        await after.StartAsync();
        await Waiting.ForAsync(async () =>
        {
            await using var scope = after.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ReportingDbContext>().Closings.AnyAsync(c => c.OrgUnitCode == province && c.Period == period);
        }, "the closing after restart");
        using var admin = after.CreateClientAs("quantri", AntqRoles.Admin, "BCA");
        var snapshot = await admin.GetAsync($"/api/rollups/{province}/{period}/snapshot").OkJsonAsync();
        Assert.Equal(communes.Count, snapshot.GetProperty("completeness").GetProperty("expected").GetInt32());
        Assert.Equal(1, snapshot.GetProperty("completeness").GetProperty("onTime").GetInt32());
        Assert.Equal(communes.Count - 1, snapshot.GetProperty("missingCodes").GetArrayLength());
        Assert.Equal(6, snapshot.GetProperty("values").GetProperty("FORUMS").GetProperty("value").GetDecimal());
        Assert.True(snapshot.GetProperty("closedAt").GetDateTimeOffset() >= due);
    }
}
