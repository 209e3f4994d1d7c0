using Antq.Calendar;
using Microsoft.Extensions.Options;

namespace Antq.Portal.Formatting;

/// <summary>
/// The periods the portal offers, on the platform's clock: the reporting year is the one whose data window is open
/// today (next year's from 15/12 with the default window), as the services count it.
/// </summary>
public sealed class ReportingSeason(TimeProvider clock, IOptions<DataWindowOptions> window)
{
    int Year => window.Value.YearAt(VietnamTime.Today(clock));

    /// <summary>The periods a unit works on now: this reporting year's six-month and annual reports.</summary>
    public IReadOnlyList<string> CurrentPeriods() => [.. ReportingPeriod.OfYear(Year).Select(p => p.Code)];

    /// <summary>The period to show first: the six-month report until the end of July, then the annual one.</summary>
    public string DefaultPeriod()
    {
        var today = VietnamTime.Today(clock);
        var year = Year;
        return (today.Month <= 7 && today.Year == year ? ReportingPeriod.SixMonth(year) : ReportingPeriod.Annual(year)).Code;
    }

    /// <summary>
    /// The latest selectable period before <paramref name="period"/> in which <paramref name="show"/> finds the unit
    /// (it shows that period and says whether the unit was there), or null when none has it: a unit that the tree of the
    /// current period no longer has (a district abolished on 01/07/2025) opens on its last period instead of an error.
    /// </summary>
    public async Task<string?> LatestWithUnitAsync(string period, Func<string, Task<bool>> show)
    {
        foreach (var earlier in SelectablePeriods().SkipWhile(p => p != period).Skip(1))
        {
            if (await show(earlier)) return earlier;
        }

        return null;
    }

    /// <summary>What a page says when it shows <paramref name="shown"/> because its unit is not in <paramref name="asked"/>'s tree.</summary>
    public static string ShownInstead(string asked, string shown) =>
        $"Đơn vị của anh/chị không có trong cây đơn vị của kỳ {ReportingPeriod.TitleOf(asked).ToLowerInvariant()}; " +
        $"đang hiển thị {ReportingPeriod.TitleOf(shown).ToLowerInvariant()}, kỳ gần nhất có đơn vị.";

    /// <summary>This reporting year's periods and those of the two years before, latest first.</summary>
    public IReadOnlyList<string> SelectablePeriods()
    {
        var year = Year;
        return [.. Enumerable.Range(0, 3).SelectMany(i => new[] { ReportingPeriod.Annual(year - i).Code, ReportingPeriod.SixMonth(year - i).Code })];
    }
}
