using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Documents;

/// <summary>One unit reporting to the consolidating unit: its report's state and its own roll-up.</summary>
public sealed record ChildLine(string Code, string Name, string Status, bool? OnTime, DateTimeOffset? SubmittedAt,
    IReadOnlyDictionary<string, AggregateValue> Values)
{
    public bool Counted => Status is "submitted" or "accepted";

    /// <summary>How the child stands, in Vietnamese, for the documents.</summary>
    public string StandingText => Status switch
    {
        "submitted" or "accepted" when OnTime == false => "Nộp muộn",
        "submitted" => "Đúng hạn, chờ tiếp nhận",
        "accepted" => "Đúng hạn, đã tiếp nhận",
        "returned" => "Bị trả lại, chưa nộp lại",
        _ => "Chưa nộp",
    };
}

/// <summary>Where a document's figures come from.</summary>
public enum FigureSource
{
    /// <summary>The roll-up as it stands now, late reports included.</summary>
    Live,

    /// <summary>The roll-up as the closing froze it at the deadline (bản chốt khi khóa sổ).</summary>
    Snapshot,
}

/// <summary>
/// Everything the consolidated documents of a unit show: the roll-up (live, or frozen by the closing), each child, the
/// unit's own report and the plan's targets.
/// </summary>
public sealed record Consolidation(
    PeriodUnit Target,
    Catalogue Catalogue,
    IReadOnlyDictionary<string, AggregateValue> Values,
    IReadOnlyList<ChildLine> Children,
    Report? OwnReport,
    IReadOnlyList<PlanTargetCopy> Targets,
    PeriodClosing? Closing,
    DateTimeOffset GeneratedAt,
    FigureSource Source = FigureSource.Live)
{
    /// <summary>The sentence every document carries to say which figures it shows.</summary>
    public string SourceText => Source == FigureSource.Snapshot && Closing is { } closing
        ? $"Số liệu chốt khi khóa sổ lúc {VietnamTime.Timestamp(closing.ClosedAt)} (hạn nộp {VietnamTime.Timestamp(closing.DueAt)}); báo cáo nộp sau thời điểm này không có trong số liệu chốt."
        : $"Số liệu trực tiếp lúc {VietnamTime.Timestamp(GeneratedAt)}" + (Closing is { } c ? $", gồm cả báo cáo nộp muộn sau khi khóa sổ lúc {VietnamTime.Timestamp(c.ClosedAt)}." : ".");

    public UnitTreeVersion Unit => Target.Unit;

    public UnitTreeVersion? Parent => Target.Ancestors.Count > 0 ? Target.Ancestors[^1] : null;

    public IEnumerable<Indicator> Indicators => Catalogue.AskedIn(Target.Period.Kind);

    public int Expected => Children.Count;

    public int Submitted => Children.Count(c => c.Counted);

    public int Late => Children.Count(c => c.Counted && c.OnTime == false);

    public int OnTime => Submitted - Late;

    public int Missing => Expected - Submitted;

    /// <summary>The unit's own counted values (its own work), shown as a row of their own; null when it has none in the roll-up.</summary>
    public IReadOnlyDictionary<string, decimal>? OwnValues => OwnReport is { CountsInRollup: true, Consolidated: false } own ? own.CurrentValues() : null;

    /// <summary>
    /// The figures of a unit for its documents: after the period closed at the unit, the frozen snapshot unless
    /// <paramref name="live"/> asks for the live figures; before, the live ones (there is no snapshot).
    /// </summary>
    public static async Task<Consolidation> LoadAsync(ReportingDbContext db, PeriodUnit target, DateTimeOffset now, bool live, CancellationToken ct)
    {
        var period = target.Period;
        var catalogue = await db.InForceAsync(ct);
        var children = await db.ChildrenAsOfAsync(target.Unit.Code, target.HierarchyDate, ct);
        var childValues = await db.ChildAggregatesAsync(catalogue, period, target.Unit.Code, children, target.HierarchyDate, ct);
        var own = await db.Reports.AsNoTracking().Include(r => r.Values)
            .FirstOrDefaultAsync(r => r.OrgUnitCode == target.Unit.Code && r.Period == period.Code, ct);
        var closing = await db.Closings.AsNoTracking().Include(c => c.Children)
            .FirstOrDefaultAsync(c => c.OrgUnitCode == target.Unit.Code && c.Period == period.Code, ct);
        var targets = await TargetsAsync(db, target, ct);

        if (closing is not null && !live)
        {
            // As the deadline saw them: the frozen sums, and each child as it stood (a child that reported later is missing here).
            var frozen = PeriodCloser.DeserializeValues(closing.ValuesJson).ToDictionary(v => v.Key, v => new AggregateValue(v.Value.Value, v.Value.Reports), StringComparer.Ordinal);
            var stood = closing.Children.ToDictionary(c => c.ChildCode, StringComparer.Ordinal);
            var frozenLines = children.Select(child =>
            {
                if (!stood.TryGetValue(child.Code, out var c) || c.Standing == Standings.Missing)
                    return new ChildLine(child.Code, child.Name, "missing", null, null, new Dictionary<string, AggregateValue>());
                return new ChildLine(child.Code, child.Name, c.ReportStatus ?? "submitted", c.Standing == Standings.OnTime, c.SubmittedAt, childValues[child.Code]);
            }).ToList();
            return new Consolidation(target, catalogue, frozen, frozenLines, own, targets, closing, now, FigureSource.Snapshot);
        }

        var values = await db.AggregateAsync(catalogue, period, target.Unit.Code, children, ct);
        var codes = children.Select(c => c.Code).ToList();
        var reports = await db.Reports.AsNoTracking().Where(r => r.Period == period.Code && codes.Contains(r.OrgUnitCode))
            .Select(r => new { r.OrgUnitCode, r.Status, r.OnTime, r.SubmittedAt }).ToDictionaryAsync(r => r.OrgUnitCode, ct);
        var lines = children.Select(child =>
        {
            reports.TryGetValue(child.Code, out var report);
            return new ChildLine(child.Code, child.Name, report is null ? "missing" : ReportsApi.StatusName(report.Status),
                report?.OnTime, report?.SubmittedAt, childValues[child.Code]);
        }).ToList();
        return new Consolidation(target, catalogue, values, lines, own, targets, closing, now, FigureSource.Live);
    }

    /// <summary>
    /// The targets that apply: those of the unit's own plan for the year (the newest version in force); otherwise those
    /// of the plan of the level above that bind each unit reporting to it.
    /// </summary>
    static async Task<List<PlanTargetCopy>> TargetsAsync(ReportingDbContext db, PeriodUnit target, CancellationToken ct)
    {
        async Task<List<PlanTargetCopy>> Of(string issuer)
        {
            var rows = await db.PlanTargets.AsNoTracking().Where(t => t.IssuerCode == issuer && t.Year == target.Period.Year && !t.Superseded).ToListAsync(ct);
            var newest = rows.OrderByDescending(t => t.IssuedOn).Select(t => t.PlanId).FirstOrDefault();
            return [.. rows.Where(t => t.PlanId == newest)];
        }

        var own = await Of(target.Unit.Code);
        if (own.Count > 0 || target.Unit.ParentCode is not { } parent) return own;
        return [.. (await Of(parent)).Where(t => t.Scope != "subtree")];
    }
}
