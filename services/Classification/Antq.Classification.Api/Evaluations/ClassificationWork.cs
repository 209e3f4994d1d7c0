using Antq.Calendar;
using Antq.Classification.Api.Data;
using Antq.Contracts.Classification;
using Antq.Messaging;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;

namespace Antq.Classification.Api.Evaluations;

/// <summary>A unit as it stood at a year's hierarchy date (the end of the annual data window), with its ancestors, root first.</summary>
public sealed record YearUnit(int Year, DateOnly HierarchyDate, UnitTreeVersion Unit, IReadOnlyList<UnitTreeVersion> Ancestors)
{
    public string? SubjectKind => SubjectKinds.OfUnitKind(Unit.Kind);
}

/// <summary>The sheet a unit is scored on: a stored version, or the default not stored yet (stored with the first score).</summary>
public sealed record SheetInForce(ScoreSheetVersion? Stored, ScoreSheet Sheet)
{
    public int Version => Stored?.Version ?? 0;
}

public sealed record SafeInForce(SafeStandardVersion? Stored, SafeStandard Standard)
{
    public int Version => Stored?.Version ?? 0;
}

/// <summary>The reads and recomputations that the APIs and the consumers share.</summary>
public static class ClassificationWork
{
    /// <summary>
    /// The day whose unit tree a year's judgements walk: the end of the annual data window (thời gian chốt số liệu),
    /// the tree the annual reports roll up through.
    /// </summary>
    public static DateOnly HierarchyDate(int year, DataWindowOptions window) => ReportingPeriod.Annual(year).HierarchyDate(window);

    /// <summary>Who "decides" a class moved by a changed annual report.</summary>
    public const string ByReport = "báo cáo tổng kết năm";

    public static async Task<YearUnit?> ResolveAsync(this ClassificationDbContext db, string code, int year, DataWindowOptions window, CancellationToken ct)
    {
        var date = HierarchyDate(year, window);
        var unit = await db.FindUnitAsOfAsync(code, date, ct);
        if (unit is null) return null;
        return new YearUnit(year, date, unit, await db.AncestorsAsOfAsync(code, date, ct));
    }

    public static async Task<SheetInForce?> SheetInForceAsync(this ClassificationDbContext db, int year, string kind, CancellationToken ct)
    {
        var stored = await db.ScoreSheets.AsNoTracking().Where(s => s.Year == year && s.SubjectKind == kind)
            .OrderByDescending(s => s.Version).FirstOrDefaultAsync(ct);
        if (stored is not null) return new SheetInForce(stored, stored.Sheet);
        return Defaults.Sheet(year, kind) is { } sheet ? new SheetInForce(null, sheet) : null;
    }

    public static async Task<SafeInForce?> SafeInForceAsync(this ClassificationDbContext db, int year, string kind, CancellationToken ct)
    {
        var stored = await db.SafeStandards.AsNoTracking().Where(s => s.Year == year && s.SubjectKind == kind)
            .OrderByDescending(s => s.Version).FirstOrDefaultAsync(ct);
        if (stored is not null) return new SafeInForce(stored, stored.Standard);
        return Defaults.Safe(year, kind) is { } standard ? new SafeInForce(null, standard) : null;
    }

    static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>
    /// The default sheet stored as version 1, so that results can name it. Several units scored at once may all find it
    /// missing: the insert does nothing when another got there first, and the stored version is read back.
    /// </summary>
    public static async Task<SheetInForce> EnsureStoredAsync(this ClassificationDbContext db, SheetInForce inForce, DateTimeOffset now, CancellationToken ct)
    {
        if (inForce.Stored is not null) return inForce;
        var sheet = inForce.Sheet;
        var body = System.Text.Json.JsonSerializer.Serialize(sheet, Json);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO score_sheets (id, year, subject_kind, version, is_default, sheet, published_by, published_at)
            VALUES ({Guid.CreateVersion7()}, {sheet.Year}, {sheet.SubjectKind}, 1, TRUE, {body}::jsonb, 'hệ thống', {now})
            ON CONFLICT (year, subject_kind, version) DO NOTHING
            """, ct);
        var stored = await db.ScoreSheets.AsNoTracking().FirstAsync(s => s.Year == sheet.Year && s.SubjectKind == sheet.SubjectKind && s.Version == 1, ct);
        return new SheetInForce(stored, stored.Sheet);
    }

    public static async Task<SafeInForce> EnsureStoredAsync(this ClassificationDbContext db, SafeInForce inForce, DateTimeOffset now, CancellationToken ct)
    {
        if (inForce.Stored is not null) return inForce;
        var standard = inForce.Standard;
        var body = System.Text.Json.JsonSerializer.Serialize(standard, Json);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO safe_standards (id, year, subject_kind, version, is_default, standard, published_by, published_at)
            VALUES ({Guid.CreateVersion7()}, {standard.Year}, {standard.SubjectKind}, 1, TRUE, {body}::jsonb, 'hệ thống', {now})
            ON CONFLICT (year, subject_kind, version) DO NOTHING
            """, ct);
        var stored = await db.SafeStandards.AsNoTracking().FirstAsync(s => s.Year == standard.Year && s.SubjectKind == standard.SubjectKind && s.Version == 1, ct);
        return new SafeInForce(stored, stored.Standard);
    }

    public static async Task<Dictionary<string, decimal>> ReportValuesAsync(this ClassificationDbContext db, string code, int year, CancellationToken ct) =>
        (await db.AnnualReports.AsNoTracking().FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Year == year, ct))?.Values ?? [];

    /// <summary>
    /// Scores <paramref name="evaluation"/> on <paramref name="sheet"/> and stores totals and class. When the class
    /// changes, records who decided and adds <see cref="UnitClassified"/> to the outbox. True when the class changed.
    /// </summary>
    public static bool Rescore(this ClassificationDbContext db, Evaluation evaluation, ScoreSheet sheet, bool sheetIsDefault,
        IReadOnlyDictionary<string, decimal> values, string by, DateTimeOffset now)
    {
        var scored = Scoring.Score(sheet, evaluation.SelfScores, evaluation.ApprovedScores, evaluation.DisqualifierMarks, values);
        evaluation.ComputedScores = scored.Criteria.Where(c => c.Computed is not null).ToDictionary(c => c.Criterion.Code, c => c.Computed!.Value);
        evaluation.SelfTotal = scored.SelfTotal;
        evaluation.ApprovedTotal = scored.ApprovedComplete ? scored.ApprovedTotal : null;
        var previous = evaluation.Class;
        if (previous == scored.Class) return false;

        evaluation.Class = scored.Class;
        evaluation.ClassDecidedBy = by;
        evaluation.ClassDecidedAt = now;
        db.AddOutboxMessage(new UnitClassified
        {
            OrgUnitCode = evaluation.OrgUnitCode, ParentCode = evaluation.ParentCode, Year = evaluation.Year,
            Class = scored.Class, ClassName = scored.Class is null ? null : MovementClass.Label(scored.Class), PreviousClass = previous,
            Total = evaluation.ApprovedTotal, ScoreSheetId = evaluation.ScoreSheetId, ScoreSheetVersion = evaluation.ScoreSheetVersion,
            ScoreSheetIsDefault = sheetIsDefault, DecidedBy = by, OccurredAt = now,
        });
        return true;
    }

    /// <summary>The units directly below <paramref name="code"/> at the year's hierarchy date, with their classes, recognitions and report values.</summary>
    public static async Task<(Summary Summary, List<SummaryChild> Children)> SummarizeAsync(this ClassificationDbContext db, string code, int year,
        DateOnly date, CancellationToken ct)
    {
        var units = await db.ChildrenAsOfAsync(code, date, ct);
        var codes = units.Select(u => u.Code).ToList();
        var classes = await db.Evaluations.AsNoTracking().Where(e => e.Year == year && codes.Contains(e.OrgUnitCode))
            .ToDictionaryAsync(e => e.OrgUnitCode, e => e.Class, ct);
        var safe = await db.SafeResults.AsNoTracking().Where(r => r.Year == year && codes.Contains(r.OrgUnitCode))
            .ToDictionaryAsync(r => r.OrgUnitCode, r => r.Recognised, ct);
        var reports = await db.AnnualReports.AsNoTracking().Where(r => r.Year == year && codes.Contains(r.OrgUnitCode))
            .ToDictionaryAsync(r => r.OrgUnitCode, r => r.Values, ct);
        var children = units.Select(u => new SummaryChild(u.Code, u.Name, SubjectKinds.OfUnitKind(u.Kind),
            classes.GetValueOrDefault(u.Code), safe.ContainsKey(u.Code), safe.GetValueOrDefault(u.Code),
            reports.GetValueOrDefault(u.Code))).ToList();
        return (Summary.Of(children), children);
    }

    /// <summary>The targets of issued plans that apply to a unit: its own plans' targets on its area, its parent's targets on each child.</summary>
    public static Task<List<PlanTarget>> TargetsForAsync(this ClassificationDbContext db, string code, string? parentCode, int year, CancellationToken ct) =>
        db.PlanTargets.AsNoTracking()
            .Where(t => t.Year == year && ((t.IssuerCode == code && !t.Scope.Contains("child")) || (parentCode != null && t.IssuerCode == parentCode && t.Scope.Contains("child"))))
            .OrderBy(t => t.IssuerCode == code ? 0 : 1).ThenBy(t => t.PlanNumber).ThenBy(t => t.Index)
            .ToListAsync(ct);

    /// <summary>
    /// After something changed below <paramref name="code"/>: recounts its units below and publishes the counts its
    /// annual report takes, and judges again the targets that apply to it, publishing the verdicts that changed. Runs
    /// under a lock per unit and year, so that two changes below the same unit publish counts in order.
    /// </summary>
    public static async Task RefreshAsync(this ClassificationDbContext db, string code, int year, DateOnly date, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"classification:" + code + ":" + year}))", ct);
        var (summary, children) = await db.SummarizeAsync(code, year, date, ct);

        var counts = new Dictionary<string, int>(summary.ReportCounts(children));
        var published = await db.PublishedCounts.FirstOrDefaultAsync(p => p.OrgUnitCode == code && p.Year == year, ct);
        if (published is null || !SameCounts(published.Values, counts))
        {
            if (published is null)
            {
                published = new PublishedCounts { OrgUnitCode = code, Year = year };
                db.PublishedCounts.Add(published);
            }

            published.Values = counts;
            published.Sequence++;
            published.UpdatedAt = now;
            db.AddOutboxMessage(new ClassificationCountsChanged
            {
                OrgUnitCode = code, Period = ReportingPeriod.Annual(year).Code, Values = counts, Sequence = published.Sequence, OccurredAt = now,
            });
        }

        var unit = await db.FindUnitAsOfAsync(code, date, ct);
        var targets = await db.TargetsForAsync(code, unit?.ParentCode, year, ct);
        foreach (var target in targets.Where(t => TargetVerdict.Judges(t.Indicator)))
        {
            var verdict = TargetVerdict.Judge(target.Comparator, target.Value,
                summary.Indicators.TryGetValue(target.Indicator, out var achieved) ? achieved : null);
            var last = await db.TargetAttainments.FirstOrDefaultAsync(a => a.PlanId == target.PlanId && a.Index == target.Index && a.OrgUnitCode == code, ct);
            if (last is not null && last.Achieved == verdict.Achieved && last.Attained == verdict.Attained) continue;
            if (last is null)
            {
                last = new TargetAttainment { PlanId = target.PlanId, Index = target.Index, OrgUnitCode = code, Year = year };
                db.TargetAttainments.Add(last);
            }

            last.Achieved = verdict.Achieved;
            last.Attained = verdict.Attained;
            last.UpdatedAt = now;
            db.AddOutboxMessage(new TargetAttainmentChanged
            {
                PlanId = target.PlanId, TargetIndex = target.Index, OrgUnitCode = code, Year = year, Indicator = target.Indicator,
                Comparator = target.Comparator, Target = target.Value, Achieved = verdict.Achieved, Attained = verdict.Attained,
                Gap = verdict.Gap, OccurredAt = now,
            });
        }

        await db.SaveChangesAsync(ct);
    }

    static bool SameCounts(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
}
