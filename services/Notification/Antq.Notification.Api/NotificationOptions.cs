using System.ComponentModel.DataAnnotations;
using Antq.Settings;

namespace Antq.Notification.Api;

/// <summary>Settings of section <c>Notification</c>.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notification";

    public ReminderDefaults Reminders { get; set; } = new();

    public DispatcherSettings Dispatcher { get; set; } = new();

    public SmtpSettings Smtp { get; set; } = new();

    public DigestSettings Digest { get; set; } = new();

    public Webhooks.WebhookSettings Webhooks { get; set; } = new();

    public RetentionSettings Retention { get; set; } = new();
}

/// <summary>
/// Section <c>Notification:Retention</c>: notices that were sent or cancelled, their deliveries and inbox items, and sent
/// digests, older than <see cref="Period"/> on the platform's clock, are deleted by a background job every
/// <see cref="Interval"/>. The period is a setting, not a legal figure: set it to what the records policy requires.
/// </summary>
public sealed class RetentionSettings
{
    /// <summary>How long a notice is kept after it was sent (or created, if it never was). Default 400 days.</summary>
    [Duration("1.00:00:00", "36500.00:00:00", ErrorMessage = "must be a day or more (and at most 100 years)")]
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How often the job runs (real time); it also runs once shortly after start.</summary>
    [Positive]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How many notices one statement deletes; the job repeats until nothing old is left.</summary>
    [Positive]
    public int BatchSize { get; set; } = 1000;
}

/// <summary>Section <c>Notification:Digest</c>: submissions reach the level above by e-mail as digests.</summary>
public sealed class DigestSettings
{
    /// <summary>
    /// How long a digest gathers the submissions to a unit for one address of its contact point, from the first one;
    /// its e-mail goes when the window ends. A contact point may set its own (<c>digestWindow</c>). One minute to a day.
    /// </summary>
    [Duration("00:01:00", "1.00:00:00")]
    public TimeSpan Window { get; set; } = Digests.DigestWindow.Default;
}

/// <summary>The schedule used for deadlines whose plan sets no reminder policy of its own (ISO 8601 durations).</summary>
public sealed class ReminderDefaults : IValidatableObject
{
    public static readonly string[] DefaultOffsets = ["-P7D", "-P3D", "-P1D", "P1D"];

    /// <summary>
    /// Negative: reminders before the deadline; zero or positive: overdue notices after it. Empty: <see cref="DefaultOffsets"/>
    /// (not initialised here, since configuration binding appends to an array it finds).
    /// </summary>
    public string[]? Offsets { get; set; }

    /// <summary>A reminder at this time (Vietnam time) on the morning of the last day; empty for none.</summary>
    public string? LastDayMorningAt { get; set; } = "08:00";

    public string OverdueRepeat { get; set; } = "P2D";

    public string EscalateAfter { get; set; } = "P3D";

    /// <summary>How long after a report is returned its unit is reminded to resubmit it.</summary>
    public string ResubmitAfter { get; set; } = "P1D";

    /// <summary>
    /// The working hour (Vietnam time) at which reminders, overdue notices and escalations that count in whole days
    /// from the deadline go out, instead of the deadline's midnight; a plan may set its own. Empty: at their exact offset.
    /// </summary>
    public string? RemindAt { get; set; } = "07:30";

    /// <summary>
    /// The night (Vietnam time, from-until, running over midnight when from is later): no reminder, overdue notice or
    /// escalation goes out inside it; one that falls inside waits for its end (a reminder that would then be past the
    /// deadline goes just before it begins). Each account may set its own. Empty: none.
    /// </summary>
    public string? QuietHours { get; set; } = "21:00-07:00";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(OverdueRepeat), OverdueRepeat), (nameof(EscalateAfter), EscalateAfter), (nameof(ResubmitAfter), ResubmitAfter) })
        {
            if (!string.IsNullOrWhiteSpace(value) && !IsDuration(value))
                yield return new ValidationResult("must be an ISO 8601 duration such as P2D or PT12H", [name]);
        }

        if ((Offsets ?? []).Any(offset => !IsDuration(offset)))
            yield return new ValidationResult("each entry must be an ISO 8601 duration: negative for a reminder before the deadline (-P7D), zero or positive for an overdue notice after it (P1D)", [nameof(Offsets)]);
        if (!string.IsNullOrWhiteSpace(LastDayMorningAt)
            && !TimeOnly.TryParse(LastDayMorningAt, System.Globalization.CultureInfo.InvariantCulture, out _))
            yield return new ValidationResult("must be a time of day such as 08:00, or empty for none", [nameof(LastDayMorningAt)]);
        if (EscalateAfter is { } escalate && IsDuration(escalate) && ReminderPolicy.ParseDuration(escalate) < TimeSpan.Zero)
            yield return new ValidationResult("must not be negative", [nameof(EscalateAfter)]);
        var remindAtValid = string.IsNullOrWhiteSpace(RemindAt) || Reminders.QuietHours.TryParseTime(RemindAt, out _);
        if (!remindAtValid)
            yield return new ValidationResult("must be a time of day such as 07:30, or empty for none", [nameof(RemindAt)]);
        if (!Reminders.QuietHours.TryParse(QuietHours, out var quiet))
            yield return new ValidationResult("must be a span of the day such as 21:00-07:00 (from-until, over midnight when from is later), or empty for none", [nameof(QuietHours)]);
        else if (remindAtValid && quiet is not null && ParseRemindAt() is { } hour && quiet.Contains(VietnamTime.At(new DateOnly(2026, 1, 1), hour)))
            yield return new ValidationResult($"must not fall inside the quiet hours ({quiet})", [nameof(RemindAt)]);
    }

    static bool IsDuration(string? text)
    {
        try
        {
            ReminderPolicy.ParseDuration(text ?? "");
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public ReminderPolicy ToPolicy() => ReminderPolicy.FromIso(Offsets is { Length: > 0 } ? Offsets : DefaultOffsets, OverdueRepeat, EscalateAfter,
        string.IsNullOrWhiteSpace(LastDayMorningAt) ? null : TimeOnly.Parse(LastDayMorningAt, System.Globalization.CultureInfo.InvariantCulture))
        with { RemindAt = ParseRemindAt(), Quiet = ParseQuietHours() };

    public TimeOnly? ParseRemindAt() => Reminders.QuietHours.TryParseTime(RemindAt, out var hour) ? hour : null;

    public Reminders.QuietHours? ParseQuietHours() => Reminders.QuietHours.TryParse(QuietHours, out var quiet) ? quiet : null;
}

/// <summary>Section <c>Notification:Dispatcher</c>: the loops that send notices and deliveries.</summary>
public sealed class DispatcherSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The safety poll: how long a dispatching loop sleeps at most when no commit of its replica wakes it and none of its
    /// work falls due. Between polls a loop sleeps until the earliest due time of its notices and deliveries, or until a
    /// commit writes new ones; the poll catches what only another replica knows of (its crash mid-send, for one).
    /// </summary>
    [Positive]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// While the platform's clock is shifted or fixed (local mode, tests), how often a sleeping loop reads it: such a
    /// clock is moved forward by days, and a due time passed by the move is noticed within this (in process, no database).
    /// </summary>
    [Positive]
    public TimeSpan ClockCheck { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a loop woken by a commit waits before its round, so that a burst of commits (a province's communes
    /// submitting within the same second) costs one round rather than one each. Only commits are waited for; work
    /// falling due on the clock goes at its time. Zero: at once.
    /// </summary>
    public TimeSpan WakeDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    [Positive]
    public int BatchSize { get; set; } = 50;

    /// <summary>How many dispatching loops each replica runs at once (they share the work as replicas do).</summary>
    [Range(1, 64, ErrorMessage = "must be from {1} to {2}")]
    public int Parallelism { get; set; } = 4;

    /// <summary>A notice sent more than this after its due time is marked late and says so.</summary>
    [Positive]
    public TimeSpan LateAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a claimed delivery keeps other replicas off it; the sender renews it every third of this while it works,
    /// so this is also how soon the deliveries of a replica that died mid-send are taken up again.
    /// </summary>
    [Positive]
    public TimeSpan DeliveryLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many e-mail results the sender records in one write (one statement batch, one commit) while it sends a
    /// batch over one SMTP connection. A crash of the service between a message's acceptance and that write sends the
    /// unrecorded messages again after their lease, once each, with the same Message-ID: at most this many. The default,
    /// 1, records each result on its own, so that a crash repeats at most one message (the promise the fault run checks);
    /// a larger value makes a closing's e-mails cheaper at the cost of that promise.
    /// </summary>
    [Positive]
    public int ResultsPerWrite { get; set; } = 1;

    /// <summary>How long the sender keeps trying to record a result (sent or failed) while the database does not answer.</summary>
    [Positive]
    public TimeSpan ResultPatience { get; set; } = TimeSpan.FromMinutes(5);

    [Positive]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Positive]
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Positive]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    [Positive]
    public int MaxAttempts { get; set; } = 12;
}

/// <summary>Section <c>Notification:Smtp</c>: the mail server notices are sent through.</summary>
public sealed class SmtpSettings : IValidatableObject
{
    static readonly string[] SecurityModes = ["None", "Auto", "StartTls", "SslOnConnect"];

    [Required(AllowEmptyStrings = false, ErrorMessage = "must be set")]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "must be from {1} to {2}")]
    public int Port { get; set; } = 2525;

    [Required(AllowEmptyStrings = false, ErrorMessage = "must be set")]
    public string From { get; set; } = "Hệ thống báo cáo ANTQ <thongbao@antq.local>";

    /// <summary>None, Auto, StartTls or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "Auto";

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SecurityModes.Contains(Security, StringComparer.OrdinalIgnoreCase))
            yield return new ValidationResult($"must be one of {string.Join(", ", SecurityModes)}", [nameof(Security)]);
        if (!string.IsNullOrWhiteSpace(From) && !MimeKit.MailboxAddress.TryParse(From, out _))
            yield return new ValidationResult("must be a mail address, such as Hệ thống <thongbao@antq.local>", [nameof(From)]);
    }
}
