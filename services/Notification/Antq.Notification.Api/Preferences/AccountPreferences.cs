namespace Antq.Notification.Api.Preferences;

/// <summary>
/// How one account (tài khoản) wants to be told, set by the account itself: whether notices reach its in-app inbox and
/// its own e-mail address (the one Identity knows), its own quiet hours and reminder hour, and how long the digest of
/// submissions to its address gathers them. What is not set follows the settings, the plan and the unit's contact
/// point. The account's hours can hold a reminder back for this person, never bring it forward for the unit.
/// </summary>
public sealed class AccountPreferences
{
    /// <summary>The account (<see cref="Recipient.UserId"/>).</summary>
    public Guid UserId { get; set; }

    /// <summary>Notices in the inbox of the portal (hộp thông báo).</summary>
    public bool InApp { get; set; } = true;

    /// <summary>Notices also by e-mail to the account's own address, besides the addresses of its unit's contact point.</summary>
    public bool Email { get; set; }

    /// <summary>The account's quiet hours ("22:00-06:00"); null: <c>Notification:Reminders:QuietHours</c>.</summary>
    public string? QuietHours { get; set; }

    /// <summary>Not before this hour ("08:00") of the day does a reminder reach this account; null: when it goes out.</summary>
    public string? RemindAt { get; set; }

    /// <summary>How long the digest of submissions to the account's address gathers them; null: the contact point's, or the setting.</summary>
    public TimeSpan? DigestWindow { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public TimeOnly? RemindAtTime => Reminders.QuietHours.TryParseTime(RemindAt, out var hour) ? hour : null;

    public QuietHours? Quiet => Reminders.QuietHours.TryParse(QuietHours, out var quiet) ? quiet : null;

    /// <summary>When this account sees a reminder that goes out at <paramref name="sentAt"/> (its own hours, or the settings' quiet hours).</summary>
    public DateTimeOffset Hold(DateTimeOffset sentAt, QuietHours? defaultQuiet) =>
        WorkingHours.ForRecipient(sentAt, RemindAtTime, Quiet ?? defaultQuiet);
}
