using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Antq.Contracts.Audit;
using Antq.Contracts.Reporting;
using Antq.Notification.Api.ContactPoints;
using Antq.Notification.Api.Deliveries;
using Antq.Notification.Api.Webhooks;
using Antq.Notification.IntegrationTests.Infrastructure;
using Antq.ServiceDefaults;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Notification.IntegrationTests;

/// <summary>
/// Production's webhook settings: no internal network is allowed, except one address, 127.0.0.2, where a second receiver
/// listens (it stands for a public endpoint: a redirect from it, and a slow endpoint beside a quick one, can then be
/// tried). 127.0.0.1, localhost and every other internal address are refused as in production. One dispatching loop, so
/// that a slow endpoint would hold up the others if anything did; a request may take 30 s before it is cut off.
/// </summary>
public sealed class StrictWebhookWorld : NotificationWorld
{
    public const string PublicAddress = "127.0.0.2";

    public WebhookReceiver Public { get; private set; } = null!;

    /// <summary>The certificate that encrypts the Data Protection keys in the database (a PKCS#12 file, as an operator gives it).</summary>
    readonly string certificateFile = Path.Combine(Path.GetTempPath(), $"antq-dp-{Guid.NewGuid():N}.pfx");

    public override async Task InitializeAsync()
    {
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=antq-notification-data-protection", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificateFile, certificate.Export(X509ContentType.Pfx, "mat-khau-chung-thu"));
        }

        Public = await WebhookReceiver.StartAsync(PublicAddress);
        await base.InitializeAsync();
    }

    protected override void Configure(NotificationService service)
    {
        base.Configure(service);
        service.Settings["Notification:Webhooks:AllowedNetworks:0"] = $"{PublicAddress}/32";
        service.Settings["Notification:Webhooks:Timeout"] = "00:00:30";
        service.Settings["Notification:Dispatcher:SendTimeout"] = "00:00:30";
        service.Settings["Notification:Dispatcher:Parallelism"] = "1";
        service.Settings["Notification:DataProtection:CertificateFile"] = certificateFile;
        service.Settings["Notification:DataProtection:CertificatePassword"] = "mat-khau-chung-thu";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Public.DisposeAsync();
        File.Delete(certificateFile);
    }
}

/// <summary>SSRF, redirects, secrets at rest, the audit of changes, and one slow endpoint beside others.</summary>
public sealed class WebhookSecurityTests(StrictWebhookWorld world) : IClassFixture<StrictWebhookWorld>, IAsyncLifetime
{
    const string Province = "41";
    const string Period = "2026-Y";

    public async Task InitializeAsync()
    {
        if (await world.InDbAsync(db => db.Recipients.AnyAsync())) return;
        await world.UnitsAsync(Province, "Tỉnh Thử Nghiệm", ("41101", "Xã Một"), ("41102", "Xã Hai"), ("41103", "Xã Ba"), ("41104", "Xã Bốn"),
            ("41105", "Xã Năm"), ("41106", "Xã Sáu"), ("41107", "Xã Bảy"), ("41108", "Xã Tám"));
        await world.UserAsync("pv.thunghiem", AntqRoles.ProvinceOfficer, Province);
        await world.WaitForCopiesAsync(units: 9, users: 1);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    Task AcceptedAsync(string unit) => world.PublishAsync(new ReportAccepted
    {
        ReportId = Guid.NewGuid(), OrgUnitCode = unit, ReportsToCode = Province, Period = Period, AcceptedBy = "pv.thunghiem",
        OccurredAt = world.Clock.GetUtcNow(),
    });

    Task<List<Delivery>> WebhookDeliveriesAsync(string unit) => world.InDbAsync(db =>
        db.Set<Delivery>().AsNoTracking().Where(d => d.OrgUnitCode == unit && d.Channel == DeliveryChannels.Webhook).ToListAsync());

    [Fact]
    public async Task Contact_points_at_loopback_metadata_private_or_a_name_resolving_to_loopback_are_refused_in_vietnamese()
    {
        var port = new Uri(world.Webhooks.BaseUrl).Port;
        string[] urls =
        [
            $"http://127.0.0.1:{port}/hook", "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/hook", $"http://localhost:{port}/hook",
            "http://[::1]/hook", "http://[::ffff:127.0.0.1]/hook", "http://192.168.1.1/", "http://100.64.0.1/", "http://[fd00::1]/", "http://0.0.0.0/",
        ];
        using var admin = world.Admin;
        foreach (var url in urls)
        {
            using var response = await admin.PutAsJsonAsync("/api/contact-points/41101", new { webhookUrl = url, webhookSecret = "khoa-bi-mat-41101-dai" });
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.Contains("thuộc mạng nội bộ, loopback, link-local hoặc dải dành riêng", detail);
            Assert.Equal(detail, problem.GetProperty("errors").GetProperty("webhookUrl")[0].GetString());
        }

        using var localhost = await admin.PutAsJsonAsync("/api/contact-points/41101", new { webhookUrl = $"http://localhost:{port}/hook", webhookSecret = "khoa-bi-mat-41101-dai" });
        Assert.StartsWith("Tên miền localhost trỏ tới địa chỉ", (await localhost.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.False(await world.InDbAsync(db => db.Set<ContactPoint>().AnyAsync(c => c.OrgUnitCode == "41101")));
        Assert.Empty(world.Webhooks.Calls);
    }

    [Fact]
    public async Task An_address_that_turns_internal_after_it_was_saved_is_refused_at_the_connection()
    {
        // As if the names had resolved to a public address when saved and to loopback now (DNS rebinding): written past the API.
        var port = new Uri(world.Webhooks.BaseUrl).Port;
        var secrets = world.Service.Services.GetRequiredService<WebhookSecrets>();
        await world.InDbAsync(async db =>
        {
            db.Add(new ContactPoint { OrgUnitCode = "41102", WebhookUrl = $"http://localhost:{port}/rebound", ProtectedWebhookSecret = secrets.Protect("khoa-bi-mat-41102-dai"), UpdatedBy = "test" });
            db.Add(new ContactPoint { OrgUnitCode = "41103", WebhookUrl = $"http://127.0.0.1:{port}/direct", ProtectedWebhookSecret = secrets.Protect("khoa-bi-mat-41103-dai"), UpdatedBy = "test" });
            return await db.SaveChangesAsync();
        });
        await AcceptedAsync("41102");
        await AcceptedAsync("41103");

        foreach (var (unit, shown) in new[] { ("41102", "Tên miền localhost trỏ tới địa chỉ"), ("41103", "Địa chỉ 127.0.0.1 thuộc mạng nội bộ") })
        {
            var deliveries = await Eventually.UntilAsync(() => WebhookDeliveriesAsync(unit), d => d.Count == 1 && d[0].Attempts >= 1 && d[0].LastError != null,
                $"the webhook of {unit} tried");
            Assert.StartsWith(shown, deliveries[0].LastError);
            Assert.Null(deliveries[0].DeliveredAt);
        }

        Assert.Empty(world.Webhooks.CallsTo("/rebound"));
        Assert.Empty(world.Webhooks.CallsTo("/direct"));
    }

    [Fact]
    public async Task A_redirect_to_loopback_is_not_followed_and_the_delivery_fails()
    {
        var target = world.Webhooks.Url("/target", "khoa-bi-mat-41104-dai");
        var redirecting = world.Public.Url("/redirecting", "khoa-bi-mat-41104-dai", redirectTo: target);
        await world.PutContactPointAsync("41104", new { webhookUrl = redirecting, webhookSecret = "khoa-bi-mat-41104-dai" });
        await AcceptedAsync("41104");

        var deliveries = await Eventually.UntilAsync(() => WebhookDeliveriesAsync("41104"), d => d.Count == 1 && d[0].LastError != null, "the redirected attempt");
        Assert.StartsWith("HTTP 307", deliveries[0].LastError);
        Assert.Contains("không theo chuyển hướng", deliveries[0].LastError);
        Assert.Equal(DeliveryStatuses.Pending, deliveries[0].Status); // a failure, retried later like any other
        Assert.Single(world.Public.CallsTo("/redirecting"));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(world.Webhooks.CallsTo("/target"));
    }

    [Fact]
    public async Task Secrets_are_encrypted_at_rest_and_one_stored_in_plain_text_is_encrypted_at_start_and_still_signs()
    {
        const string secret = "khoa-bi-mat-rat-rieng-41105";
        var url = world.Public.Url("/plain", secret);
        await world.PutContactPointAsync("41105", new { webhookUrl = url, webhookSecret = secret });
        var stored = await StoredSecretAsync("41105");
        Assert.StartsWith(WebhookSecrets.Prefix, stored);
        Assert.DoesNotContain(secret, stored);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)), stored);
        // The key ring is in the database, its keys encrypted with the certificate: no key in clear beside the secrets.
        var keys = await world.InDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, xml => Assert.Contains("EncryptedData", xml));
        Assert.All(keys, xml => Assert.DoesNotContain("<masterKey", xml));

        // A secret an older version stored in plain text: encrypted when the service starts, and it still signs.
        await world.InDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE contact_points SET webhook_secret = {secret} WHERE org_unit_code = '41105'"));
        await world.StopAsync();
        await world.StartAsync();
        stored = await StoredSecretAsync("41105");
        Assert.StartsWith(WebhookSecrets.Prefix, stored);
        Assert.DoesNotContain(secret, stored);

        await AcceptedAsync("41105");
        var call = Assert.Single(await Eventually.UntilAsync(() => Task.FromResult(world.Public.CallsTo("/plain")), c => c.Count >= 1, "the webhook"));
        Assert.True(call.SignatureValid);
    }

    Task<string> StoredSecretAsync(string unit) => world.InDbAsync(db =>
        db.Database.SqlQuery<string>($"SELECT webhook_secret AS \"Value\" FROM contact_points WHERE org_unit_code = {unit}").SingleAsync());

    [Fact]
    public async Task Every_change_of_a_contact_point_is_audited_with_who_and_what_but_never_the_secret()
    {
        var acts = new ConcurrentQueue<AdministrativeActPerformed>();
        var bus = world.Service.Services.GetRequiredService<IBus>();
        var handle = bus.ConnectReceiveEndpoint($"test-audit-{Guid.NewGuid():N}", e => e.Handler<AdministrativeActPerformed>(c =>
        {
            acts.Enqueue(c.Message);
            return Task.CompletedTask;
        }));
        await handle.Ready;
        try
        {
            const string first = "khoa-bi-mat-dau-tien-41106", second = "khoa-bi-mat-thu-hai-41106";
            using var officer = world.As("cb.xasau", AntqRoles.CommuneOfficer, "41106");
            async Task PutAsync(object body)
            {
                using var response = await officer.PutAsJsonAsync("/api/contact-points/41106", body);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            }

            await PutAsync(new { emails = new[] { "xasau@congan.vn" }, webhookUrl = world.Public.Url("/sau", first), webhookSecret = first });
            await PutAsync(new { emails = new[] { "xasau@congan.vn" }, webhookUrl = world.Public.Url("/sau", second), webhookSecret = second });
            await PutAsync(new { emails = new[] { "xasau@congan.vn", "truong.xasau@congan.vn" }, webhookUrl = world.Public.Url("/sau", second) });
            await PutAsync(new { emails = new[] { "xasau@congan.vn", "truong.xasau@congan.vn" }, webhookUrl = world.Public.Url("/sau", second) }); // no change

            var ofUnit = await Eventually.UntilAsync(() => Task.FromResult(acts.Where(a => a.Subject == "contact-point/41106").OrderBy(a => a.Id).ToList()),
                a => a.Count >= 3, "the acts announced");
            await Task.Delay(TimeSpan.FromSeconds(1));
            ofUnit = acts.Where(a => a.Subject == "contact-point/41106").OrderBy(a => a.Id).ToList();
            Assert.Equal(["contact-point.created", "contact-point.changed", "contact-point.changed"], ofUnit.Select(a => a.Action));
            Assert.All(ofUnit, a => Assert.Equal("cb.xasau", a.Actor));
            Assert.All(ofUnit, a => Assert.Equal("notification", a.Service));
            Assert.Contains("e-mail: (không có) → xasau@congan.vn", ofUnit[0].Detail);
            Assert.Contains("khóa bí mật: đã đặt", ofUnit[0].Detail);
            Assert.Equal("khóa bí mật: đã thay", ofUnit[1].Detail);
            Assert.Equal("e-mail: xasau@congan.vn → xasau@congan.vn, truong.xasau@congan.vn", ofUnit[2].Detail);
            Assert.All(ofUnit, a => Assert.DoesNotContain("khoa-bi-mat", a.Detail));
        }
        finally
        {
            await handle.StopAsync();
        }
    }

    [Fact]
    public async Task A_webhook_that_hangs_does_not_hold_up_the_deliveries_to_other_endpoints()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await world.PutContactPointAsync("41107", new { webhookUrl = world.Public.Url("/hangs", "khoa-bi-mat-treo-41107", hold: () => release.Task), webhookSecret = "khoa-bi-mat-treo-41107" });
            await world.PutContactPointAsync("41108", new { webhookUrl = world.Public.Url("/answers", "khoa-bi-mat-tra-loi-41108"), webhookSecret = "khoa-bi-mat-tra-loi-41108" });
            var watch = Stopwatch.StartNew();
            await AcceptedAsync("41107");
            await AcceptedAsync("41108");
            await Eventually.UntilAsync(() => Task.FromResult(world.Public.CallsTo("/answers")), c => c.Count >= 1, "the quick endpoint's delivery", TimeSpan.FromSeconds(10));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the quick endpoint waited {watch.Elapsed.TotalSeconds:0.0} s");

            // While the slow one still hangs (its request may take 30 s), more notices to both: the quick endpoint's
            // arrive at once, one after the other; the slow endpoint is not sent a second request beside the first.
            await Eventually.UntilAsync(() => WebhookDeliveriesAsync("41107"), d => d.Count == 1 && d[0].Status == DeliveryStatuses.Sending,
                "the slow endpoint's delivery in flight");
            for (var i = 2; i <= 3; i++)
            {
                watch.Restart();
                await AcceptedAsync("41107");
                await AcceptedAsync("41108");
                await Eventually.UntilAsync(() => Task.FromResult(world.Public.CallsTo("/answers")), c => c.Count >= i, $"quick delivery {i}", TimeSpan.FromSeconds(10));
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"quick delivery {i} waited {watch.Elapsed.TotalSeconds:0.0} s behind the slow endpoint");
            }

            var slow = await WebhookDeliveriesAsync("41107");
            Assert.Single(slow, d => d.Status == DeliveryStatuses.Sending); // the one in flight
            Assert.Equal(2, slow.Count(d => d.Status == DeliveryStatuses.Pending && d.Attempts == 0)); // waiting for its lane
            Assert.Empty(world.Public.CallsTo("/hangs")); // still hanging: answered calls only are recorded
            Assert.All(world.Public.CallsTo("/answers"), c => Assert.True(c.SignatureValid));
        }
        finally
        {
            release.TrySetResult();
        }
    }
}
