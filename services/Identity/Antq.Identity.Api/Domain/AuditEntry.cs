namespace Antq.Identity.Api.Domain;

/// <summary>One line of the account audit trail (nhật ký): a login attempt or an administrative act.</summary>
public sealed class AuditEntry
{
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginLocked = "login.locked";
    public const string UserCreated = "user.created";

    public Guid Id { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>Who acted: the signed-in administrator, or for a login the name that was typed.</summary>
    public required string Actor { get; init; }

    /// <summary>One of the constants above.</summary>
    public required string Action { get; init; }

    /// <summary>The account acted on.</summary>
    public required string Subject { get; init; }

    public string? Detail { get; init; }

    public string? Address { get; init; }

    public static AuditEntry Create(DateTimeOffset at, string actor, string action, string subject, string? detail = null, string? address = null) =>
        new()
        {
            Id = Guid.CreateVersion7(at),
            At = at,
            Actor = Clip(actor, 100),
            Action = action,
            Subject = Clip(subject, 100),
            Detail = detail is null ? null : Clip(detail, 500),
            Address = address is null ? null : Clip(address, 64),
        };

    static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}
