using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Contracts.Reporting;
using Antq.Notification.Api.Digests;
using Antq.Notification.Api.Notices;
using Antq.Notification.IntegrationTests.Infrastructure;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Npgsql;

namespace Antq.Notification.IntegrationTests;

/// <summary>
/// Submissions reach the level above by e-mail as digests: one e-mail per address and window listing the units, while
/// the inbox and the webhook still get each submission. The clock is moved past the window; nothing waits for it.
/// Each test works on a province of its own.
/// </summary>
public sealed class DigestTests(NotificationWorld world) : IClassFixture<NotificationWorld>
{
    const string Period = "2026-Y";
    static readonly DateTimeOffset Deadline = new(2026, 12, 15, 0, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Several_submissions_in_a_window_give_each_address_one_email_listing_them_all_while_inbox_and_webhook_get_each()
    {
        const string province = "52";
        var communes = new[] { ("21601", "Xã Tuy Phước"), ("21602", "Xã Phù Cát"), ("21603", "Phường Quy Nhơn"), ("21604", "Xã An Nhơn") };
        await ProvinceAsync(province, "Tỉnh Gia Lai", "pv01.gialai", communes);
        await world.PutContactPointAsync(province, new
        {
            emails = new[] { "vanthu.gialai@congan.vn", "PV01.GiaLai@congan.vn" },
            webhookUrl = world.Webhooks.Url("/hook/gialai", "khoa-bi-mat-gia-lai-2026"),
            webhookSecret = "khoa-bi-mat-gia-lai-2026",
        });

        // Four communes report two minutes apart: the first opens the window, the others join it.
        var first = world.Clock.GetUtcNow();
        var submittedAt = new List<DateTimeOffset>();
        for (var i = 0; i < communes.Length; i++)
        {
            if (i > 0) world.Clock.Advance(TimeSpan.FromMinutes(2));
            submittedAt.Add(world.Clock.GetUtcNow());
            await world.PublishAsync(Submitted(communes[i].Item1, province, submittedAt[i], onTime: i != 2));
            await InboxAsync("pv01.gialai", province, i + 1);
        }

        // The inbox and the webhook have each submission at once; the addresses have nothing yet.
        var inbox = await InboxAsync("pv01.gialai", province, communes.Length);
        Assert.Equal(communes.Select(c => c.Item1).Reverse(), inbox.Select(n => n.GetProperty("orgUnitCode").GetString()));
        await Eventually.UntilAsync(() => Task.FromResult(world.Webhooks.CallsTo("/hook/gialai").Count), c => c == communes.Length, "one webhook call per submission");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(world.Smtp.To("vanthu.gialai@congan.vn"));
        Assert.Empty(world.Smtp.To("pv01.gialai@congan.vn"));

        // The window ends: one e-mail per address, listing every unit with its code, time and whether it was on time.
        world.Clock.AdvanceTo(first + DigestWindow.Default + TimeSpan.FromSeconds(1));
        foreach (var address in new[] { "vanthu.gialai@congan.vn", "pv01.gialai@congan.vn" })
        {
            var mail = await MailAsync(address, 1);
            var digest = Assert.Single(mail);
            Assert.Equal("Tổng hợp báo cáo đã nộp: 4 đơn vị", digest.Subject);
            Assert.Contains("Kính gửi Tỉnh Gia Lai,", digest.TextBody);
            Assert.Contains("4 đơn vị đã nộp báo cáo lên Tỉnh Gia Lai:", digest.TextBody);
            Assert.Contains("Báo cáo tổng kết năm 2026:", digest.TextBody);
            for (var i = 0; i < communes.Length; i++)
            {
                var line = $"{i + 1}. {communes[i].Item2} (mã {communes[i].Item1}), nộp lúc {DigestTexts.Moment(submittedAt[i])}, {(i != 2 ? "đúng hạn" : "nộp muộn")}";
                Assert.Contains(line, digest.TextBody);
            }

            Assert.Equal("submittedDigest", digest.Headers["X-Antq-Kind"]);
        }

        // Sent once: the log holds one delivery per address, delivered at the first attempt, and no second e-mail follows.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var log = (await world.DeliveriesAsync()).Where(d => d.GetProperty("kind").GetString() == "submittedDigest" && d.GetProperty("orgUnitCode").GetString() == province).ToList();
        Assert.Equal(["pv01.gialai@congan.vn", "vanthu.gialai@congan.vn"], log.Select(d => d.GetProperty("recipient").GetString()).Order());
        Assert.All(log, d => Assert.Equal(("delivered", 1), (d.GetProperty("status").GetString(), d.GetProperty("attempts").GetInt32())));
        Assert.Single(world.Smtp.To("vanthu.gialai@congan.vn"));
        Assert.Single(world.Smtp.To("pv01.gialai@congan.vn"));
        Assert.Equal(communes.Length, world.Webhooks.CallsTo("/hook/gialai").Count);
    }

    [Fact]
    public async Task A_submission_after_the_window_opens_the_next_digest_and_an_open_digest_survives_a_stop_of_the_service()
    {
        const string province = "54";
        const string address = "pv01.daklak@congan.vn";
        var communes = new[] { ("22001", "Xã Ea Kar"), ("22002", "Xã Krông Pắc"), ("22003", "Phường Buôn Ma Thuột"), ("22004", "Xã Cư M'gar") };
        await ProvinceAsync(province, "Tỉnh Đắk Lắk", "pv01.daklak", communes);
        await world.PutContactPointAsync(province, new { emails = new[] { address } });

        // 1. One submission, one e-mail when its window ends.
        var first = world.Clock.GetUtcNow();
        await world.PublishAsync(Submitted(communes[0].Item1, province, first, onTime: true));
        await InboxAsync("pv01.daklak", province, 1);
        world.Clock.AdvanceTo(first + DigestWindow.Default + TimeSpan.FromSeconds(1));
        var mail = await MailAsync(address, 1);
        Assert.Equal("Tổng hợp báo cáo đã nộp: 1 đơn vị", mail[0].Subject);
        Assert.Contains(communes[0].Item2, mail[0].TextBody);

        // 2. The next submission opens a second window. The service stops while it is open and its end passes while the
        //    service is down: it goes once the service is back, said to be late, with only what it gathered.
        var second = world.Clock.GetUtcNow();
        await world.PublishAsync(Submitted(communes[1].Item1, province, second, onTime: true));
        await InboxAsync("pv01.daklak", province, 2);
        await world.StopAsync();
        world.Clock.AdvanceTo(second + DigestWindow.Default + TimeSpan.FromMinutes(1));
        await world.StartAsync();
        mail = await MailAsync(address, 2);
        Assert.Equal("[Gửi muộn] Tổng hợp báo cáo đã nộp: 1 đơn vị", mail[1].Subject);
        Assert.Contains(communes[1].Item2, mail[1].TextBody);
        Assert.DoesNotContain(communes[0].Item2, mail[1].TextBody);

        // 3. A third window; its end passes while the dispatcher cannot take it (a lock held here, as a busy replica's
        //    would be), and a submission arrives: that submission sends the third digest itself and opens a fourth.
        var third = world.Clock.GetUtcNow();
        await world.PublishAsync(Submitted(communes[2].Item1, province, third, onTime: false));
        await InboxAsync("pv01.daklak", province, 3);
        await using (var holder = new NpgsqlConnection(world.Database.ConnectionString))
        {
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await using (var lockRow = new NpgsqlCommand($"SELECT id FROM digests WHERE audience_unit_code = '{province}' AND status = 'open' FOR UPDATE", holder, hold))
            {
                Assert.NotNull(await lockRow.ExecuteScalarAsync());
            }

            world.Clock.AdvanceTo(third + DigestWindow.Default + TimeSpan.FromSeconds(1));
            await world.PublishAsync(Submitted(communes[3].Item1, province, world.Clock.GetUtcNow(), onTime: false));
            await Task.Delay(TimeSpan.FromSeconds(1)); // the submission's notice waits for the lock; the dispatcher skips the row
            Assert.Equal(2, world.Smtp.To(address).Count);
            await hold.CommitAsync();
        }

        mail = await MailAsync(address, 3);
        Assert.Contains(communes[2].Item2, mail[2].TextBody);
        Assert.DoesNotContain(communes[3].Item2, mail[2].TextBody);
        await InboxAsync("pv01.daklak", province, 4);

        // 4. The fourth window ends: its digest has the last submission alone.
        world.Clock.Advance(DigestWindow.Default + TimeSpan.FromSeconds(1));
        mail = await MailAsync(address, 4);
        Assert.Contains($"{communes[3].Item2} (mã {communes[3].Item1})", mail[3].TextBody);
        Assert.Contains("nộp muộn", mail[3].TextBody);

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(4, world.Smtp.To(address).Count);
        Assert.Equal(4, world.Smtp.To(address).Select(m => m.MessageId).Distinct().Count());
        var digests = await world.InDbAsync(db => db.Set<Digest>().AsNoTracking().Where(d => d.AudienceUnitCode == province).Include(d => d.Items).OrderBy(d => d.Id).ToListAsync());
        Assert.Equal([communes[0].Item1, communes[1].Item1, communes[2].Item1, communes[3].Item1], digests.Select(d => Assert.Single(d.Items).OrgUnitCode));
        Assert.All(digests, d => Assert.Equal(DigestStatuses.Sent, d.Status));
    }

    [Fact]
    public async Task A_contact_point_sets_its_own_window_and_a_bad_one_is_refused_in_vietnamese()
    {
        const string province = "56";
        const string address = "pv01.khanhhoa@congan.vn";
        var communes = new[] { ("22301", "Phường Nha Trang"), ("22302", "Xã Cam Lâm") };
        await ProvinceAsync(province, "Tỉnh Khánh Hòa", "pv01.khanhhoa", communes);

        using var officer = world.As("pv01.khanhhoa", AntqRoles.ProvinceOfficer, province);
        foreach (var bad in new[] { "mười lăm phút", "00:00:20", "2.00:00:00" })
        {
            using var refused = await officer.PutAsJsonAsync($"/api/contact-points/{province}", new { emails = new[] { address }, digestWindow = bad });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal($"Khoảng gom thư tổng hợp \"{bad}\" không hợp lệ. {DigestWindow.Error}", problem.GetProperty("errors").GetProperty("digestWindow")[0].GetString());
        }

        using (var ok = await officer.PutAsJsonAsync($"/api/contact-points/{province}", new { emails = new[] { address }, digestWindow = "PT5M" }))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var saved = await officer.GetFromJsonAsync<JsonElement>($"/api/contact-points/{province}");
        Assert.Equal("00:05:00", saved.GetProperty("digestWindow").GetString());
        Assert.Equal("00:05:00", saved.GetProperty("effectiveDigestWindow").GetString());

        // Its digest goes after five minutes, not fifteen.
        var first = world.Clock.GetUtcNow();
        await world.PublishAsync(Submitted(communes[0].Item1, province, first, onTime: true));
        await world.PublishAsync(Submitted(communes[1].Item1, province, first, onTime: true));
        await InboxAsync("pv01.khanhhoa", province, 2);
        world.Clock.AdvanceTo(first + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var mail = Assert.Single(await MailAsync(address, 1));
        Assert.Equal("Tổng hợp báo cáo đã nộp: 2 đơn vị", mail.Subject);

        // Without a window of its own, the default applies again.
        await world.PutContactPointAsync(province, new { emails = new[] { address } });
        var reset = await officer.GetFromJsonAsync<JsonElement>($"/api/contact-points/{province}");
        Assert.Equal(JsonValueKind.Null, reset.GetProperty("digestWindow").ValueKind);
        Assert.Equal("00:15:00", reset.GetProperty("effectiveDigestWindow").GetString());
    }

    async Task ProvinceAsync(string province, string name, string officer, (string Code, string Name)[] communes)
    {
        await world.UnitsAsync(province, name, communes);
        await world.UserAsync(officer, AntqRoles.ProvinceOfficer, province);
        await Eventually.UntilAsync(() => world.InDbAsync(async db => (
                Units: await db.Set<Antq.UnitTree.UnitTreeVersion>().CountAsync(u => u.Code == province || u.ParentCode == province),
                Officer: await db.Recipients.AnyAsync(r => r.UserName == officer))),
            c => c.Units == communes.Length + 1 && c.Officer, $"the copies of {name} and its officer");
    }

    Task<List<JsonElement>> InboxAsync(string officer, string province, int count) =>
        Eventually.UntilAsync(async () => (await world.InboxAsync(officer, AntqRoles.ProvinceOfficer, province))
                .Where(n => n.GetProperty("kind").GetString() == "submitted").ToList(),
            n => n.Count >= count, $"{count} submitted notices in the inbox of {officer}");

    Task<List<MimeMessage>> MailAsync(string address, int count) =>
        Eventually.UntilAsync(() => Task.FromResult(world.Smtp.Received().Where(r => r.Message.To.Mailboxes.Any(b => b.Address == address))
                .OrderBy(r => r.AcceptedAt).Select(r => r.Message).ToList()),
            m => m.Count >= count, $"{count} e-mails to {address}");

    internal static ReportSubmitted Submitted(string unit, string reportsTo, DateTimeOffset at, bool onTime) => new()
    {
        ReportId = Guid.NewGuid(), OrgUnitCode = unit, ReportsToCode = reportsTo, Period = Period, SubmittedAt = at, DueAt = Deadline,
        OnTime = onTime, SubmittedBy = "canbo", OccurredAt = at,
    };
}

/// <summary>Two replicas fire the submissions of one moment together: each address still gets one digest listing them all.</summary>
public sealed class DigestReplicaTests(CompetingReplicasWorld world) : IClassFixture<CompetingReplicasWorld>
{
    [Fact]
    public async Task Two_replicas_gather_simultaneous_submissions_into_one_digest_per_address()
    {
        const string province = "58";
        var communes = Enumerable.Range(1, 16).Select(i => ($"225{i:00}", $"Xã Thử Nghiệm {i}")).ToArray();
        await using var replica = await world.StartReplicaAsync();
        await world.UnitsAsync(province, "Tỉnh Lâm Đồng", communes);
        await world.UserAsync("pv01.lamdong", AntqRoles.ProvinceOfficer, province);
        await world.WaitForCopiesAsync(units: communes.Length + 1, users: 1);
        await world.PutContactPointAsync(province, new { emails = new[] { "a.lamdong@congan.vn", "b.lamdong@congan.vn", "c.lamdong@congan.vn" } });

        var at = world.Clock.GetUtcNow();
        await Task.WhenAll(communes.Select(c => world.PublishAsync(DigestTests.Submitted(c.Item1, province, at, onTime: true))));
        await Eventually.UntilAsync(() => world.InDbAsync(db => db.Set<Notice>().CountAsync(n => n.Kind == NoticeKinds.Submitted && n.AudienceUnitCode == province && n.Status == NoticeStatuses.Sent)),
            c => c == communes.Length, "every submission's notice sent");

        world.Clock.AdvanceTo(at + DigestWindow.Default + TimeSpan.FromSeconds(5));
        foreach (var address in new[] { "a.lamdong@congan.vn", "b.lamdong@congan.vn", "c.lamdong@congan.vn" })
        {
            var mail = await Eventually.UntilAsync(() => Task.FromResult(world.Smtp.To(address)), m => m.Count >= 1, $"the digest to {address}");
            Assert.Equal($"Tổng hợp báo cáo đã nộp: {communes.Length} đơn vị", mail[0].Subject);
            Assert.All(communes, c => Assert.Contains($"{c.Item2} (mã {c.Item1})", mail[0].TextBody));
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // more rounds of both replicas
        Assert.All(new[] { "a.lamdong@congan.vn", "b.lamdong@congan.vn", "c.lamdong@congan.vn" }, a => Assert.Single(world.Smtp.To(a)));
        var digests = await world.InDbAsync(db => db.Set<Digest>().AsNoTracking().Where(d => d.AudienceUnitCode == province).Include(d => d.Items).ToListAsync());
        Assert.Equal(3, digests.Count);
        Assert.All(digests, d => Assert.Equal(communes.Length, d.Items.Count));
    }

    [Fact]
    public async Task A_submission_that_meets_its_digest_while_the_sender_closes_it_opens_the_next_one_instead_of_failing()
    {
        const string unit = "digest-race";
        const string address = "vanthu.race@congan.vn";
        var now = world.Clock.GetUtcNow();
        var first = await world.InDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var (digest, _) = await db.LockOpenDigestAsync(unit, address, now, TimeSpan.FromMinutes(15), default);
            await transaction.CommitAsync();
            return digest.Id;
        });

        // The sender has taken the open digest (its lock, as LockDueDigestsAsync takes it); meanwhile a firing batch asks
        // for the open digest: it finds the row there (nothing to insert) and waits for its lock; the sender then marks it sent.
        await using var sender = new NpgsqlConnection(world.Database.ConnectionString);
        await sender.OpenAsync();
        await using var sending = await sender.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"SELECT id FROM digests WHERE id = {first} FOR UPDATE SKIP LOCKED", sender, sending))
            Assert.Equal(first, (long)(await take.ExecuteScalarAsync())!);
        var joining = world.InDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var (digest, _) = await db.LockOpenDigestAsync(unit, address, now, TimeSpan.FromMinutes(15), default);
            await transaction.CommitAsync();
            return digest;
        });
        await Task.Delay(500);
        Assert.False(joining.IsCompleted); // waiting on the sender's lock
        await using (var close = new NpgsqlCommand($"UPDATE digests SET status = 'sent', sent_at = now() WHERE id = {first}", sender, sending))
            Assert.Equal(1, await close.ExecuteNonQueryAsync());
        await sending.CommitAsync();

        var next = await joining.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotEqual(first, next.Id);
        Assert.True(next.IsOpen);
        Assert.Equal(1, await world.InDbAsync(db => db.Set<Digest>().CountAsync(d => d.AudienceUnitCode == unit && d.Status == DigestStatuses.Open)));

        // The digests made here have no items and no unit the copy knows: gone, so that the other tests of this world,
        // which move the clock past their windows, do not meet them in the sender's batch.
        await world.InDbAsync(db => db.Set<Digest>().Where(d => d.AudienceUnitCode == unit).ExecuteDeleteAsync());
    }
}
