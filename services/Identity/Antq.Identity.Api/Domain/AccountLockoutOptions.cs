namespace Antq.Identity.Api.Domain;

/// <summary>Settings <c>Identity:Lockout</c>: after <see cref="MaxFailedLogins"/> wrong passwords in a row the account is locked for <see cref="Duration"/>.</summary>
public sealed class AccountLockoutOptions
{
    public int MaxFailedLogins { get; set; } = 5;

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
