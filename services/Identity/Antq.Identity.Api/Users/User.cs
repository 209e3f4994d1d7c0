namespace Antq.Identity.Api.Users;

/// <summary>An account of the platform (tài khoản người dùng): who signs in, with which role, for which unit.</summary>
public sealed class User
{
    public Guid Id { get; init; }

    /// <summary>The login name as the administrator typed it.</summary>
    public required string UserName { get; init; }

    /// <summary>The login name in lower case: unique, so that "NguyenVanA" and "nguyenvana" are the same account.</summary>
    public required string NormalizedUserName { get; init; }

    public required string PasswordHash { get; set; }

    /// <summary>Họ và tên.</summary>
    public required string FullName { get; set; }

    /// <summary>One of <see cref="UserRules.Roles"/>.</summary>
    public required string Role { get; set; }

    /// <summary>The official code of the unit the account belongs to (mã đơn vị).</summary>
    public required string OrgUnitCode { get; set; }

    public string? Email { get; set; }

    public bool Active { get; set; } = true;

    /// <summary>
    /// Wrong passwords counted per client address (<see cref="SignInLockout"/>): a stranger's guesses lock the stranger's
    /// address out, never the owner's. Loaded only where an administrator looks at them.
    /// </summary>
    public List<SignInLockout> Lockouts { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static string Normalize(string userName) => userName.Trim().ToLowerInvariant();
}
