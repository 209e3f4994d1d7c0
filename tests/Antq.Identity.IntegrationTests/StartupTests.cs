using System.Net;
using Antq.Identity.Api.Audit;
using Antq.Identity.Api.SignIn;
using Antq.Identity.Api.Users;

namespace Antq.Identity.IntegrationTests;

/// <summary>How the service starts, or refuses to: each test has its own database and settings.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("production")]
    [InlineData(null)]
    public async Task Refuses_to_start_outside_local_mode_with_the_default_admin_password(string? mode)
    {
        await using var identity = await IdentityService.CreateAsync(settings =>
        {
            settings["ANTQ_MODE"] = mode ?? "";
            settings["ANTQ_ADMIN_PASSWORD"] = AdminAccountOptions.LocalDefaultPassword;
        });

        var error = Assert.ThrowsAny<Exception>(() => identity.Factory.Server);

        Assert.Contains("ANTQ_ADMIN_PASSWORD is the published local default", error.ToString());
    }

    [Fact]
    public async Task Refuses_to_start_outside_local_mode_without_an_admin_password()
    {
        await using var identity = await IdentityService.CreateAsync(settings =>
        {
            settings["ANTQ_MODE"] = "production";
            settings["ANTQ_ADMIN_PASSWORD"] = "";
        });

        var error = Assert.ThrowsAny<Exception>(() => identity.Factory.Server);

        Assert.Contains("ANTQ_ADMIN_PASSWORD is not set", error.ToString());
    }

    [Fact]
    public async Task Starts_outside_local_mode_with_a_password_of_its_own()
    {
        await using var identity = await IdentityService.CreateAsync(settings => settings["ANTQ_MODE"] = "production");

        _ = identity.Factory.Server;

        await identity.GetAdminTokenAsync();
    }

    [Fact]
    public async Task In_local_mode_a_missing_admin_password_falls_back_to_the_local_default()
    {
        await using var identity = await IdentityService.CreateAsync(settings =>
        {
            settings["ANTQ_MODE"] = "local";
            settings["ANTQ_ADMIN_PASSWORD"] = "";
        });

        using var response = await identity.RequestPasswordTokenAsync("admin", "Antq@Local2026");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_to_start_without_a_signing_key()
    {
        await using var identity = await IdentityService.CreateAsync(settings => settings["Identity:SigningKeyPem"] = "");

        var error = Assert.ThrowsAny<Exception>(() => identity.Factory.Server);

        Assert.Contains("no signing key", error.ToString());
    }

    [Fact]
    public async Task Signing_key_file_is_created_once_private_to_the_owner_and_shared_by_replicas()
    {
        var directory = Path.Combine(Path.GetTempPath(), "antq-identity-" + Guid.NewGuid().ToString("N"));
        var keyFile = Path.Combine(directory, "keys", "identity-signing.pem");
        try
        {
            void UseKeyFile(Dictionary<string, string?> settings)
            {
                settings["Identity:SigningKeyPem"] = "";
                settings["Identity:SigningKeyFile"] = keyFile;
                settings["Auth:SigningKeyPem"] = ""; // the service checks tokens with its own key
            }

            await using var first = await IdentityService.CreateAsync(UseKeyFile);
            _ = first.Factory.Server;

            Assert.True(File.Exists(keyFile));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }

            var pem = await File.ReadAllTextAsync(keyFile);
            var token = await first.GetAdminTokenAsync();

            // A second replica on the same database and key file: the key is not replaced, and it accepts the first's token.
            await using var replica = new Antq.Testing.ServiceFactory<Program>("identity", first.Database, first.VirtualHost);
            UseKeyFile(replica.Settings);
            replica.Settings["ANTQ_ADMIN_PASSWORD"] = IdentityService.AdminPassword;
            using var client = replica.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);

            using var me = await client.GetAsync("/api/users/me");

            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal(pem, await File.ReadAllTextAsync(keyFile));
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
