using System.Net;
using Antq.Journeys;
using Antq.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Observability.Tests;

/// <summary>
/// Lai Châu a week before its annual deadline (before 15/12/2026), with the platform's accounts locking after three
/// wrong passwords and the gateway allowing eight sign-in attempts per user name a minute.
/// </summary>
public sealed class MetricsSeason() : JourneyPlatform(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(7)))
{
    public const int MaxFailedLogins = 3;
    public const int SignInsPerUser = 8;

    protected override void Configure(string service, Dictionary<string, string?> settings)
    {
        if (service == "identity") settings["Identity:Lockout:MaxFailedLogins"] = MaxFailedLogins.ToString();
        if (service == "gateway") settings["Gateway:RateLimits:TokenPermitsPerUser"] = SignInsPerUser.ToString();
    }
}

/// <summary>
/// Issue 25: a day's work of the whole platform (sign-ins, refusals at the door, submissions, a return, an acceptance,
/// reminders, the deadline's close, e-mails, a message published twice) read back from every process's
/// <c>/metrics</c>, each meter with the value the work must give it: counts of what the test did, and counts of what
/// the services' own ledgers (their databases) say they did.
/// </summary>
public sealed class MetricsJourney(MetricsSeason platform) : IClassFixture<MetricsSeason>
{
    const string Province = "12";
    const string Period = "2026-Y";
    const string Pv01 = "pv01.laichau";
    static readonly DateTimeOffset Due = JourneyPlatform.VietnamMidnight("2026-12-15");

    /// <summary>07:30 Vietnam time of that day: when Notification sends what counts in whole days from a deadline (its default <c>Notification:Reminders:RemindAt</c>).</summary>
    static DateTimeOffset AtWorkingHour(DateTimeOffset day) => Antq.Calendar.VietnamTime.At(Antq.Calendar.VietnamTime.DayOf(day), new TimeOnly(7, 30));
    static readonly string[] Outboxes = ["IdentityDbContext", "PlanDbContext", "ReportingDbContext", "ClassificationDbContext", "NotificationDbContext"];

    readonly HttpClient raw = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_days_work_is_read_back_from_every_process_metrics()
    {
        // ---- /metrics: every process serves it to a direct caller on loopback, none through a proxy.
        foreach (var (name, address) in platform.Addresses)
        {
            using var direct = await raw.GetAsync(address + "metrics");
            Assert.True(direct.StatusCode == HttpStatusCode.OK, $"{name}: /metrics answered {(int)direct.StatusCode}");
            var text = await direct.Content.ReadAsStringAsync();
            Assert.True(text.Contains("# TYPE target_info gauge", StringComparison.Ordinal) && text.Contains("# TYPE dotnet_", StringComparison.Ordinal),
                $"{name}: /metrics serves the runtime's meters: {text[..Math.Min(2000, text.Length)]}");
            using var proxied = new HttpRequestMessage(HttpMethod.Get, address + "metrics");
            proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
            using var refused = await raw.SendAsync(proxied);
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{name}: /metrics through a proxy answered {(int)refused.StatusCode}");
        }

        // ---- The season: Lai Châu, its plan issued, PV01 and three communes with accounts and contact points.
        var province = await platform.ImportProvinceAsync("units-2026-07-two-tier.json", Province, "2025-07-01");
        var communes = province["Wards"]!.AsArray().Select(w => (string)w!["Code"]!).ToList();
        var pv01 = await platform.UserAsync(Pv01, "ProvinceOfficer", Province);
        await platform.ContactAsync(Province, Pv01);
        var plan = await Season.PostAsync(platform.Admin, "api/plans", new
        {
            number = "15/KH-CAT-PV01", title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
            issuedOn = "2026-01-15", issuerCode = Province, year = 2026,
            deadlines = new Dictionary<string, string> { [Period] = "2026-12-15" },
        });
        await Season.PostAsync(platform.Admin, $"api/plans/{plan.GetProperty("id").GetString()}/issue", null);
        var officers = new List<HttpClient>();
        for (var i = 0; i < 3; i++)
        {
            officers.Add(await platform.UserAsync($"xa{i}.laichau", "CommuneOfficer", communes[i]));
            await platform.ContactAsync(communes[i], $"xa{i}.laichau");
            var officer = officers[i];
            var code = communes[i];
            await Eventually.UntilAsync(async () =>
            {
                using var response = await officer.GetAsync($"api/deadlines/{code}/{Period}");
                return response.IsSuccessStatusCode;
            }, TimeSpan.FromSeconds(60), $"the deadline of {code}");
        }

        await platform.UserAsync("khoa.laichau", "CommuneOfficer", communes[3]);

        // ---- Identity: one good sign-in; an account locked after three wrong passwords; the gateway's limit.
        var identityBefore = await ScrapeAsync("identity");
        var gatewayBefore = await ScrapeAsync("gateway");
        Assert.Equal(HttpStatusCode.OK, await SignInAsync("xa0.laichau", JourneyPlatform.Password));
        var attempts = new List<HttpStatusCode>();
        for (var i = 0; i < MetricsSeason.SignInsPerUser + 1; i++)
            attempts.Add(await SignInAsync("khoa.laichau", i < MetricsSeason.MaxFailedLogins ? "sai-mat-khau" : JourneyPlatform.Password));
        Assert.All(attempts.Take(MetricsSeason.SignInsPerUser), s => Assert.NotEqual(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, attempts[^1]);
        var identityAfter = await ScrapeAsync("identity");
        Assert.Equal(1, Delta(identityBefore, identityAfter, "antq_identity_sign_ins_total", ("antq_identity_outcome", "succeeded")));
        Assert.Equal(MetricsSeason.MaxFailedLogins - 1, Delta(identityBefore, identityAfter, "antq_identity_sign_ins_total", ("antq_identity_outcome", "wrong_credentials")));
        // The attempt that locks and every one after it (the right password too) are refused as locked.
        Assert.Equal(MetricsSeason.SignInsPerUser - (MetricsSeason.MaxFailedLogins - 1),
            Delta(identityBefore, identityAfter, "antq_identity_sign_ins_total", ("antq_identity_outcome", "locked")));
        Assert.Equal(1, Delta(identityBefore, identityAfter, "antq_identity_lockouts_total"));

        // ---- The gateway: refusals by reason and by who refused.
        using (var anonymous = await raw.GetAsync(platform.Address + $"api/reports/{communes[0]}/{Period}"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var outside = await officers[0].GetAsync($"api/reports/{communes[1]}/{Period}"))
            Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        using (var tooLong = await officers[0].GetAsync("api/reports/" + new string('x', 9000)))
            Assert.Equal(HttpStatusCode.RequestUriTooLong, tooLong.StatusCode);
        var gatewayAfter = await ScrapeAsync("gateway");
        const string refusals = "antq_gateway_refusals_total";
        Assert.Equal(1, Delta(gatewayBefore, gatewayAfter, refusals, ("antq_gateway_refusal_reason", "auth"), ("antq_gateway_refused_by", "gateway")));
        Assert.Equal(1, Delta(gatewayBefore, gatewayAfter, refusals, ("antq_gateway_refusal_reason", "scope"), ("antq_gateway_refused_by", "service")));
        Assert.Equal(1, Delta(gatewayBefore, gatewayAfter, refusals, ("antq_gateway_refusal_reason", "size"), ("antq_gateway_refused_by", "gateway")));
        Assert.Equal(1, Delta(gatewayBefore, gatewayAfter, refusals, ("antq_gateway_refusal_reason", "limit"), ("antq_gateway_refused_by", "gateway")));
        Assert.Equal(1, Delta(gatewayBefore, gatewayAfter, "antq_gateway_requests_total",
            ("http_route", "/api/reports/{**rest}"), ("http_response_status_code", "401"), ("antq_gateway_forwarded", "false")));
        Assert.Equal(1, Delta(gatewayBefore, gatewayAfter, "antq_gateway_requests_total",
            ("http_route", "/api/reports/{**rest}"), ("http_response_status_code", "403"), ("antq_gateway_forwarded", "true")));
        Assert.True(Delta(gatewayBefore, gatewayAfter, "antq_gateway_requests_total", ("http_route", "/connect/{**rest}"))
                    >= MetricsSeason.SignInsPerUser + 2, "the sign-ins are requests at the gateway");

        // ---- Reporting: three communes submit, one is returned and resubmits, one is accepted.
        for (var i = 0; i < 3; i++)
            await Season.SubmitAsync(officers[i], communes[i], Period, Season.Report(Period, 700 + i, new Dictionary<string, decimal> { ["TIPS_TOTAL"] = 10 * (i + 1), ["TIPS_VALUABLE"] = i }));
        await Season.ReturnAsync(pv01, communes[1], Period, "Số liệu tin báo chưa khớp với sổ theo dõi, đề nghị kiểm tra lại.");
        await Season.ResubmitAsync(officers[1], communes[1], Period);
        await Season.AcceptAsync(pv01, communes[0], Period);
        var reporting = await ScrapeAsync("reporting");
        Assert.Equal(4, reporting.Sum("antq_reporting_submissions_total"));
        Assert.Equal(4, reporting.Sum("antq_reporting_submissions_total", ("antq_report_on_time", "true")));
        Assert.Equal(1, reporting.Sum("antq_reporting_returns_total"));
        Assert.Equal(1, reporting.Sum("antq_reporting_acceptances_total"));
        Assert.Equal(4, reporting.Sum("antq_reporting_rollup_write_duration_seconds_count", ("antq_rollup_change", "add")));
        Assert.Equal(1, reporting.Sum("antq_reporting_rollup_write_duration_seconds_count", ("antq_rollup_change", "subtract")));
        Assert.True(reporting.Sum("antq_reporting_rollup_write_duration_seconds_sum") > 0, "the roll-up writes took some time");

        // ---- A message published twice (as after a crash between the broker's confirm and the row marked sent):
        // every consumer that handled it skips it, once each.
        // The acceptance's row leaves the outbox once the dispatcher's round has run (later on a busy machine).
        (long Id, Guid MessageId) accepted = default;
        await Eventually.UntilAsync(async () =>
        {
            accepted = await platform.InAsync<Antq.Reporting.Api.Data.ReportingDbContext, (long Id, Guid MessageId)>(platform.Reporting, async db =>
            {
                var row = await db.Set<Antq.Messaging.OutboxMessage>().AsNoTracking()
                    .Where(m => m.MessageType.Contains("ReportAccepted") && m.SentAt != null).OrderBy(m => m.Id).FirstOrDefaultAsync();
                return row is null ? default : (row.Id, row.MessageId);
            });
            return accepted.Id != 0;
        }, TimeSpan.FromSeconds(60), "the ReportAccepted outbox row sent");
        var handledBy = new List<string>();
        await Eventually.UntilAsync(async () =>
        {
            handledBy = [.. await ConsumersAsync(platform.Notification, accepted.MessageId), .. await ConsumersAsync(platform.Classification, accepted.MessageId)];
            return handledBy.Count >= 2;
        }, TimeSpan.FromSeconds(60), "Notification and Classification handle ReportAccepted");
        var duplicatesBefore = await ScrapeAsync("notification");
        await platform.InAsync<Antq.Reporting.Api.Data.ReportingDbContext, int>(platform.Reporting, db =>
            db.Database.ExecuteSqlAsync($"UPDATE outbox_messages SET sent_at = NULL WHERE id = {accepted.Id}"));

        // ---- Reminders: a week before the deadline, at the working hour (07:30 Vietnam time by default), the communes
        // that have not reported are reminded.
        platform.Clock.AdvanceTo(AtWorkingHour(Due.AddDays(-7)).AddMinutes(1));
        await AllDueNoticesHandledAsync();
        await Eventually.UntilAsync(async () =>
        {
            var now = await ScrapeAsync("notification");
            // Two services may name their consumers alike: each handled once, so skipped once per inbox row.
            return handledBy.GroupBy(c => c).All(g => Delta(duplicatesBefore, now, "antq_messaging_inbox_duplicates_total", ("antq_messaging_consumer", g.Key)) == g.Count());
        }, TimeSpan.FromSeconds(60), $"the second publish of ReportAccepted skipped once by each of {string.Join(", ", handledBy)}");

        // ---- The deadline passes: the period closes at the province, the missing communes are told they are late.
        platform.Clock.AdvanceTo(Due.AddMinutes(1));
        var snapshot = await Season.SnapshotAsync(pv01, Province, Period);
        Assert.Equal(communes.Count - 3, snapshot.GetProperty("completeness").GetProperty("missing").GetInt32());
        await Season.NoticeAsync(pv01, "periodClosed", Province, Period);
        // A day after the deadline (the default policy's P1D), at the working hour, the communes still missing are told
        // they are late.
        platform.Clock.AdvanceTo(AtWorkingHour(Due.AddDays(1)).AddMinutes(1));
        await AllDueNoticesHandledAsync();
        await AllDeliveriesSettledAsync();

        // ---- Read back: each meter against the work done and the services' own ledgers.
        var closed = await platform.InAsync<Antq.Reporting.Api.Data.ReportingDbContext, int>(platform.Reporting,
            db => db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM period_closings").SingleAsync());
        Assert.Equal(1, closed);
        var sentReminders = await CountAsync(platform.Notification, "SELECT count(*)::int AS \"Value\" FROM notices WHERE kind IN ('reminder', 'overdue', 'escalation') AND status = 'sent'");
        var reminded = await CountAsync(platform.Notification, "SELECT count(*)::int AS \"Value\" FROM notices WHERE kind = 'reminder' AND status = 'sent'");
        var overdue = await CountAsync(platform.Notification, "SELECT count(*)::int AS \"Value\" FROM notices WHERE kind = 'overdue' AND status = 'sent'");
        Assert.True(reminded >= communes.Count - 3, $"every commune without a report is reminded a week before ({reminded} reminders sent)");
        Assert.True(overdue >= communes.Count - 3, $"every commune without a report is told it is late ({overdue} overdue notices sent)");
        var delivered = await CountAsync(platform.Notification, "SELECT count(*)::int AS \"Value\" FROM deliveries WHERE channel = 'email' AND status = 'delivered'");
        Assert.True(delivered > 0, "e-mails went out");

        await Eventually.UntilAsync(async () =>
        {
            var notification = await ScrapeAsync("notification");
            return notification.Sum("antq_notification_reminders_sent_total") == sentReminders
                && notification.Sum("antq_notification_deliveries_total", ("antq_notification_channel", "email"), ("antq_notification_outcome", "delivered")) == delivered;
        }, TimeSpan.FromSeconds(30), "Notification's counters catch up with its ledger");
        var n = await ScrapeAsync("notification");
        Assert.Equal(sentReminders, n.Sum("antq_notification_reminders_sent_total"));
        Assert.Equal(reminded, n.Sum("antq_notification_reminders_sent_total", ("antq_notification_notice_kind", "reminder")));
        Assert.Equal(overdue, n.Sum("antq_notification_reminders_sent_total", ("antq_notification_notice_kind", "overdue")));
        Assert.True(n.Sum("antq_notification_reminders_due_total") >= sentReminders, "every reminder sent was due");
        Assert.Equal(delivered, n.Sum("antq_notification_deliveries_total", ("antq_notification_channel", "email"), ("antq_notification_outcome", "delivered")));
        Assert.Equal(0, n.Sum("antq_notification_deliveries_total", ("antq_notification_outcome", "retrying")));
        Assert.Equal(0, n.Sum("antq_notification_deliveries_total", ("antq_notification_outcome", "failed")));
        Assert.Equal(delivered, n.Sum("antq_notification_delivery_lag_seconds_count", ("antq_notification_channel", "email")));
        Assert.True(n.Sum("antq_notification_delivery_lag_seconds_sum") >= 0);

        var r = await ScrapeAsync("reporting");
        Assert.Equal(closed, r.Sum("antq_reporting_closings_total", ("antq_period_kind", "annual")));
        Assert.Equal(closed, r.Sum("antq_reporting_closing_duration_seconds_count"));
        Assert.True(r.Sum("antq_reporting_closing_duration_seconds_sum") > 0, "a closing takes some time");
        Assert.Equal(4, r.Sum("antq_reporting_submissions_total"));
        Assert.Equal(0, r.Sum("antq_reporting_closings_pending"));
        Assert.Equal(0, r.Sum("antq_reporting_closings_pending_age_seconds"));
        Assert.True(r.Declares("antq_reporting_closings_pending"), "the pending closings gauge is exported");

        // ---- The messaging gauges of every service: read from the outboxes (at most once per 10 s), nothing left.
        await Eventually.UntilAsync(async () =>
        {
            var now = await ScrapeAsync("plan");
            return Outboxes.All(o => now.Of("antq_messaging_outbox_backlog").Any(s => s.Labels["antq_messaging_outbox"] == o && s.Value == 0)
                && now.Of("antq_messaging_dead_letters").Count() >= 2 * Outboxes.Length && now.Of("antq_health_ready").Any());
        }, TimeSpan.FromSeconds(60), "every outbox's backlog, read by its gauge, is empty");
        var m = await ScrapeAsync("plan");
        foreach (var outbox in Outboxes)
        {
            Assert.Equal(0, m.Sum("antq_messaging_outbox_backlog", ("antq_messaging_outbox", outbox)));
            Assert.Equal(0, m.Sum("antq_messaging_outbox_parked", ("antq_messaging_outbox", outbox)));
            Assert.Contains(m.Of("antq_messaging_outbox_oldest_age_seconds"), s => s.Labels["antq_messaging_outbox"] == outbox && s.Value == 0);
        }

        foreach (var service in new[] { "identity", "plan", "reporting", "classification", "notification" })
        foreach (var kind in new[] { "outbox", "queue" })
            Assert.Contains(m.Of("antq_messaging_dead_letters"), s => s.Labels["antq_service"] == service && s.Labels["antq_messaging_dead_letter_kind"] == kind && s.Value == 0);
        // Readiness: every process of this one runs its checks into the same gauge; all pass.
        Assert.All(m.Of("antq_health_ready"), s => Assert.Equal(1, s.Value));
        Assert.Equal(0, m.Sum("antq_messaging_consumer_failures_total"));
        Assert.Equal(0, m.Sum("antq_messaging_outbox_refusals_total"));
        Assert.Equal(handledBy.Count, m.Sum("antq_messaging_inbox_duplicates_total"));
    }

    async Task<Scrape> ScrapeAsync(string process)
    {
        using var response = await raw.GetAsync(platform.Addresses[process] + "metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new Scrape(await response.Content.ReadAsStringAsync());
    }

    static double Delta(Scrape before, Scrape after, string name, params (string Key, string Value)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);

    async Task<HttpStatusCode> SignInAsync(string username, string password)
    {
        using var response = await raw.PostAsync(platform.Address + "connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = username, ["password"] = password,
        }));
        return response.StatusCode;
    }

    async Task<List<string>> ConsumersAsync(IServiceProvider services, Guid messageId)
    {
        await using var scope = services.CreateAsyncScope();
        var db = Context(scope.ServiceProvider, services);
        return await db.Database.SqlQuery<string>($"SELECT consumer AS \"Value\" FROM inbox_messages WHERE message_id = {messageId}").ToListAsync();
    }

    async Task<int> CountAsync(IServiceProvider services, string sql)
    {
        await using var scope = services.CreateAsyncScope();
        return await Context(scope.ServiceProvider, services).Database.SqlQueryRaw<int>(sql).SingleAsync();
    }

    DbContext Context(IServiceProvider scoped, IServiceProvider services) =>
        services == platform.Notification ? scoped.GetRequiredService<Antq.Notification.Api.Data.NotificationDbContext>()
        : services == platform.Classification ? scoped.GetRequiredService<Antq.Classification.Api.Data.ClassificationDbContext>()
        : scoped.GetRequiredService<Antq.Reporting.Api.Data.ReportingDbContext>();

    /// <summary>Every notice due on the platform's clock has been sent or cancelled.</summary>
    Task AllDueNoticesHandledAsync() => Eventually.UntilAsync(async () =>
        await CountAsync(platform.Notification, $"SELECT count(*)::int AS \"Value\" FROM notices WHERE status = 'pending' AND due_at <= '{platform.Clock.GetUtcNow().UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'") == 0,
        TimeSpan.FromSeconds(90), "Notification handles every notice due");

    /// <summary>Every e-mail and webhook delivery due has a final result.</summary>
    Task AllDeliveriesSettledAsync() => Eventually.UntilAsync(async () =>
        await CountAsync(platform.Notification, "SELECT count(*)::int AS \"Value\" FROM deliveries WHERE status IN ('pending', 'sending')") == 0,
        TimeSpan.FromSeconds(90), "Notification delivers every e-mail");
}
