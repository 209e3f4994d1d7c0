using Antq.Contracts.Audit;

namespace Antq.Identity.Api.Audit;

/// <summary>
/// One line of the platform's audit trail (nhật ký): a login attempt or an administrative act, of this service or of
/// another (announced by <see cref="AdministrativeActPerformed"/>). Refusals are not acts and are not written, except
/// failed logins.
/// </summary>
public sealed class AuditEntry
{
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LoginLocked = "login.locked";
    public const string UserCreated = "user.created";
    public const string UserUpdated = "user.updated";
    public const string UserDisabled = "user.disabled";
    public const string UserEnabled = "user.enabled";
    public const string PasswordReset = "user.password-reset";
    public const string PasswordChanged = "user.password-changed";
    public const string UserUnlocked = "user.unlocked";

    /// <summary>The service whose acts this one writes itself; others' arrive as messages.</summary>
    public const string ThisService = "identity";

    public const int MaxActionLength = 60;

    public Guid Id { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>Who acted: the signed-in administrator, or for a login the name that was typed.</summary>
    public required string Actor { get; init; }

    /// <summary>One of the constants above, or the action another service named.</summary>
    public required string Action { get; init; }

    /// <summary>What was acted on: the account here; a unit, a catalogue version, a period elsewhere.</summary>
    public required string Subject { get; init; }

    public string? Detail { get; init; }

    public string? Address { get; init; }

    /// <summary>The service the act was performed in (identity, plan, reporting, classification).</summary>
    public string Service { get; init; } = ThisService;

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

    /// <summary>Another service's act, under the act's own id so that it is written once.</summary>
    public static AuditEntry From(AdministrativeActPerformed act) =>
        new()
        {
            Id = act.Id,
            At = act.OccurredAt,
            Actor = Clip(act.Actor, 100),
            Action = Clip(act.Action, MaxActionLength),
            Subject = Clip(act.Subject, 100),
            Detail = act.Detail is null ? null : Clip(act.Detail, 500),
            Address = act.Address is null ? null : Clip(act.Address, 64),
            Service = Clip(act.Service, 30),
        };

    static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}
