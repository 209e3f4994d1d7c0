using Antq.Settings;

namespace Antq.Identity.Api.SignIn;

/// <summary>
/// Settings <c>Identity:Lockout</c>: after <see cref="MaxFailedLogins"/> wrong passwords in a row from one client
/// address, that address may not sign in to the account for <see cref="Duration"/> (<see cref="SignInLockout"/>).
/// </summary>
public sealed class AccountLockoutOptions
{
    public const string Section = "Identity:Lockout";

    [Positive]
    public int MaxFailedLogins { get; set; } = 5;

    [Positive]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
