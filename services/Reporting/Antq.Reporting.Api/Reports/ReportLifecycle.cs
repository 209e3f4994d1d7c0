using System.Globalization;
using Antq.Contracts.Reporting;
using Antq.Messaging;
using Microsoft.EntityFrameworkCore;
using Antq.UnitTree;
using Npgsql;
using static Antq.ServiceDefaults.Problems;
using static Antq.Reporting.Api.Units.ApiSupport;

namespace Antq.Reporting.Api.Reports;

/// <summary>What a report's step needs to know about the request: who acts, and the version they acted on (If-Match).</summary>
public sealed record ReportStep(PeriodUnit Target, string By, string? IfMatch);

/// <summary>
/// A form as the request sent it (JSON or the Excel template), read against the catalogue in force once the step knows
/// which that is: the values and narrative, or every error keyed by code (then nothing is saved).
/// </summary>
public sealed class ReportForm(Func<Catalogue, (IReadOnlyDictionary<string, decimal?> Values, IReadOnlyDictionary<string, string?> Narrative,
    IReadOnlyDictionary<string, List<string>> Errors, string? Detail)> read)
{
    public (IReadOnlyDictionary<string, decimal?> Values, IReadOnlyDictionary<string, string?> Narrative) Read(Catalogue catalogue, string refused)
    {
        var (values, narrative, errors, detail) = read(catalogue);
        if (errors.Count > 0) throw new ReportRefusedException(400, detail ?? refused, errors);
        return (values, narrative);
    }
}

/// <summary>
/// The life of a report (vòng đời báo cáo): every change of a report's state goes through here — draft saves,
/// submission, return, acceptance, reopening after a close, the consolidated draft a close prepares, and the class
/// counts Classification fills in. Its rules live with the report (<see cref="Report"/>: which step each status
/// allows); this class adds what a step needs around them: the version the caller acted on, the lock of a closed
/// period, the roll-up cells that move with the counted set, and the events, all in one transaction. An illegal step
/// throws <see cref="ReportStateException"/> (409); any other refusal <see cref="ReportRefusedException"/>; both are
/// turned into problems in one place (<see cref="ReportProblems"/>). Endpoints translate HTTP and nothing more.
/// </summary>
public sealed class ReportLifecycle(ReportingDbContext db, ReportStore store, TimeProvider clock)
{
    /// <summary>
    /// Saves a draft: a new report (no If-Match, or "*") or the existing one, which needs the caller's current version,
    /// must be editable and not locked by a closing. <paramref name="form"/> reads the request against the catalogue in
    /// force; a form with errors saves nothing. Answers the report, whether it was created, and the catalogue.
    /// </summary>
    public async Task<(Report Report, bool Created, Catalogue Catalogue)> SaveAsync(ReportStep step, ReportForm form, CancellationToken ct)
    {
        var state = await store.ReadAsync(step.Target.Unit.Code, step.Target.Period.Code, step.Target.Unit.ParentCode, ct);
        var catalogue = await InForceAsync(state, ct);
        var (values, narrative) = form.Read(catalogue, "Báo cáo chưa được lưu vì có số liệu không hợp lệ; không có thay đổi nào được ghi.");
        var now = clock.GetUtcNow();
        var (report, created) = Draft(step, state, catalogue, now);
        var read = report.Version;
        report.SaveDraft(values, narrative, catalogue.Version, step.By, now);
        await WriteAsync(report, created, read, rollupPath: null, parent: null, alsoInTransaction: null, ct);
        return (report, created, catalogue);
    }

    /// <summary>
    /// Submits the report. With a form, its values and narrative are saved first, in the same transaction: both or
    /// neither. Without one, the report as last saved is submitted. It then counts in the roll-up of its unit and every
    /// ancestor, in the same transaction as its status. Three round trips to PostgreSQL in all (see <see cref="ReportStore"/>).
    /// </summary>
    public async Task<(Report Report, Catalogue Catalogue)> SubmitAsync(ReportStep step, ReportForm? form, CancellationToken ct)
    {
        var target = step.Target;
        var state = await store.ReadAsync(target.Unit.Code, target.Period.Code, target.Unit.ParentCode, ct);
        var now = clock.GetUtcNow();
        Report report;
        var created = false;
        if (form is not null)
        {
            var inForce = await InForceAsync(state, ct);
            var (values, narrative) = form.Read(inForce, "Báo cáo chưa được nộp vì có số liệu không hợp lệ; không có thay đổi nào được ghi.");
            (report, created) = Draft(step, state, inForce, now);
            var version = report.Version;
            report.SaveDraft(values, narrative, inForce.Version, step.By, now);
            return await SubmitAsync(step, state, report, created, version, now, ct);
        }

        report = state.Report ?? throw NoReport(target);
        if (step.IfMatch is { } ifMatch) ThrowIfStale(ifMatch, report);
        return await SubmitAsync(step, state, report, created, report.Version, now, ct);
    }

    async Task<(Report Report, Catalogue Catalogue)> SubmitAsync(ReportStep step, ReportState state, Report report, bool created, int read,
        DateTimeOffset now, CancellationToken ct)
    {
        var target = step.Target;
        ThrowIfLocked(target, state.Lock);
        report.EnsureCanSubmit();
        var catalogue = await db.VersionAsync(report.CatalogueVersion, ct);
        var values = report.CurrentValues();
        var errors = ReportValidator.CheckRules(catalogue, values);
        if (errors.Count > 0)
            throw new ReportRefusedException(400, $"Báo cáo chưa nộp được: {string.Join("; ", errors.SelectMany(e => e.Value).Distinct())}.", errors);

        // A consolidated report states the totals of the reports below, which are already in the cells: it adds nothing.
        List<string> path = report.Consolidated ? [] : target.Path;
        report.Submit(step.By, now, state.DueAt);
        report.RollupPath = path;
        report.ReportsToCode = target.Unit.ParentCode;
        db.AddOutboxMessage(new ReportSubmitted
        {
            ReportId = report.Id, OrgUnitCode = report.OrgUnitCode, ReportsToCode = report.ReportsToCode, Period = report.Period,
            SubmittedAt = now, DueAt = report.DueAt, OnTime = report.OnTime ?? true, SubmittedBy = report.SubmittedBy!, OccurredAt = now,
        });
        if (path.Count > 0) db.AddOutboxMessage(new RollupChanged { Period = report.Period, OrgUnitCodes = path, OccurredAt = now });
        // Same transaction as the status change: the report counts exactly when its values are in the cells. A report
        // that arrives after the period closed at the level above also goes into that level's consolidated draft.
        // Whether the level above has closed is read again once the closing lock is held (the read above may be older).
        Func<DateTimeOffset?, CancellationToken, Task>? late = !report.Consolidated && target.Unit.ParentCode is { } parent
            ? (closedAt, token) => closedAt is null ? Task.CompletedTask : AdjustConsolidatedAsync(parent, target, catalogue, values, +1, now, token)
            : null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await WriteAsync(report, created, read, path, target.Unit.ParentCode, late, ct);
        if (path.Count > 0) ReportingMetrics.RollupWritten(started, add: true);
        ReportingMetrics.Submitted(report.OnTime ?? true);
        return (report, catalogue);
    }

    /// <summary>
    /// A report that entered or left the counted set after the period closed at the level above changes that level's
    /// consolidated draft by its values (the entered totals, as the closing pre-filled them), with a line in the draft's
    /// history naming the unit and saying it came late. A consolidated report already submitted is not changed behind
    /// its sender's back: its history says what it lacks, and the level above can return it to take the figures in.
    /// </summary>
    async Task AdjustConsolidatedAsync(string parent, PeriodUnit child, Catalogue catalogue, IReadOnlyDictionary<string, decimal> values, int sign,
        DateTimeOffset at, CancellationToken ct)
    {
        // Several late reports under one closed parent change its draft at once: each takes the draft's row lock first and
        // reads it after the one before has committed, so none of them is refused for the other's change (a 412 that
        // would blame the sender's own report).
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM reports WHERE org_unit_code = {parent} AND period = {child.Period.Code} FOR UPDATE", ct);
        var draft = await db.Reports.Include(r => r.Values).FirstOrDefaultAsync(r => r.OrgUnitCode == parent && r.Period == child.Period.Code, ct);
        if (draft is null) return;
        var who = $"{child.Unit.Name} ({child.Unit.Code})";
        if (!draft.IsEditable)
        {
            draft.Changes.Add(ReportChange.Lifecycle(draft.Id, sign > 0 ? "lateNotIncluded" : "lateReturnedNotIncluded", sign > 0
                ? $"Báo cáo của {who} nộp muộn sau khi khóa sổ, khi báo cáo tổng hợp đã nộp: số liệu này chưa có trong báo cáo tổng hợp. Cấp trên có thể trả lại báo cáo tổng hợp để cập nhật."
                : $"Báo cáo nộp muộn của {who} đã bị trả lại, khi báo cáo tổng hợp đã nộp: báo cáo tổng hợp vẫn còn số liệu của đơn vị này.", Catalogues.SystemUser, at));
        }
        else
        {
            var current = draft.CurrentValues();
            var adjusted = new Dictionary<string, decimal?>(StringComparer.Ordinal);
            foreach (var indicator in catalogue.AskedIn(child.Period.Kind).Where(i => i.IsEntered && i.Aggregation == Aggregation.Sum && i.ValueType != Indicators.ValueType.Boolean))
            {
                if (!values.TryGetValue(indicator.Code, out var value) || value == 0) continue;
                adjusted[indicator.Code] = (current.TryGetValue(indicator.Code, out var had) ? had : 0) + sign * value;
            }

            draft.Changes.Add(ReportChange.Lifecycle(draft.Id, sign > 0 ? "lateIncluded" : "lateRemoved", sign > 0
                ? $"Đã cộng số liệu báo cáo nộp muộn của {who} (nộp sau khi khóa sổ) vào báo cáo tổng hợp."
                : $"Đã trừ số liệu báo cáo nộp muộn của {who} (bị trả lại) khỏi báo cáo tổng hợp.", Catalogues.SystemUser, at));
            draft.SaveDraft(adjusted, new Dictionary<string, string?>(), draft.CatalogueVersion, Catalogues.SystemUser, at);
        }

        await SaveChangesAsync(ct);
    }

    async Task<Catalogue> InForceAsync(ReportState state, CancellationToken ct) =>
        state.CatalogueInForce is { } version ? await db.VersionAsync(version, ct) : Catalogues.Default;

    /// <summary>Writes a save or submission; a report created or changed by someone else since it was read is a 412.</summary>
    async Task WriteAsync(Report report, bool created, int read, IReadOnlyList<string>? rollupPath, string? parent,
        Func<DateTimeOffset?, CancellationToken, Task>? alsoInTransaction, CancellationToken ct)
    {
        var changed = report.Changes.Where(c => c.Action == ReportChange.SavedAction)
            .SelectMany(c => c.Items).Where(i => i.Kind == "value").Select(i => i.Field).ToHashSet(StringComparer.Ordinal);
        if (await store.WriteAsync(report, created, read, changed, rollupPath, parent, alsoInTransaction, ct)) return;
        throw new ReportRefusedException(412, created
            ? "Báo cáo vừa được người khác tạo; hãy tải lại báo cáo rồi lưu lại thay đổi của bạn."
            : "Báo cáo vừa được người khác thay đổi; hãy tải lại báo cáo rồi thực hiện lại.");
    }

    /// <summary>The report a save writes into, from what was read: a new one, or the existing one at the caller's version, editable and not locked.</summary>
    (Report Report, bool Created) Draft(ReportStep step, ReportState state, Catalogue catalogue, DateTimeOffset now)
    {
        var target = step.Target;
        if (state.Report is not { } report)
        {
            if (step.IfMatch is not null && step.IfMatch != "*")
                throw new ReportRefusedException(412, "Báo cáo này chưa tồn tại nhưng yêu cầu gửi kèm phiên bản (If-Match); hãy tải lại báo cáo.");
            return (new Report
            {
                OrgUnitCode = target.Unit.Code, Period = target.Period.Code, CatalogueVersion = catalogue.Version,
                CreatedAt = now, CreatedBy = step.By, UpdatedAt = now, UpdatedBy = step.By,
            }, true);
        }

        if (step.IfMatch is null)
            throw new ReportRefusedException(428, "Báo cáo đã tồn tại: hãy gửi kèm phiên bản đang sửa (tiêu đề If-Match với ETag nhận được khi tải báo cáo).");
        ThrowIfStale(step.IfMatch, report);
        ThrowIfLocked(target, state.Lock);
        report.EnsureEditable();
        return (report, false);
    }

    /// <summary>The level above returns a counted report with a reason: it leaves the roll-ups until it is resubmitted.</summary>
    public async Task<Report> ReturnAsync(ReportStep step, string reason, CancellationToken ct)
    {
        var report = await ExistingAsync(step, ct);
        report.EnsureCanReturn();
        var now = clock.GetUtcNow();
        var values = report.CurrentValues();
        var path = PathOf(report, step.Target);
        await using var transaction = await db.BeginRollupChangeAsync(report.Period, ct);
        // After the closing lock: a closing that froze this report a moment ago is seen, and refuses the return.
        if (step.Target.Unit.ParentCode is { } above) await ClosingLock.ShareAsync(db, above, report.Period, ct);
        await ThrowIfLockedAsync(step.Target, ct);
        report.Return(reason, step.By, now);
        db.AddOutboxMessage(new ReportReturned
        {
            ReportId = report.Id, OrgUnitCode = report.OrgUnitCode, ReportsToCode = report.ReportsToCode, Period = report.Period,
            Reason = reason, ReturnedBy = step.By, OccurredAt = now,
        });
        if (path.Count > 0) db.AddOutboxMessage(new RollupChanged { Period = report.Period, OrgUnitCodes = [.. path], OccurredAt = now });
        await SaveChangesAsync(ct);
        // Subtracts along the path the submission added to, in the same transaction as the status change.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await db.ApplyAsync(report.Period, path, values, -1, ct);
        if (path.Count > 0) ReportingMetrics.RollupWritten(started, add: false);
        // A report that came after the close at the level above left its figures in that level's consolidated draft.
        if (!report.Consolidated && step.Target.Unit.ParentCode is { } parent
            && await db.Closings.AsNoTracking().Where(c => c.OrgUnitCode == parent && c.Period == report.Period).Select(c => (DateTimeOffset?)c.ClosedAt).FirstOrDefaultAsync(ct) is { } closedAt
            && report.SubmittedAt > closedAt)
        {
            await AdjustConsolidatedAsync(parent, step.Target, await db.VersionAsync(report.CatalogueVersion, ct), values, -1, now, ct);
        }
        await transaction.CommitAsync(ct);
        ReportingMetrics.Returned();
        return report;
    }

    /// <summary>
    /// The level above accepts a submitted report. No number changes (it already counts); the message carries the
    /// unit's values as its roll-up shows them now (computed ratios included), which Classification scores the year on.
    /// </summary>
    public async Task<Report> AcceptAsync(ReportStep step, CancellationToken ct)
    {
        var report = await ExistingAsync(step, ct);
        var now = clock.GetUtcNow();
        report.Accept(step.By, now);
        var target = step.Target;
        var catalogue = await db.InForceAsync(ct);
        var children = await db.ChildrenAsOfAsync(target.Unit.Code, target.HierarchyDate, ct);
        var aggregate = await db.AggregateAsync(catalogue, target.Period, target.Unit.Code, children, ct);
        db.AddOutboxMessage(new ReportAccepted
        {
            ReportId = report.Id, OrgUnitCode = report.OrgUnitCode, ReportsToCode = report.ReportsToCode, Period = report.Period,
            AcceptedBy = step.By, OccurredAt = now,
            Values = aggregate.ToDictionary(a => a.Key, a => a.Value.Value, StringComparer.Ordinal),
        });
        await SaveChangesAsync(ct);
        ReportingMetrics.Accepted();
        return report;
    }

    /// <summary>
    /// Reopening (mở lại) by the level above after the period closed at it: the unit's report, frozen by the closing as
    /// submitted or accepted, goes back to the unit to be corrected and resubmitted. Audited with its reason, on the
    /// report's history and on the closing. Answers the closing level and the report (none when the unit never wrote one).
    /// </summary>
    public async Task<(PeriodClosing Closing, Report? Report, DateTimeOffset At)> ReopenAsync(ReportStep step, string reason, CancellationToken ct)
    {
        var target = step.Target;
        var code = target.Unit.Code;
        var parent = target.Unit.ParentCode;
        var closing = await db.Closings.AsNoTracking().FirstOrDefaultAsync(c => c.OrgUnitCode == parent && c.Period == target.Period.Code, ct)
            ?? throw new ReportStateException($"Kỳ {target.Period.Title.ToLowerInvariant()} chưa khóa sổ tại cấp trên của {target.Unit.Name}; không cần mở lại.");
        var child = await db.ClosingChildren.FirstOrDefaultAsync(c => c.ClosingId == closing.Id && c.ChildCode == code, ct)
            ?? throw new ReportStateException($"{target.Unit.Name} ({code}) không có trong danh sách đơn vị khi khóa sổ.");
        if (child.ReopenedAt is { } at)
            throw new ReportStateException($"Kỳ báo cáo đã được mở lại cho {target.Unit.Name} lúc {VietnamTime.Timestamp(at)} bởi {child.ReopenedBy}.");

        var now = clock.GetUtcNow();
        child.ReopenedAt = now;
        child.ReopenedBy = step.By;
        child.ReopenReason = reason;
        var report = await db.Reports.Include(r => r.Values).FirstOrDefaultAsync(r => r.OrgUnitCode == code && r.Period == target.Period.Code, ct);
        await using var transaction = await db.BeginRollupChangeAsync(target.Period.Code, ct);
        var counted = report?.CountsInRollup == true;
        var values = report?.CurrentValues() ?? new Dictionary<string, decimal>();
        var path = report is null ? [] : PathOf(report, target);
        if (report is not null)
        {
            report.Reopen(reason, step.By, now);
            if (counted)
            {
                db.AddOutboxMessage(new ReportReturned
                {
                    ReportId = report.Id, OrgUnitCode = code, ReportsToCode = report.ReportsToCode, Period = report.Period,
                    Reason = reason, ReturnedBy = step.By, OccurredAt = now,
                });
                if (path.Count > 0) db.AddOutboxMessage(new RollupChanged { Period = report.Period, OrgUnitCodes = [.. path], OccurredAt = now });
            }
        }

        await SaveChangesAsync(ct);
        if (counted) await db.ApplyAsync(target.Period.Code, path, values, -1, ct);
        await transaction.CommitAsync(ct);
        return (closing, report, now);
    }

    /// <summary>
    /// The closing's step: the unit's own report becomes its consolidated draft, pre-filled with the totals plus what
    /// the unit typed for its own work (<paramref name="prefill"/> is given those); a report already submitted or
    /// accepted is left as it is. Runs inside the closing's transaction; the caller saves.
    /// </summary>
    public async Task<Report?> ConsolidateAsync(string unit, string period, Catalogue catalogue,
        Func<IReadOnlyDictionary<string, decimal>, IReadOnlyDictionary<string, decimal?>> prefill, DateTimeOffset at, CancellationToken ct)
    {
        var report = await db.Reports.Include(r => r.Values).FirstOrDefaultAsync(r => r.OrgUnitCode == unit && r.Period == period, ct);
        if (report is { IsEditable: false }) return report;
        report ??= NewReport(unit, period, catalogue, Catalogues.SystemUser, at);
        report.Consolidate(prefill(report.CurrentValues()), catalogue.Version, Catalogues.SystemUser, at);
        return report;
    }

    /// <summary>
    /// Classification's step: the class counts (and safe areas) of the units below fill the unit's annual draft; a
    /// report already submitted or accepted waits until it is returned (answers false). The caller saves.
    /// </summary>
    public async Task<bool> FillCountsAsync(string unit, string period, Catalogue catalogue, IReadOnlyDictionary<string, decimal?> values,
        string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var report = await db.Reports.Include(r => r.Values).FirstOrDefaultAsync(r => r.OrgUnitCode == unit && r.Period == period, ct);
        if (report is { IsEditable: false }) return false;
        report ??= NewReport(unit, period, catalogue, by, now);
        report.SaveDraft(values, new Dictionary<string, string?>(), catalogue.Version, by, now);
        return true;
    }

    Report NewReport(string unit, string period, Catalogue catalogue, string by, DateTimeOffset at)
    {
        var report = new Report
        {
            OrgUnitCode = unit, Period = period, CatalogueVersion = catalogue.Version,
            CreatedAt = at, CreatedBy = by, UpdatedAt = at, UpdatedBy = by,
        };
        db.Reports.Add(report);
        return report;
    }

    /// <summary>The report a step acts on: none is a 404; a stale If-Match a 412.</summary>
    async Task<Report> ExistingAsync(ReportStep step, CancellationToken ct)
    {
        var target = step.Target;
        var report = await db.Reports.Include(r => r.Values)
            .FirstOrDefaultAsync(r => r.OrgUnitCode == target.Unit.Code && r.Period == target.Period.Code, ct)
            ?? throw NoReport(target);
        if (step.IfMatch is { } ifMatch) ThrowIfStale(ifMatch, report);
        return report;
    }

    /// <summary>Saves the step's changes; a report changed or created by someone else meanwhile is a 412.</summary>
    async Task SaveChangesAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveReportChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ReportRefusedException(412, "Báo cáo vừa được người khác thay đổi; hãy tải lại báo cáo rồi thực hiện lại.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ReportRefusedException(412, "Báo cáo vừa được người khác tạo; hãy tải lại báo cáo rồi lưu lại thay đổi của bạn.");
        }
    }

    /// <summary>
    /// The rule after closing: a report the closing froze as submitted or accepted can no longer be changed, submitted
    /// again or returned, until the level above reopens it. Reports that were missing, drafts or returned at closing
    /// stay open: they may still be saved and submitted, late.
    /// </summary>
    async Task ThrowIfLockedAsync(PeriodUnit target, CancellationToken ct) =>
        ThrowIfLocked(target, await db.LockOfAsync(target.Unit.Code, target.Period.Code, ct) is { } lockOf ? (lockOf.Closing.OrgUnitCode, lockOf.Closing.ClosedAt) : null);

    static void ThrowIfLocked(PeriodUnit target, (string ClosingUnit, DateTimeOffset ClosedAt)? lockOf)
    {
        if (lockOf is not { } locked) return;
        var level = target.Ancestors.LastOrDefault(a => a.Code == locked.ClosingUnit)?.Name ?? locked.ClosingUnit;
        throw new ReportStateException($"Kỳ {target.Period.Title.ToLowerInvariant()} đã khóa sổ tại {level} lúc {VietnamTime.Timestamp(locked.ClosedAt)}: "
            + "báo cáo này đã được tổng hợp nên không thể sửa, nộp lại hoặc trả lại. Nếu cần điều chỉnh, cấp trên hãy mở lại kỳ báo cáo cho đơn vị (kèm lý do).");
    }

    static ReportRefusedException NoReport(PeriodUnit target) =>
        new(404, $"{target.Unit.Name} ({target.Unit.Code}) chưa có báo cáo {target.Period.Title.ToLowerInvariant()}.");

    static void ThrowIfStale(string ifMatch, Report report)
    {
        if (ifMatch == "*") return;
        var tag = ifMatch.StartsWith("W/", StringComparison.Ordinal) ? ifMatch[2..] : ifMatch;
        tag = tag.Trim('"');
        if (int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version == report.Version) return;
        throw new ReportRefusedException(412,
            $"Báo cáo đã được thay đổi (phiên bản hiện tại {report.Version}, lúc {VietnamTime.Timestamp(report.UpdatedAt)} bởi {report.UpdatedBy}); hãy tải lại trước khi lưu.");
    }

    /// <summary>The cells a counted report is in: none for a consolidated report; otherwise the path its submission added to.</summary>
    static List<string> PathOf(Report report, PeriodUnit target) =>
        report.Consolidated ? [] : report.RollupPath.Count > 0 ? report.RollupPath : target.Path;
}
