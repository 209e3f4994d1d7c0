using System.Text;
using System.Text.Json.Nodes;
using Antq.Identity.Api.Data;
using Antq.Messaging.Copies;
using Antq.Notification.Api.Data;
using Antq.Plan.Api.Units;
using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using Antq.UnitTree;
using Npgsql;
using Xunit.Abstractions;
using static Antq.Plan.IntegrationTests.PlanApi;
using IdentityConsumers = Antq.Identity.Api.Users;
using ReportingDeadlines = Antq.Reporting.Api.Deadlines;

namespace Antq.Plan.IntegrationTests;

/// <summary>
/// Issue 23: every copy a service keeps from the Plan service's events (the unit tree in Reporting and Notification,
/// the deadlines in both, the plans in force in Notification) compares itself with its source at start and on a
/// schedule, and gets back whatever it lacks or holds older, wherever the hole is, not only the newest. Messages are
/// lost here on purpose: a stopped service's queues deleted while the Plan service publishes, rows deleted from a copy
/// or set back to an older version.
/// </summary>
public sealed class CopyHealingTests(ITestOutputHelper output) : IAsyncLifetime
{
    const string Province = "91";
    static readonly string[] Communes = ["91001", "91002", "91003", "91004"];

    TestDatabase planDatabase = null!;
    TestDatabase reportingDatabase = null!;
    TestDatabase notificationDatabase = null!;
    TestVirtualHost virtualHost = null!;
    ServiceFactory<PlanDbContext> plan = null!;
    ServiceFactory<NotificationDbContext>? notification;
    ServiceFactory<ReportingDbContext>? reporting;
    HttpClient? adminClient;
    TestDatabase? identityDatabase;
    ServiceFactory<IdentityDbContext>? identity;

    HttpClient admin => adminClient ??= plan.CreateClientAs("admin", AntqRoles.Admin, "BCA");

    public async Task InitializeAsync()
    {
        planDatabase = await TestDatabase.CreateAsync("plan-heal");
        reportingDatabase = await TestDatabase.CreateAsync("rep-heal");
        notificationDatabase = await TestDatabase.CreateAsync("notif-heal");
        virtualHost = await TestVirtualHost.CreateAsync("heal");
        plan = new ServiceFactory<PlanDbContext>("plan", planDatabase, virtualHost);
    }

    public async Task DisposeAsync()
    {
        adminClient?.Dispose();
        if (identity is not null) await identity.DisposeAsync();
        if (identityDatabase is not null) await identityDatabase.DisposeAsync();
        if (reporting is not null) await reporting.DisposeAsync();
        if (notification is not null) await notification.DisposeAsync();
        await plan.DisposeAsync();
        await virtualHost.DisposeAsync();
        await planDatabase.DisposeAsync();
        await reportingDatabase.DisposeAsync();
        await notificationDatabase.DisposeAsync();
    }

    ServiceFactory<ReportingDbContext> StartReporting(string interval)
    {
        var service = new ServiceFactory<ReportingDbContext>("reporting", reportingDatabase, virtualHost);
        service.Settings["Copies:Interval"] = interval;
        service.Settings["Closing:Enabled"] = "false";
        service.Settings["Logging:LogLevel:Default"] = "Warning";
        _ = service.Server;
        return service;
    }

    ServiceFactory<NotificationDbContext> StartNotification(string interval)
    {
        var service = new ServiceFactory<NotificationDbContext>("notification", notificationDatabase, virtualHost);
        service.Settings["Copies:Interval"] = interval;
        service.Settings["Logging:LogLevel:Default"] = "Warning";
        _ = service.Server;
        return service;
    }

    /// <summary>A province of four communes, in the two-tier format of the official lists, valid from 1 July 2025.</summary>
    async Task ImportTreeAsync()
    {
        var wards = new JsonArray([.. Communes.Select(c => (JsonNode)new JsonObject { ["Code"] = c, ["FullName"] = $"Xã Thử {c}", ["ProvinceCode"] = Province })]);
        var list = new JsonArray(new JsonObject { ["Code"] = Province, ["FullName"] = "Tỉnh Thử", ["Wards"] = wards });
        await PostAsync("/api/org-units/import?effectiveFrom=2025-07-01", Encoding.UTF8.GetBytes(list.ToJsonString()), "application/json");
    }

    /// <summary>Residential areas below the first commune: more versions, and derived deadlines below an issued plan.</summary>
    Task ImportResidentialAreasAsync() => PostAsync("/api/org-units/import?effectiveFrom=2025-07-01",
        Encoding.UTF8.GetBytes("code,name,kind,parentCode\n91001-TDP1,Tổ dân phố 1,ResidentialArea,91001\n91001-TDP2,Tổ dân phố 2,ResidentialArea,91001\n"), "text/csv");

    async Task PostAsync(string path, byte[] body, string mediaType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        using var response = await admin.PostAsync(path, content);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    Task<Guid> IssuePlanAsync() => CreateAndIssueAsync(plan.CreateClientAs("officer-91", AntqRoles.ProvinceOfficer, Province), Draft(Province, 2027));

    /// <summary>The rows of a copy or of its source as (key, version), in order.</summary>
    static async Task<List<string>> RowsAsync(TestDatabase database, string rowsSql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT key || '@' || version FROM ({rowsSql}) c ORDER BY 1", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.True(await command.ExecuteNonQueryAsync() > 0, $"changed nothing: {sql}");
    }

    /// <summary>Waits until the copy's rows equal the source's, and says how far apart they were when it gives up.</summary>
    async Task AssertHealsAsync(string what, TestDatabase copy, string copyRows, string sourceRows, TimeSpan within)
    {
        List<string> source = [], held = [];
        var equal = await Eventually.TryAsync(async () =>
        {
            source = await RowsAsync(planDatabase, sourceRows);
            held = await RowsAsync(copy, copyRows);
            return source.Count > 0 && source.SequenceEqual(held);
        }, within);
        Assert.True(equal, $"{what}: the copy holds {held.Count} rows, the source {source.Count}; missing {string.Join(", ", source.Except(held).Take(10))}; extra {string.Join(", ", held.Except(source).Take(10))}");
        output.WriteLine($"{what}: {held.Count} rows equal to the source");
    }

    Task ReportingUnitsHealAsync(TimeSpan within) =>
        AssertHealsAsync("Reporting's unit tree", reportingDatabase, UnitTreeServiceCollectionExtensions.CopyRows, ReconcileCopyConsumer.UnitRows, within);

    Task ReportingDeadlinesHealAsync(TimeSpan within) =>
        AssertHealsAsync("Reporting's deadlines", reportingDatabase, ReportingDeadlines.DeadlinesChangedConsumer.CopyRows, ReconcileCopyConsumer.DeadlineRows, within);

    async Task NotificationHealsAsync(TimeSpan within)
    {
        await AssertHealsAsync("Notification's unit tree", notificationDatabase, UnitTreeServiceCollectionExtensions.CopyRows, ReconcileCopyConsumer.UnitRows, within);
        await AssertHealsAsync("Notification's deadlines", notificationDatabase, Antq.Notification.Api.Reminders.DeadlinesChangedConsumer.CopyRows, ReconcileCopyConsumer.DeadlineRows, within);
        await AssertHealsAsync("Notification's plans", notificationDatabase, Antq.Notification.Api.Reminders.PlanIssuedConsumer.CopyRows, ReconcileCopyConsumer.PlanRows, within);
    }

    [Fact]
    public async Task A_service_that_was_down_while_changes_were_lost_to_it_gets_every_one_back_when_it_starts_holes_included()
    {
        // Once an hour: only the round at start can heal within this test.
        reporting = StartReporting("01:00:00");
        await ImportTreeAsync();
        await ReportingUnitsHealAsync(TimeSpan.FromSeconds(60));

        await reporting.DisposeAsync();
        reporting = null;
        // Its queues gone: whatever the Plan service publishes now never reaches it. And its copy lost two versions from
        // the middle of its history (a restore from an older backup, a message dead-lettered and discarded): a copy that
        // asked only for what came after its newest change would never get them back.
        Assert.True(await virtualHost.DeleteQueuesAsync("reporting-") > 0, "no queue of the Reporting service to delete");
        await ExecuteAsync(reportingDatabase, "DELETE FROM unit_tree_versions WHERE code IN ('91002', '91003')");
        await ImportResidentialAreasAsync();
        await IssuePlanAsync();
        Assert.NotEmpty(await RowsAsync(planDatabase, ReconcileCopyConsumer.DeadlineRows));
        Assert.Empty(await RowsAsync(reportingDatabase, ReportingDeadlines.DeadlinesChangedConsumer.CopyRows));

        // MassTransit keeps its log context in an AsyncLocal that the stopped host set in this flow.
        MassTransit.LogContext.Current = null;
        reporting = StartReporting("01:00:00");
        await ReportingUnitsHealAsync(TimeSpan.FromSeconds(60));
        await ReportingDeadlinesHealAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Copies_that_lost_rows_or_hold_older_versions_heal_on_the_schedule()
    {
        reporting = StartReporting("00:00:02");
        notification = StartNotification("00:00:02");
        await ImportTreeAsync();
        await ImportResidentialAreasAsync();
        var issued = await IssuePlanAsync();
        await ReportingUnitsHealAsync(TimeSpan.FromSeconds(60));
        await ReportingDeadlinesHealAsync(TimeSpan.FromSeconds(60));
        await NotificationHealsAsync(TimeSpan.FromSeconds(60));

        // Holes anywhere in each copy, and rows set back to an older version, while both services run.
        await ExecuteAsync(reportingDatabase, "DELETE FROM unit_tree_versions WHERE code IN ('91002', '91001-TDP1')");
        await ExecuteAsync(reportingDatabase, "DELETE FROM unit_deadlines WHERE org_unit_code = '91003'");
        await ExecuteAsync(reportingDatabase, "UPDATE unit_deadlines SET due_at = NULL, sequence = 0 WHERE org_unit_code = '91004' AND period = '2027-H1'");
        await ExecuteAsync(notificationDatabase, "DELETE FROM unit_tree_versions WHERE code = '91004'");
        await ExecuteAsync(notificationDatabase, "DELETE FROM due_reports WHERE org_unit_code = '91001'");
        await ExecuteAsync(notificationDatabase, $"DELETE FROM plan_reminder_policies WHERE plan_id = '{issued}'");

        await ReportingUnitsHealAsync(TimeSpan.FromSeconds(60));
        await ReportingDeadlinesHealAsync(TimeSpan.FromSeconds(60));
        await NotificationHealsAsync(TimeSpan.FromSeconds(60));
        // The older version is replaced by the source's, not only renumbered.
        const string dueAt = "SELECT org_unit_code AS key, extract(epoch FROM due_at)::bigint AS version FROM unit_deadlines WHERE org_unit_code = '91004' AND period = '2027-H1' AND due_at IS NOT NULL";
        var source = Assert.Single(await RowsAsync(planDatabase, dueAt));
        Assert.Equal([source], await RowsAsync(reportingDatabase, dueAt));
    }

    /// <summary>Users written straight into the Identity service's database: their announcements never left it.</summary>
    static async Task InsertUsersAsync(TestDatabase database, params string[] userNames)
    {
        foreach (var name in userNames)
            await ExecuteAsync(database, $"""
                INSERT INTO users (id, user_name, normalized_user_name, password_hash, full_name, role, org_unit_code, email, active, created_at, updated_at)
                VALUES ('{Guid.NewGuid()}', '{name}', '{name.ToUpperInvariant()}', 'x', 'Cán bộ {name}', 'CommuneOfficer', '91001', '{name}@congan.gov.vn', true, now(), now())
                """);
    }

    [Fact]
    public async Task Notifications_recipients_heal_from_the_identity_services_users_on_the_schedule()
    {
        identityDatabase = await TestDatabase.CreateAsync("identity-heal");
        identity = new ServiceFactory<IdentityDbContext>("identity", identityDatabase, virtualHost);
        using var key = System.Security.Cryptography.RSA.Create(2048);
        identity.Settings["Identity:SigningKeyPem"] = key.ExportPkcs8PrivateKeyPem();
        identity.Settings["ANTQ_ADMIN_PASSWORD"] = "Quantri-2026-ok";
        identity.Settings["Logging:LogLevel:Default"] = "Warning";
        _ = identity.Server; // the administrator's account, announced
        notification = StartNotification("00:00:02");

        async Task RecipientsHealAsync()
        {
            List<string> users = [], recipients = [];
            var equal = await Eventually.TryAsync(async () =>
            {
                users = await RowsAsync(identityDatabase, IdentityConsumers.ReconcileCopyConsumer.UserRows);
                recipients = await RowsAsync(notificationDatabase, Antq.Notification.Api.Recipients.UserChangedConsumer.CopyRows);
                return users.Count == 4 && users.SequenceEqual(recipients);
            }, TimeSpan.FromSeconds(60));
            Assert.True(equal, $"Notification holds {recipients.Count} recipients, Identity {users.Count} users");
        }

        // Three users whose announcements were lost: they come in with the next round.
        await InsertUsersAsync(identityDatabase, "heal.a", "heal.b", "heal.c");
        await RecipientsHealAsync();

        // A recipient lost, another holding an older e-mail address.
        await ExecuteAsync(notificationDatabase, "DELETE FROM recipients WHERE user_name = 'heal.a'");
        await ExecuteAsync(notificationDatabase, "UPDATE recipients SET email = 'cu@congan.gov.vn' WHERE user_name = 'heal.b'");
        await RecipientsHealAsync();
        await using var connection = new NpgsqlConnection(notificationDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT email FROM recipients WHERE user_name = 'heal.b'", connection);
        Assert.Equal("heal.b@congan.gov.vn", await command.ExecuteScalarAsync());
    }
}
