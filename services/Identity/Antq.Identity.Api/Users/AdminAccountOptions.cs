using Microsoft.Extensions.Options;

namespace Antq.Identity.Api.Users;

/// <summary>
/// The built-in <c>admin</c> account's password: <c>ANTQ_ADMIN_PASSWORD</c>. Only when <c>ANTQ_MODE</c> is
/// <c>local</c> may it be missing, and then the documented local default is used; in any other mode the service
/// refuses to start without a password of its own.
/// </summary>
public sealed class AdminAccountOptions
{
    public const string UserName = "admin";
    public const string FullName = "Quản trị hệ thống";
    /// <summary>The Ministry of Public Security (Bộ Công an), the root of the unit tree.</summary>
    public const string OrgUnitCode = "BCA";
    /// <summary>Known to everyone who reads the README; acceptable on a developer's machine only.</summary>
    public const string LocalDefaultPassword = "Antq@Local2026";

    public string? Mode { get; set; }

    public string? Password { get; set; }

    public bool IsLocal => string.Equals(Mode, "local", StringComparison.OrdinalIgnoreCase);
}

sealed class AdminAccountOptionsSetup(IConfiguration configuration)
    : IConfigureOptions<AdminAccountOptions>, IValidateOptions<AdminAccountOptions>
{
    public void Configure(AdminAccountOptions options)
    {
        options.Mode = configuration["ANTQ_MODE"];
        options.Password = configuration["ANTQ_ADMIN_PASSWORD"];
        if (string.IsNullOrEmpty(options.Password) && options.IsLocal)
        {
            options.Password = AdminAccountOptions.LocalDefaultPassword;
        }
    }

    public ValidateOptionsResult Validate(string? name, AdminAccountOptions options)
    {
        var mode = string.IsNullOrEmpty(options.Mode) ? "(not set)" : options.Mode;
        if (string.IsNullOrEmpty(options.Password))
        {
            return ValidateOptionsResult.Fail(
                $"ANTQ_ADMIN_PASSWORD is not set. Outside local mode (ANTQ_MODE is {mode}) the admin account needs a password of its own; " +
                "set ANTQ_ADMIN_PASSWORD, or ANTQ_MODE=local on a developer's machine.");
        }

        if (!options.IsLocal && options.Password == AdminAccountOptions.LocalDefaultPassword)
        {
            return ValidateOptionsResult.Fail(
                $"ANTQ_ADMIN_PASSWORD is the published local default. Outside local mode (ANTQ_MODE is {mode}) set a password of your own.");
        }

        if (!UserRules.IsStrongPassword(options.Password))
        {
            return ValidateOptionsResult.Fail(
                $"ANTQ_ADMIN_PASSWORD must have at least {UserRules.MinPasswordLength} characters, with a letter and a digit.");
        }

        return ValidateOptionsResult.Success;
    }
}
