using Antq.Portal.Formatting;
using static Antq.Portal.Components.Charts.ChartScale;

namespace Antq.Portal.Components.Charts;

/// <summary>A class and how many units were given it (Chưa xếp loại included as a row of its own).</summary>
public sealed record ClassShare(string Class, string Name, int Count, decimal Percent, decimal? TargetPercent, string? TargetText);

/// <summary>
/// The distribution of classes of the units below against the plan's targets: one bar per class as a share of the units
/// (with a marker where a plan's target for that class lies), and a bar of "Khá trở lên" against its target line.
/// </summary>
public sealed class ClassDistribution
{
    public const double LabelWidth = 130, ValueWidth = 90, RowHeight = 26, BarHeight = 16, Top = 8, AxisHeight = 24;

    /// <summary>The catalogue indicator of each class's count (Classification's MovementClass.Indicator).</summary>
    static readonly Dictionary<string, string> ClassIndicators = new(StringComparer.Ordinal)
    {
        ["XuatSac"] = "CLS_XUAT_SAC", ["Kha"] = "CLS_KHA", ["TrungBinh"] = "CLS_TRUNG_BINH", ["Yeu"] = "CLS_YEU",
    };

    public const string KhaTroLen = "PCT_KHA_TRO_LEN";

    public required IReadOnlyList<ClassShare> Rows { get; init; }
    public required int Units { get; init; }
    public required int Classified { get; init; }

    /// <summary>The share of Khá and Xuất sắc among the classified units, and the plan's target for it.</summary>
    public required decimal? KhaTroLenPercent { get; init; }
    public required decimal? KhaTroLenTarget { get; init; }
    public required string? KhaTroLenTargetText { get; init; }

    public static double PlotWidth => ChartScale.Width - LabelWidth - ValueWidth;

    public static double X(decimal percent) => LabelWidth + PlotWidth * (double)(Math.Clamp(percent, 0, 100) / 100m);

    public double RowY(int index) => Top + index * RowHeight;

    /// <summary>Rows: the classes, unclassified, then the Khá trở lên bar.</summary>
    public double Height => Top + (Rows.Count + 1) * RowHeight + AxisHeight;

    public double AxisY => Top + (Rows.Count + 1) * RowHeight + 2;

    /// <summary>
    /// Shares are of all the units below (so the bars add up to 100 % with the unclassified row); a count target of a
    /// class (CLS_…) becomes a share of the same units; the Khá trở lên target is a share of the classified ones, as the
    /// service judges it.
    /// </summary>
    public static ClassDistribution Build(IEnumerable<(string Class, string Name, int Count)> classes, int unclassified, decimal? pctKhaTroLen,
        IEnumerable<(string Indicator, string Comparator, decimal Target)> targets)
    {
        var list = classes.ToList();
        var units = list.Sum(c => c.Count) + unclassified;
        var targetList = targets.ToList();
        decimal Pct(decimal count) => units == 0 ? 0 : Math.Round(count * 100m / units, 1);
        var rows = list.Select(c =>
        {
            var target = ClassIndicators.TryGetValue(c.Class, out var code) ? targetList.FirstOrDefault(t => t.Indicator == code) : default;
            return new ClassShare(c.Class, c.Name, c.Count, Pct(c.Count),
                target.Indicator is null ? null : Pct(target.Target), target.Indicator is null ? null : $"{Vn.Comparator(target.Comparator)} {Vn.Number(target.Target)} đơn vị");
        }).ToList();
        rows.Add(new ClassShare("", "Chưa xếp loại", unclassified, Pct(unclassified), null, null));
        var kha = targetList.FirstOrDefault(t => t.Indicator == KhaTroLen);
        return new ClassDistribution
        {
            Rows = rows, Units = units, Classified = units - unclassified,
            KhaTroLenPercent = pctKhaTroLen is { } p ? Math.Round(p, 1) : null,
            KhaTroLenTarget = kha.Indicator is null ? null : kha.Target,
            KhaTroLenTargetText = kha.Indicator is null ? null : $"{Vn.Comparator(kha.Comparator)} {Vn.Number(kha.Target)}%",
        };
    }
}
