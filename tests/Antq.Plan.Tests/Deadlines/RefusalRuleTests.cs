using Antq.Plan.Api.Deadlines;

namespace Antq.Plan.Tests.Deadlines;

/// <summary>A plan may not give the units below its issuer a later deadline than the one binding the issuer.</summary>
public sealed class RefusalRuleTests
{
    static DateTimeOffset Day(int month, int day) => new(2026, month, day, 0, 0, 0, TimeSpan.FromHours(7));

    static readonly BindingDeadline Own = new("00004", "01", Day(6, 15), Guid.Empty, false);

    [Fact]
    public void A_child_deadline_after_the_issuers_own_is_refused_naming_both_dates()
    {
        var message = DeadlineChain.ChildDeadlineTooLate("2026-H1", Day(6, 20), Own);
        Assert.NotNull(message);
        Assert.Contains("trước ngày 20/06/2026", message);
        Assert.Contains("trước ngày 15/06/2026", message);
        Assert.Contains("2026-H1", message);
    }

    [Fact]
    public void An_earlier_or_equal_child_deadline_is_accepted()
    {
        Assert.Null(DeadlineChain.ChildDeadlineTooLate("2026-H1", Day(6, 10), Own));
        Assert.Null(DeadlineChain.ChildDeadlineTooLate("2026-H1", Day(6, 15), Own));
    }

    [Fact]
    public void Without_a_deadline_above_any_child_deadline_is_accepted()
    {
        Assert.Null(DeadlineChain.ChildDeadlineTooLate("2026-H1", Day(12, 31), null));
    }

    [Fact]
    public void One_minute_later_is_still_later()
    {
        Assert.NotNull(DeadlineChain.ChildDeadlineTooLate("2026-H1", Day(6, 15).AddMinutes(1), Own));
    }
}
