using Antq.Testing.Faults;

namespace Antq.Faults.Tests;

/// <summary>
/// The fault run allows one repeat of an e-mail, and only the one SMTP cannot prevent: the sender killed after the
/// server accepted the message and before the result was recorded. These cases pin down what counts as that repeat.
/// </summary>
public sealed class EmailRepeatTests
{
    static readonly DateTime Kill = new(2026, 12, 6, 4, 13, 40, DateTimeKind.Utc);
    static readonly DateTime Before = Kill.AddMilliseconds(-20);
    static readonly DateTime After = Kill.AddSeconds(12);

    [Fact]
    public void Two_copies_with_one_message_id_on_either_side_of_a_kill_are_the_allowed_repeat() =>
        Assert.True(FaultRun.IsRepeatAcrossKill([("<a@antq>", Before), ("<a@antq>", After)], [Kill]));

    [Fact]
    public void Two_copies_both_before_or_both_after_the_kill_are_a_duplicate() => Assert.Multiple(
        () => Assert.False(FaultRun.IsRepeatAcrossKill([("<a@antq>", Before.AddSeconds(-5)), ("<a@antq>", Before)], [Kill])),
        () => Assert.False(FaultRun.IsRepeatAcrossKill([("<a@antq>", After), ("<a@antq>", After.AddSeconds(1))], [Kill])));

    [Fact]
    public void Copies_without_any_kill_are_a_duplicate() =>
        Assert.False(FaultRun.IsRepeatAcrossKill([("<a@antq>", Before), ("<a@antq>", After)], []));

    [Fact]
    public void Copies_with_different_message_ids_are_not_a_repeat() =>
        Assert.False(FaultRun.IsRepeatAcrossKill([("<a@antq>", Before), ("<b@antq>", After)], [Kill]));

    [Fact]
    public void Copies_without_a_message_id_are_not_a_repeat() =>
        Assert.False(FaultRun.IsRepeatAcrossKill([(null, Before), (null, After)], [Kill]));

    [Fact]
    public void A_third_copy_is_never_allowed() =>
        Assert.False(FaultRun.IsRepeatAcrossKill([("<a@antq>", Before), ("<a@antq>", After), ("<a@antq>", After.AddSeconds(1))], [Kill]));
}
