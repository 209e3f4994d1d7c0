using Antq.Notification.Api.Domain;

namespace Antq.Notification.Api.Dispatch;

/// <summary>Settings of section <c>Notification</c>.</summary>
public sealed class NotificationOptions
{
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
    public TimeSpan Period { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How often the job runs (real time); it also runs once shortly after start.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How many notices one statement deletes; the job repeats until nothing old is left.</summary>
    public int BatchSize { get; set; } = 1000;
}

/// <summary>Section <c>Notification:Digest</c>: submissions reach the level above by e-mail as digests.</summary>
public sealed class DigestSettings
{
    /// <summary>
    /// How long a digest gathers the submissions to a unit for one address of its contact point, from the first one;
    /// its e-mail goes when the window ends. A contact point may set its own (<c>digestWindow</c>). One minute to a day.
    /// </summary>
    public TimeSpan Window { get; set; } = Digests.DigestWindow.Default;
}

/// <summary>The schedule used for deadlines whose plan sets no reminder policy of its own (ISO 8601 durations).</summary>
public sealed class ReminderDefaults
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

    public ReminderPolicy ToPolicy() => ReminderPolicy.FromIso(Offsets is { Length: > 0 } ? Offsets : DefaultOffsets, OverdueRepeat, EscalateAfter,
        string.IsNullOrWhiteSpace(LastDayMorningAt) ? null : TimeOnly.Parse(LastDayMorningAt, System.Globalization.CultureInfo.InvariantCulture));
}

public sealed class DispatcherSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The safety poll: how long a dispatching loop sleeps at most when no commit of its replica wakes it and none of its
    /// work falls due. Between polls a loop sleeps until the earliest due time of its notices and deliveries, or until a
    /// commit writes new ones; the poll catches what only another replica knows of (its crash mid-send, for one).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// While the platform's clock is shifted or fixed (local mode, tests), how often a sleeping loop reads it: such a
    /// clock is moved forward by days, and a due time passed by the move is noticed within this (in process, no database).
    /// </summary>
    public TimeSpan ClockCheck { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a loop woken by a commit waits before its round, so that a burst of commits (a province's communes
    /// submitting within the same second) costs one round rather than one each. Only commits are waited for; work
    /// falling due on the clock goes at its time. Zero: at once.
    /// </summary>
    public TimeSpan WakeDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public int BatchSize { get; set; } = 50;

    /// <summary>How many dispatching loops each replica runs at once (they share the work as replicas do).</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>A notice sent more than this after its due time is marked late and says so.</summary>
    public TimeSpan LateAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a claimed delivery keeps other replicas off it; the sender renews it every third of this while it works,
    /// so this is also how soon the deliveries of a replica that died mid-send are taken up again.
    /// </summary>
    public TimeSpan DeliveryLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many e-mail results the sender records in one write (one statement batch, one commit) while it sends a
    /// batch over one SMTP connection. A crash of the service between a message's acceptance and that write sends the
    /// unrecorded messages again after their lease, once each, with the same Message-ID: at most this many. 1 records
    /// each result on its own (the most a crash can repeat is one message; the close then pays a commit per e-mail).
    /// </summary>
    public int ResultsPerWrite { get; set; } = 10;

    /// <summary>How long the sender keeps trying to record a result (sent or failed) while the database does not answer.</summary>
    public TimeSpan ResultPatience { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    public int MaxAttempts { get; set; } = 12;
}

public sealed class SmtpSettings
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 2525;

    public string From { get; set; } = "Hệ thống báo cáo ANTQ <thongbao@antq.local>";

    /// <summary>None, Auto, StartTls or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "Auto";

    public string? UserName { get; set; }

    public string? Password { get; set; }
}
