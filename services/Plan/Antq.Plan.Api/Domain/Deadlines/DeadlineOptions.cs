using System.Globalization;

namespace Antq.Plan.Api.Domain.Deadlines;

/// <summary>
/// Settings of the deadline chain (section <c>Deadlines</c>): the lead time a level keeps for itself where it set
/// no deadline of its own, and the last day of each period's data window (Nghị định 09/2019/NĐ-CP by default).
/// </summary>
public sealed class DeadlineOptions
{
    public const string Section = "Deadlines";

    /// <summary>A unit whose parent issued no plan must report this long before the parent's own deadline.</summary>
    public TimeSpan LeadTime { get; set; } = TimeSpan.FromDays(5);

    /// <summary>MM-dd: last day of the six-month data window (14 June).</summary>
    public string SixMonthDataWindowEnd { get; set; } = "06-14";

    /// <summary>MM-dd: last day of the annual data window (14 December).</summary>
    public string AnnualDataWindowEnd { get; set; } = "12-14";

    /// <summary>Deadlines per <c>DeadlinesChanged</c> message.</summary>
    public int BatchSize { get; set; } = 1000;

    public (int Month, int Day) SixMonthWindowEnd => MonthDay(SixMonthDataWindowEnd);

    public (int Month, int Day) AnnualWindowEnd => MonthDay(AnnualDataWindowEnd);

    static (int, int) MonthDay(string text)
    {
        var date = DateTime.ParseExact(text.Trim(), "MM-dd", CultureInfo.InvariantCulture);
        return (date.Month, date.Day);
    }
}
