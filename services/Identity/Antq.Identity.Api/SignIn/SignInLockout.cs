namespace Antq.Identity.Api.SignIn;

/// <summary>
/// Wrong passwords for one account from one client address (tạm khoá theo tài khoản và địa chỉ): after
/// <see cref="AccountLockoutOptions.MaxFailedLogins"/> in a row that address may not sign in to that account until
/// <see cref="LockedUntil"/>. Per address, so that anyone who knows a user name (the administrator's is no secret) can
/// lock out only the machine they guess from, not the user from their own. A good password from the address, or an
/// administrator's unlock, removes the line.
/// </summary>
public sealed class SignInLockout
{
    public Guid UserId { get; init; }

    /// <summary>The client address as the gateway saw it (trusted <c>X-Forwarded-For</c>), or <see cref="UnknownAddress"/>.</summary>
    public required string Address { get; init; }

    /// <summary>Wrong passwords in a row from this address; counted by one atomic statement, never read and written back.</summary>
    public int FailedLogins { get; init; }

    /// <summary>Until when this address is refused for this account; null while the count is below the threshold.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    public DateTimeOffset LastFailedAt { get; init; }

    public const string UnknownAddress = "unknown";

    public const int MaxAddressLength = 64;

    public static string AddressOf(System.Net.IPAddress? address)
    {
        var text = address?.ToString();
        return string.IsNullOrEmpty(text) ? UnknownAddress : text.Length <= MaxAddressLength ? text : text[..MaxAddressLength];
    }
}
