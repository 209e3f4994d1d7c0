namespace Antq.Calendar;

/// <summary>
/// The data window (thời gian chốt số liệu) of the reporting periods, after Nghị định 09/2019/NĐ-CP. Configurable
/// (section <c>DataWindow</c>): the defaults are the documented ones, not a statement of law; an administrator must
/// confirm them. Every level of one reporting chain uses the same window, so every service and the portal read this
/// one setting (<see cref="CalendarServiceCollectionExtensions.AddDataWindow"/>).
/// </summary>
public sealed class DataWindowOptions
{
    public const string Section = "DataWindow";

    /// <summary>
    /// First day of the window. When it falls after <see cref="AnnualEnd"/> it is a day of the previous year. Default
    /// 12-15: the windows of 2026 open on 15/12/2025.
    /// </summary>
    public MonthDay Start { get; set; } = new(12, 15);

    /// <summary>Last day of the six-month window. Default 06-14: 2026-H1 counts 15/12/2025 to 14/06/2026.</summary>
    public MonthDay SixMonthEnd { get; set; } = new(6, 14);

    /// <summary>Last day of the annual window. Default 12-14: 2026-Y counts 15/12/2025 to 14/12/2026.</summary>
    public MonthDay AnnualEnd { get; set; } = new(12, 14);

    /// <summary>Whether a year's window opens in the year before (the default, 15 December).</summary>
    public bool StartsInPreviousYear => Start > AnnualEnd;

    /// <summary>The window of <paramref name="period"/>: both ends included.</summary>
    public DataWindow Of(ReportingPeriod period)
    {
        var from = Start.In(StartsInPreviousYear ? period.Year - 1 : period.Year);
        var to = (period.Kind == PeriodKind.H1 ? SixMonthEnd : AnnualEnd).In(period.Year);
        return new DataWindow(from, to);
    }

    /// <summary>
    /// The reporting year whose windows are open on <paramref name="day"/> (have begun and the next year's have not):
    /// with the defaults, 2026 up to 14/12/2026 and 2027 from 15/12/2026 on.
    /// </summary>
    public int YearAt(DateOnly day)
    {
        var startedThisCalendarYear = day >= Start.In(day.Year);
        return StartsInPreviousYear
            ? (startedThisCalendarYear ? day.Year + 1 : day.Year)
            : (startedThisCalendarYear ? day.Year : day.Year - 1);
    }

    /// <summary>What makes these settings not a window, in words for the operator; empty when they are one.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (SixMonthEnd > AnnualEnd)
            problems.Add($"{Section}:SixMonthEnd ({SixMonthEnd}) falls after {Section}:AnnualEnd ({AnnualEnd}); the six-month window must end first.");
        if (!StartsInPreviousYear && Start > SixMonthEnd)
            problems.Add($"{Section}:Start ({Start}) falls after {Section}:SixMonthEnd ({SixMonthEnd}); the six-month window would be empty.");
        return problems;
    }
}

/// <summary>A data window: the days whose facts a period's reports count, <see cref="From"/> and <see cref="To"/> included.</summary>
public readonly record struct DataWindow(DateOnly From, DateOnly To)
{
    public bool Contains(DateOnly day) => From <= day && day <= To;
}
