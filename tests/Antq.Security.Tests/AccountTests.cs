using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.ServiceDefaults;

namespace Antq.Security.Tests;

[Collection(PlatformCollection.Name)]
public sealed class AccountTests(SecurityPlatform platform)
{
    const string Password = "Mat-khau-Dung-2026";

    async Task CreateUserAsync(string username)
    {
        using var admin = platform.Identity.As(AntqRoles.Admin, "BCA", "admin");
        var created = await admin.PostAsJsonAsync("/api/users", new
        {
            username, password = Password, fullName = "Quàng Văn Tính", role = AntqRoles.CommuneOfficer, orgUnitCode = platform.CommuneA1,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    async Task<(HttpStatusCode Status, JsonElement Body)> LoginAsync(string username, string password)
    {
        using var client = platform.Identity.CreateClient();
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = username, ["password"] = password,
        }));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    async Task<List<JsonElement>> AuditAsync()
    {
        using var admin = platform.Identity.As(AntqRoles.Admin, "BCA", "admin");
        var response = await admin.GetAsync("/api/users/audit?take=1000");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()];
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var username = "khoa." + Guid.NewGuid().ToString("N")[..8];
        await CreateUserAsync(username);

        for (var i = 1; i <= 4; i++)
        {
            var (status, body) = await LoginAsync(username, "sai-mat-khau-" + i);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("Tên đăng nhập hoặc mật khẩu không đúng.", body.GetProperty("error_description").GetString());
        }

        var fifth = await LoginAsync(username, "sai-mat-khau-5");
        Assert.Equal(HttpStatusCode.BadRequest, fifth.Status);
        Assert.Contains("tạm thời bị khoá", fifth.Body.GetProperty("error_description").GetString());

        var right = await LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.BadRequest, right.Status);
        Assert.Contains("thử lại sau 15 phút", right.Body.GetProperty("error_description").GetString());
    }

    [Fact]
    public async Task Fewer_wrong_passwords_than_the_limit_then_the_right_one_signs_in_and_resets_the_count()
    {
        var username = "dung." + Guid.NewGuid().ToString("N")[..8];
        await CreateUserAsync(username);
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.BadRequest, (await LoginAsync(username, "sai")).Status);
            var (status, body) = await LoginAsync(username, Password);
            Assert.True(status == HttpStatusCode.OK, body.ToString());
        }
    }

    [Fact]
    public async Task Logins_and_user_creation_are_in_the_audit_which_only_an_admin_reads()
    {
        var username = "nhatky." + Guid.NewGuid().ToString("N")[..8];
        await CreateUserAsync(username);
        Assert.Equal(HttpStatusCode.BadRequest, (await LoginAsync(username, "sai")).Status);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(username, Password)).Status);

        var audit = await AuditAsync();
        var mine = audit.Where(e => e.GetProperty("subject").GetString() == username).ToList();
        Assert.Contains(mine, e => e.GetProperty("action").GetString() == "user.created" && e.GetProperty("actor").GetString() == "admin");
        Assert.Contains(mine, e => e.GetProperty("action").GetString() == "login.failed");
        Assert.Contains(mine, e => e.GetProperty("action").GetString() == "login.succeeded");

        using var officer = platform.Identity.As(AntqRoles.ProvinceOfficer, SecurityPlatform.ProvinceA);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync("/api/users/audit")).StatusCode);
    }
}
