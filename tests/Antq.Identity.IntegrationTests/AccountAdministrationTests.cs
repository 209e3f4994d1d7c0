using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Contracts.Audit;
using Antq.Identity.Api.Audit;
using Antq.Identity.Api.SignIn;
using Antq.Identity.Api.Users;
using Antq.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace Antq.Identity.IntegrationTests;

/// <summary>
/// What an administrator does to accounts after creating them (list, change, disable, set a password, unlock) and what
/// a user does to their own (change the password, log a script out), each in the audit trail.
/// </summary>
public sealed class AccountAdministrationTests(IdentityService identity) : IClassFixture<IdentityService>
{
    const string UserChangedType = "Antq.Contracts.Identity.UserChanged, Antq.Contracts";

    async Task<HttpClient> AdminAsync() => identity.CreateClient(await identity.GetAdminTokenAsync());

    static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) => new(fields.ToDictionary(f => f.Key, f => f.Value));

    async Task<string> RefreshTokenAsync(string userName, string password)
    {
        using var response = await identity.RequestPasswordTokenAsync(userName, password, scope: "offline_access");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.ReadJsonAsync()).Text("refresh_token");
    }

    async Task<HttpResponseMessage> RefreshAsync(string refreshToken)
    {
        using var client = identity.CreateClient();
        return await client.PostAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", "antq-cli")));
    }

    async Task<List<AuditEntry>> AuditOfAsync(string subject) =>
        await identity.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Subject == subject).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync());

    static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string path, object body) =>
        await client.PatchAsync(path, JsonContent.Create(body));

    [Fact]
    public async Task Admin_lists_accounts_filtered_by_role_unit_text_and_state_a_page_at_a_time()
    {
        foreach (var name in new[] { "loc.a1", "loc.a2", "loc.a3" }) await identity.CreateUserAsync(name, role: "CommuneOfficer", orgUnitCode: "LOC-01");
        await identity.CreateUserAsync("loc.b1", role: "Viewer", orgUnitCode: "LOC-01");
        using var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(admin, "/api/users/loc.a3", new { active = false })).StatusCode);

        var all = await admin.GetFromJsonAsync<JsonElement>("/api/users?unit=LOC-01");
        Assert.Equal(4, all.GetProperty("total").GetInt32());
        Assert.Equal(["loc.a1", "loc.a2", "loc.a3", "loc.b1"], all.GetProperty("users").EnumerateArray().Select(u => u.Text("username")));

        var officers = await admin.GetFromJsonAsync<JsonElement>("/api/users?unit=LOC-01&role=CommuneOfficer&active=true");
        Assert.Equal(["loc.a1", "loc.a2"], officers.GetProperty("users").EnumerateArray().Select(u => u.Text("username")));

        var second = await admin.GetFromJsonAsync<JsonElement>("/api/users?search=LOC.A&pageSize=2&page=2");
        Assert.Equal(3, second.GetProperty("total").GetInt32());
        Assert.Equal(["loc.a3"], second.GetProperty("users").EnumerateArray().Select(u => u.Text("username")));
        Assert.False(second.GetProperty("users")[0].GetProperty("active").GetBoolean());

        using var badRole = await admin.GetAsync("/api/users?role=Boss");
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        Assert.StartsWith("Vai trò \"Boss\" không hợp lệ", (await badRole.ReadJsonAsync()).Text("detail"));

        var password = await identity.CreateUserAsync("loc.xem", role: "Viewer");
        using var viewer = identity.CreateClient(await identity.GetAccessTokenAsync("loc.xem", password));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task A_change_touches_only_the_fields_sent_is_audited_and_is_announced_as_UserChanged()
    {
        await identity.CreateUserAsync("doi.vai.tro", role: "Viewer", orgUnitCode: "00004");
        using var admin = await AdminAsync();

        using var response = await PatchAsync(admin, "/api/users/doi.vai.tro", new { role = "CommuneOfficer", email = "xa.ba.dinh@congan.gov.vn" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = await response.ReadJsonAsync();
        Assert.Equal(("CommuneOfficer", "00004", "Nguyễn Văn Kiểm Thử", "xa.ba.dinh@congan.gov.vn"),
            (profile.Text("role"), profile.Text("orgUnitCode"), profile.Text("fullName"), profile.Text("email")));
        var entry = Assert.Single(await AuditOfAsync("doi.vai.tro"), e => e.Action == AuditEntry.UserUpdated);
        Assert.Equal("admin", entry.Actor);
        Assert.Equal("identity", entry.Service);
        Assert.Contains("vai trò: Viewer → CommuneOfficer", entry.Detail);
        Assert.Contains("email: (trống) → xa.ba.dinh@congan.gov.vn", entry.Detail);

        var announced = await identity.QueryAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.MessageType == UserChangedType).ToListAsync());
        var last = announced.Select(m => JsonDocument.Parse(m.Body).RootElement).Last(m => m.Text("userName") == "doi.vai.tro");
        Assert.Equal("CommuneOfficer", last.Text("role"));
        Assert.Equal("xa.ba.dinh@congan.gov.vn", last.Text("email"));

        // The same values again change nothing and write nothing.
        var outbox = await identity.QueryAsync(db => db.Set<OutboxMessage>().CountAsync());
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(admin, "/api/users/doi.vai.tro", new { role = "CommuneOfficer" })).StatusCode);
        Assert.Equal(outbox, await identity.QueryAsync(db => db.Set<OutboxMessage>().CountAsync()));
        Assert.Single(await AuditOfAsync("doi.vai.tro"), e => e.Action == AuditEntry.UserUpdated);
    }

    [Fact]
    public async Task A_change_with_an_unknown_role_or_nothing_to_change_is_refused_in_Vietnamese_and_writes_nothing()
    {
        await identity.CreateUserAsync("sai.vai.tro");
        using var admin = await AdminAsync();
        var before = await identity.QueryAsync(async db => (await db.AuditEntries.CountAsync(), await db.Set<OutboxMessage>().CountAsync()));

        using var unknown = await PatchAsync(admin, "/api/users/sai.vai.tro", new { role = "SuperAdmin", fullName = new string('x', 300) });
        using var empty = await PatchAsync(admin, "/api/users/sai.vai.tro", new { });
        using var missing = await PatchAsync(admin, "/api/users/khong.co.ai", new { active = false });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var errors = (await unknown.ReadJsonAsync()).GetProperty("errors");
        Assert.StartsWith("Vai trò phải là một trong các giá trị", errors.GetProperty("role")[0].GetString());
        Assert.Equal("Họ và tên không được dài quá 200 ký tự.", errors.GetProperty("fullName")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.StartsWith("Không có gì để thay đổi", (await empty.ReadJsonAsync()).Text("detail"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(before, await identity.QueryAsync(async db => (await db.AuditEntries.CountAsync(), await db.Set<OutboxMessage>().CountAsync())));
    }

    [Fact]
    public async Task Disabling_a_user_revokes_the_refresh_token_and_refuses_the_login_with_the_Vietnamese_message_until_enabled_again()
    {
        var password = await identity.CreateUserAsync("nghi.viec");
        var refresh = await RefreshTokenAsync("nghi.viec", password);
        var userId = await identity.QueryAsync(db => db.Users.Where(u => u.UserName == "nghi.viec").Select(u => u.Id.ToString()).SingleAsync());
        using var admin = await AdminAsync();

        using var disabled = await PatchAsync(admin, "/api/users/nghi.viec", new { active = false });

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.False((await disabled.ReadJsonAsync()).GetProperty("active").GetBoolean());
        using var refreshed = await RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
        Assert.Equal("invalid_grant", (await refreshed.ReadJsonAsync()).Text("error"));
        await using var scope = identity.Factory.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var statuses = new List<string?>();
        await foreach (var token in tokens.FindBySubjectAsync(userId)) statuses.Add(await tokens.GetStatusAsync(token));
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal(OpenIddictConstants.Statuses.Revoked, s));

        using var login = await identity.RequestPasswordTokenAsync("nghi.viec", password);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.Equal("Tài khoản đã bị vô hiệu hoá; vui lòng liên hệ quản trị viên.", (await login.ReadJsonAsync()).Text("error_description"));
        Assert.Contains(await AuditOfAsync("nghi.viec"), e => e.Action == AuditEntry.UserDisabled && e.Actor == "admin");

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(admin, "/api/users/nghi.viec", new { active = true })).StatusCode);
        using var again = await identity.RequestPasswordTokenAsync("nghi.viec", password);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains(await AuditOfAsync("nghi.viec"), e => e.Action == AuditEntry.UserEnabled);
    }

    [Fact]
    public async Task An_administrator_cannot_disable_or_demote_the_account_in_use()
    {
        using var admin = await AdminAsync();

        using var disable = await PatchAsync(admin, "/api/users/admin", new { active = false });
        using var demote = await PatchAsync(admin, "/api/users/admin", new { role = "Viewer" });

        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.True(await identity.QueryAsync(db => db.Users.Where(u => u.UserName == "admin").Select(u => u.Active && u.Role == "Admin").SingleAsync()));
    }

    [Theory]
    [InlineData("dat.lai.mk", "Dat.Lai.Mk-2026x", "Mật khẩu không được chứa tên đăng nhập.")]
    [InlineData("dat.lai.mk", "Password@123", "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn một mật khẩu khác.")]
    [InlineData("dat.lai.mk", "matkhau-123", "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn một mật khẩu khác.")]
    [InlineData("dat.lai.mk", "ngan1", "Mật khẩu phải có ít nhất 10 ký tự, gồm cả chữ cái và chữ số.")]
    [InlineData("dat.lai.mk", "Mot-cau-rat-dai-2026-Mot-cau-rat-dai-2026-Mot-cau-rat-dai-2026-Mot-cau-rat-dai-2026-Mot-cau-rat-dai-2026-Mot-cau-rat-dai-2026-Mot-cau-rat-dai-2026!",
        "Mật khẩu không được dài quá 128 ký tự.")]
    public async Task A_password_set_by_an_admin_must_satisfy_the_password_rules(string userName, string password, string message)
    {
        if (!await identity.QueryAsync(db => db.Users.AnyAsync(u => u.UserName == userName))) await identity.CreateUserAsync(userName);
        using var admin = await AdminAsync();
        var hash = await identity.QueryAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.PasswordHash).SingleAsync());

        using var response = await admin.PostAsJsonAsync($"/api/users/{userName}/password", new { password });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message, (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("password")[0].GetString());
        Assert.Equal(hash, await identity.QueryAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.PasswordHash).SingleAsync()));
    }

    [Fact]
    public async Task A_new_account_may_not_have_a_password_with_its_name_or_a_common_one()
    {
        using var admin = await AdminAsync();
        foreach (var (password, message) in new[]
                 {
                     ("nguyen.van.an-2026", "Mật khẩu không được chứa tên đăng nhập."),
                     ("Admin@123456", "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn một mật khẩu khác."),
                 })
        {
            using var response = await admin.PostAsJsonAsync("/api/users", new
            {
                username = "nguyen.van.an", password, fullName = "Nguyễn Văn An", role = "Viewer", orgUnitCode = "00004",
            });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(message, (await response.ReadJsonAsync()).GetProperty("errors").GetProperty("password")[0].GetString());
        }
    }

    [Fact]
    public async Task An_admin_resets_a_password_the_old_one_stops_working_and_the_users_sessions_end()
    {
        var old = await identity.CreateUserAsync("quen.mat.khau");
        var refresh = await RefreshTokenAsync("quen.mat.khau", old);
        using var admin = await AdminAsync();

        using var response = await admin.PostAsJsonAsync("/api/users/quen.mat.khau/password", new { password = "Moi-Cap-Lai-2026" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await identity.RequestPasswordTokenAsync("quen.mat.khau", old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await identity.RequestPasswordTokenAsync("quen.mat.khau", "Moi-Cap-Lai-2026")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await RefreshAsync(refresh)).StatusCode);
        var entry = Assert.Single(await AuditOfAsync("quen.mat.khau"), e => e.Action == AuditEntry.PasswordReset);
        Assert.Equal("admin", entry.Actor);
        Assert.DoesNotContain("Moi-Cap-Lai-2026", entry.Detail);
    }

    [Fact]
    public async Task A_user_changes_their_own_password_with_the_current_one()
    {
        var old = await identity.CreateUserAsync("tu.doi.mk");
        using var self = identity.CreateClient(await identity.GetAccessTokenAsync("tu.doi.mk", old));

        using var response = await self.PostAsJsonAsync("/api/users/me/password", new { currentPassword = old, newPassword = "Cua-Rieng-Toi-2026" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await identity.RequestPasswordTokenAsync("tu.doi.mk", old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await identity.RequestPasswordTokenAsync("tu.doi.mk", "Cua-Rieng-Toi-2026")).StatusCode);
        var entry = Assert.Single(await AuditOfAsync("tu.doi.mk"), e => e.Action == AuditEntry.PasswordChanged);
        Assert.Equal("tu.doi.mk", entry.Actor);

        using var weak = await self.PostAsJsonAsync("/api/users/me/password", new { currentPassword = "Cua-Rieng-Toi-2026", newPassword = "tu.doi.mk-2027" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal("Mật khẩu không được chứa tên đăng nhập.", (await weak.ReadJsonAsync()).GetProperty("errors").GetProperty("newPassword")[0].GetString());
    }

    [Fact]
    public async Task A_wrong_current_password_counts_as_a_failed_login_five_lock_the_account_and_an_admin_unlocks_it()
    {
        var password = await identity.CreateUserAsync("doan.mo");
        using var self = identity.CreateClient(await identity.GetAccessTokenAsync("doan.mo", password));

        for (var i = 1; i <= 4; i++)
        {
            using var wrong = await self.PostAsJsonAsync("/api/users/me/password", new { currentPassword = "sai-" + i, newPassword = "Khong-Duoc-2026" });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Equal(Antq.Identity.Api.Users.UsersApi.WrongCurrentPassword, (await wrong.ReadJsonAsync()).GetProperty("errors").GetProperty("currentPassword")[0].GetString());
        }

        using var fifth = await self.PostAsJsonAsync("/api/users/me/password", new { currentPassword = "sai-5", newPassword = "Khong-Duoc-2026" });
        Assert.Contains("tạm thời bị khoá", (await fifth.ReadJsonAsync()).GetProperty("errors").GetProperty("currentPassword")[0].GetString());
        using var locked = await identity.RequestPasswordTokenAsync("doan.mo", password);
        Assert.Contains("tạm thời bị khoá", (await locked.ReadJsonAsync()).Text("error_description"));
        var trail = await AuditOfAsync("doan.mo");
        Assert.Equal(4, trail.Count(e => e.Action == AuditEntry.LoginFailed));
        Assert.Contains(trail, e => e.Action == AuditEntry.LoginLocked);

        using var admin = await AdminAsync();
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/users?search=doan.mo");
        Assert.Equal(JsonValueKind.String, listed.GetProperty("users")[0].GetProperty("lockedUntil").ValueKind);
        using var unlocked = await admin.PostAsync("/api/users/doan.mo/unlock", null);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await unlocked.ReadJsonAsync()).GetProperty("lockedUntil").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await identity.RequestPasswordTokenAsync("doan.mo", password)).StatusCode);
        Assert.Contains(await AuditOfAsync("doan.mo"), e => e.Action == AuditEntry.UserUnlocked && e.Actor == "admin");
    }

    [Fact]
    public async Task A_script_logs_out_by_revoking_its_refresh_token()
    {
        var password = await identity.CreateUserAsync("dang.xuat");
        var refresh = await RefreshTokenAsync("dang.xuat", password);
        using var client = identity.CreateClient();

        using var revoked = await client.PostAsync("/connect/revoke", Form(("token", refresh), ("token_type_hint", "refresh_token"), ("client_id", "antq-cli")));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        using var refreshed = await RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
        Assert.Equal("invalid_grant", (await refreshed.ReadJsonAsync()).Text("error"));
    }

    [Fact]
    public async Task Another_services_administrative_act_is_written_to_the_trail_once_however_often_it_arrives()
    {
        var act = new AdministrativeActPerformed
        {
            Id = Guid.CreateVersion7(), Service = "reporting", Actor = "admin", Action = "rollups.recomputed", Subject = "rollups/2026-Y",
            Detail = "Tính lại tổng hợp kỳ 2026-Y", Address = "10.1.2.3", OccurredAt = DateTimeOffset.UtcNow,
        };
        var bus = identity.Factory.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();
        await bus.Publish(act, c => c.MessageId = messageId);
        await bus.Publish(act, c => c.MessageId = messageId); // a redelivery
        await bus.Publish(act); // the same act published again under another message id

        using var admin = await AdminAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonElement> found;
        do
        {
            await Task.Delay(200);
            found = [.. (await admin.GetFromJsonAsync<JsonElement>("/api/users/audit?service=reporting&action=rollups.recomputed")).EnumerateArray()
                .Where(e => e.Text("subject") == "rollups/2026-Y")];
        }
        while (found.Count == 0 && DateTime.UtcNow < deadline);

        await Task.Delay(1000); // time for the copies to arrive too
        found = [.. (await admin.GetFromJsonAsync<JsonElement>("/api/users/audit?service=reporting&actor=ADMIN")).EnumerateArray()
            .Where(e => e.Text("subject") == "rollups/2026-Y")];
        var entry = Assert.Single(found);
        Assert.Equal(("reporting", "admin", "rollups.recomputed", "10.1.2.3"), (entry.Text("service"), entry.Text("actor"), entry.Text("action"), entry.Text("address")));
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/api/users/audit?service=plan")).EnumerateArray());
    }
}
