using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Antq.Identity.IntegrationTests;

public sealed class UserCreationTests(IdentityService identity) : IClassFixture<IdentityService>
{
    const string UserChangedType = "Antq.Contracts.Identity.UserChanged, Antq.Contracts";

    static object NewUser(string userName, string role = "CommuneOfficer") => new
    {
        username = userName,
        password = "Matkhau-2026-ok",
        fullName = "Trần Thị Bình",
        role,
        orgUnitCode = "00004",
        email = $"{userName}@congan.gov.vn",
    };

    [Fact]
    public async Task Admin_creates_a_user_who_then_gets_a_token_and_a_profile()
    {
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());

        using var created = await admin.PostAsJsonAsync("/api/users", NewUser("binh.tt", "ProvinceOfficer"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/users/binh.tt", created.Headers.Location?.OriginalString);
        var profile = await created.ReadJsonAsync();
        Assert.Equal("binh.tt", profile.Text("username"));
        Assert.Equal("Trần Thị Bình", profile.Text("fullName"));
        Assert.Equal("ProvinceOfficer", profile.Text("role"));
        Assert.Equal("00004", profile.Text("orgUnitCode"));
        Assert.Equal("binh.tt@congan.gov.vn", profile.Text("email"));
        Assert.DoesNotContain("password", (await created.Content.ReadAsStringAsync()), StringComparison.OrdinalIgnoreCase);

        var token = await identity.GetAccessTokenAsync("binh.tt", "Matkhau-2026-ok");
        var jwt = await identity.ValidateAccessTokenAsync(token);
        Assert.Equal("ProvinceOfficer", jwt.GetClaim("role").Value);
        Assert.Equal("00004", jwt.GetClaim("org_unit").Value);

        using var self = identity.CreateClient(token);
        using var me = await self.GetAsync("/api/users/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var mine = await me.ReadJsonAsync();
        Assert.Equal("binh.tt", mine.Text("username"));
        Assert.Equal(profile.Text("id"), mine.Text("id"));
    }

    [Fact]
    public async Task Admin_reads_a_user_by_name()
    {
        await identity.CreateUserAsync("doc.theo.ten");
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());

        using var found = await admin.GetAsync("/api/users/Doc.Theo.Ten");
        using var missing = await admin.GetAsync("/api/users/khong.co.ai");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("doc.theo.ten", (await found.ReadJsonAsync()).Text("username"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Non_admin_creating_a_user_gets_403()
    {
        var password = await identity.CreateUserAsync("can.bo.tinh", role: "ProvinceOfficer");
        using var officer = identity.CreateClient(await identity.GetAccessTokenAsync("can.bo.tinh", password));

        using var response = await officer.PostAsJsonAsync("/api/users", NewUser("khong.duoc.tao"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(await identity.QueryAsync(db => db.Users.AnyAsync(u => u.UserName == "khong.duoc.tao")));
    }

    [Fact]
    public async Task Non_admin_reading_another_user_gets_403()
    {
        var password = await identity.CreateUserAsync("to.mo", role: "Viewer");
        using var viewer = identity.CreateClient(await identity.GetAccessTokenAsync("to.mo", password));

        using var response = await viewer.GetAsync("/api/users/admin");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_creating_a_user_gets_401()
    {
        using var anonymous = identity.CreateClient();

        using var response = await anonymous.PostAsJsonAsync("/api/users", NewUser("vo.danh"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(await identity.QueryAsync(db => db.Users.AnyAsync(u => u.UserName == "vo.danh")));
    }

    [Fact]
    public async Task Invalid_fields_are_400_with_a_Vietnamese_message_per_field()
    {
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());

        using var response = await admin.PostAsJsonAsync("/api/users", new
        {
            username = "a b",
            password = "chiCoChu",
            fullName = "",
            role = "Boss",
            orgUnitCode = "",
            email = "khong-phai-email",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(
            ["email", "fullName", "orgUnitCode", "password", "role", "username"],
            errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Mật khẩu phải có ít nhất 10 ký tự, gồm cả chữ cái và chữ số.", errors.GetProperty("password")[0].GetString());
        Assert.Equal("Vai trò phải là một trong các giá trị: Admin, ProvinceOfficer, DistrictOfficer, CommuneOfficer, Viewer.", errors.GetProperty("role")[0].GetString());
        Assert.Equal("Địa chỉ email không hợp lệ.", errors.GetProperty("email")[0].GetString());
        Assert.Equal("Họ và tên là bắt buộc.", errors.GetProperty("fullName")[0].GetString());
        Assert.Equal("Mã đơn vị là bắt buộc.", errors.GetProperty("orgUnitCode")[0].GetString());
        Assert.StartsWith("Tên đăng nhập phải dài từ 3 đến 50 ký tự", errors.GetProperty("username")[0].GetString());
    }

    [Fact]
    public async Task A_field_the_account_does_not_have_is_refused_by_name_and_nothing_is_created()
    {
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());

        using var response = await admin.PostAsJsonAsync("/api/users", new
        {
            username = "xa.truonglat", password = "Hop@LeMatKhau2026", fullName = "Lê Văn Lạ", role = "CommuneOfficer",
            orgUnitCode = "14845", nickname = "trường không có",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Contains("\"nickname\"", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.nickname", out _));
        using var absent = await admin.GetAsync("/api/users/xa.truonglat");
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
    }

    [Fact]
    public async Task A_password_of_ten_characters_with_a_letter_and_a_digit_is_accepted()
    {
        const string password = "abcdefgh12";
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());

        using var response = await admin.PostAsJsonAsync("/api/users", new
        {
            username = "mat.khau.du",
            password,
            fullName = "Lê Văn Cường",
            role = "Viewer",
            orgUnitCode = "00001",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await response.ReadJsonAsync()).GetProperty("email").ValueKind);
    }

    [Theory]
    [InlineData("Abcdefgh1")]        // 9 characters
    [InlineData("abcdefghijk")]      // no digit
    [InlineData("12345678901")]      // no letter
    public async Task A_weak_password_is_refused(string password)
    {
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());

        using var response = await admin.PostAsJsonAsync("/api/users", new
        {
            username = "yeu.mat.khau",
            password,
            fullName = "Lê Văn Cường",
            role = "Viewer",
            orgUnitCode = "00001",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync()).GetProperty("errors");
        Assert.Equal(["password"], errors.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Duplicate_user_name_in_any_case_is_409_in_Vietnamese()
    {
        await identity.CreateUserAsync("trung.ten");
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());

        using var response = await admin.PostAsJsonAsync("/api/users", NewUser("Trung.Ten"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Tên đăng nhập 'Trung.Ten' đã được sử dụng.", (await response.ReadJsonAsync()).Text("detail"));
        Assert.Equal(1, await identity.QueryAsync(db => db.Users.CountAsync(u => u.NormalizedUserName == "trung.ten")));
    }

    [Fact]
    public async Task Creating_a_user_writes_UserChanged_to_the_outbox_and_it_is_published()
    {
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());

        using var created = await admin.PostAsJsonAsync("/api/users", NewUser("co.su.kien", "DistrictOfficer"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var userId = (await created.ReadJsonAsync()).Text("id");

        var rows = await identity.QueryAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.MessageType == UserChangedType).ToListAsync());
        var row = Assert.Single(rows, r => JsonDocument.Parse(r.Body).RootElement.Text("userName") == "co.su.kien");
        var message = JsonDocument.Parse(row.Body).RootElement;
        Assert.Equal(userId, message.Text("userId"));
        Assert.Equal("DistrictOfficer", message.Text("role"));
        Assert.Equal("00004", message.Text("orgUnitCode"));
        Assert.Equal("Trần Thị Bình", message.Text("fullName"));
        Assert.True(message.GetProperty("active").GetBoolean());

        // The dispatcher hands it to the real broker and marks it sent once the broker confirms.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await identity.QueryAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Id == row.Id).Select(m => m.SentAt).SingleAsync()) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the UserChanged message was not published within 20 s");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Nothing_is_written_when_validation_fails()
    {
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());
        var (usersBefore, outboxBefore) = await CountsAsync();

        using var response = await admin.PostAsJsonAsync("/api/users", new
        {
            username = "khong.hop.le",
            password = "ngan",
            fullName = "Phạm Văn Dũng",
            role = "Viewer",
            orgUnitCode = "00001",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((usersBefore, outboxBefore), await CountsAsync());
    }

    [Fact]
    public async Task Nothing_is_written_for_a_duplicate()
    {
        await identity.CreateUserAsync("mot.lan.thoi");
        using var admin = identity.CreateClient(await identity.GetAdminTokenAsync());
        var before = await CountsAsync();

        using var response = await admin.PostAsJsonAsync("/api/users", NewUser("MOT.LAN.THOI"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(before, await CountsAsync());
    }

    Task<(int Users, int Outbox)> CountsAsync() => identity.QueryAsync(async db =>
        (await db.Users.CountAsync(), await db.Set<OutboxMessage>().CountAsync()));
}
