namespace Antq.Reporting.Api.Reports;

public enum ReportStatus { Draft, Submitted, Returned, Accepted }

/// <summary>A report's status as the API and the history write it: the one mapping of <see cref="ReportStatus"/> to words.</summary>
public static class ReportStatusNames
{
    /// <summary>No report (the unit has not started one): a closing's <see cref="Closing.Standings.Missing"/>.</summary>
    public const string None = Closing.Standings.Missing;

    public static string Of(ReportStatus status) => status switch
    {
        ReportStatus.Draft => "draft",
        ReportStatus.Submitted => "submitted",
        ReportStatus.Returned => "returned",
        ReportStatus.Accepted => "accepted",
        _ => status.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// One unit's report for one period (báo cáo sơ kết 6 tháng / tổng kết năm): its values, narrative, lifecycle and the
/// record of every change. Only submitted and accepted reports count in roll-ups.
/// </summary>
public sealed class Report
{
    /// <summary>Time-ordered (version 7), so that new reports and their values land at the end of their indexes.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string OrgUnitCode { get; set; }

    /// <summary>The period code, <c>2026-H1</c> or <c>2026-Y</c>.</summary>
    public required string Period { get; set; }

    /// <summary>The catalogue version the report was last validated against; a newer catalogue never rewrites it.</summary>
    public required string CatalogueVersion { get; set; }

    public ReportStatus Status { get; set; } = ReportStatus.Draft;

    /// <summary>Increases with every change; the ETag of the report.</summary>
    public int Version { get; set; } = 1;

    public List<ReportValue> Values { get; set; } = [];

    /// <summary>Narrative sections by code (TINH_HINH, KET_QUA, …), stored exactly as written.</summary>
    public Dictionary<string, string> Narrative { get; set; } = new();

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public string? SubmittedBy { get; set; }

    /// <summary>The deadline that bound the report when it was submitted (hạn nộp); null when no plan set one.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>Whether the last submission arrived before its deadline; late reports are accepted and counted, and marked.</summary>
    public bool? OnTime { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    public string? ReturnReason { get; set; }

    /// <summary>The report's history, one change set per step (a save with each value's old and new, a submission, …).</summary>
    public List<ReportChange> Changes { get; set; } = [];

    /// <summary>
    /// The unit and its ancestors (root first) whose roll-ups the last submission added to. A return subtracts along
    /// exactly this path, so the cells stay exact even if the copy of the tree is corrected in between.
    /// </summary>
    public List<string> RollupPath { get; set; } = [];

    /// <summary>The unit the report goes to (the parent at the period's hierarchy date) when it was last submitted.</summary>
    public string? ReportsToCode { get; set; }

    /// <summary>
    /// The unit's consolidated report (báo cáo tổng hợp), made by closing the period at the unit: its numbers are the
    /// totals of the unit's area, pre-filled from the roll-up. The reports below it are already in the cells, so a
    /// consolidated report never adds to them; submitting it reports the unit to the level above.
    /// </summary>
    public bool Consolidated { get; set; }

    public bool CountsInRollup => Status is ReportStatus.Submitted or ReportStatus.Accepted;

    public bool IsEditable => Status is ReportStatus.Draft or ReportStatus.Returned;

    public IReadOnlyDictionary<string, decimal> CurrentValues() =>
        Values.Where(v => v.Value is not null).ToDictionary(v => v.Indicator, v => v.Value!.Value, StringComparer.Ordinal);

    // The rules of the report's life, one per step: which statuses allow it, and what the user reads when not.
    // Draft and Returned are editable and may be submitted; Submitted may be returned or accepted; Accepted may be
    // returned (or reopened after a close). Every step below checks its rule first.

    /// <summary>A save is allowed on a draft or a returned report.</summary>
    public void EnsureEditable()
    {
        if (!IsEditable) throw new ReportStateException(Status == ReportStatus.Accepted
            ? "Báo cáo đã được tiếp nhận, không thể sửa."
            : "Báo cáo đã nộp, không thể sửa. Nếu cần sửa, đề nghị cấp trên trả lại báo cáo.");
    }

    /// <summary>A submission is allowed on a draft or a returned report.</summary>
    public void EnsureCanSubmit()
    {
        if (!IsEditable) throw new ReportStateException(Status == ReportStatus.Accepted
            ? "Báo cáo đã được tiếp nhận."
            : "Báo cáo đã được nộp và đang chờ cấp trên tiếp nhận.");
    }

    /// <summary>A return is allowed on a counted report (submitted or accepted).</summary>
    public void EnsureCanReturn()
    {
        if (!CountsInRollup) throw new ReportStateException("Chỉ trả lại được báo cáo đã nộp.");
    }

    /// <summary>An acceptance is allowed on a submitted report.</summary>
    public void EnsureCanAccept()
    {
        if (Status != ReportStatus.Submitted)
            throw new ReportStateException(Status == ReportStatus.Accepted ? "Báo cáo đã được tiếp nhận." : "Chỉ tiếp nhận được báo cáo đã nộp.");
    }

    /// <summary>Saves values and narrative (a partial save leaves the rest alone; a null value clears it), recording each change.</summary>
    public void SaveDraft(IReadOnlyDictionary<string, decimal?> values, IReadOnlyDictionary<string, string?> narrative,
        string catalogueVersion, string by, DateTimeOffset at)
    {
        EnsureEditable();

        var items = new List<ReportChangeItem>();
        foreach (var (code, value) in values)
        {
            var existing = Values.FirstOrDefault(v => v.Indicator == code);
            var old = existing?.Value;
            if (old == value) continue;
            if (existing is null) Values.Add(new ReportValue { ReportId = Id, Indicator = code, Value = value });
            else existing.Value = value;
            items.Add(ReportChangeItem.Value(code, old, value));
        }

        foreach (var (section, text) in narrative)
        {
            Narrative.TryGetValue(section, out var old);
            if (old == text) continue;
            if (text is null) Narrative.Remove(section);
            else Narrative[section] = text;
            items.Add(ReportChangeItem.Narrative(section, old, text));
        }

        if (items.Count > 0) Changes.Add(ReportChange.Saved(Id, items, by, at));
        CatalogueVersion = catalogueVersion;
        Touch(by, at);
    }

    public void Submit(string by, DateTimeOffset at, DateTimeOffset? dueAt)
    {
        EnsureCanSubmit();
        Status = ReportStatus.Submitted;
        SubmittedAt = at;
        SubmittedBy = by;
        DueAt = dueAt;
        OnTime = dueAt is not { } due || DueDate.IsOnTime(at, due);
        ReturnReason = null;
        DecidedAt = null;
        DecidedBy = null;
        Changes.Add(ReportChange.Lifecycle(Id, ReportStatusNames.Of(ReportStatus.Submitted), OnTime == false ? "nộp muộn" : null, by, at));
        Touch(by, at);
    }

    /// <summary>Reopening by the level above after closing (audited with its reason); a counted report goes back to its sender.</summary>
    public void Reopen(string reason, string by, DateTimeOffset at)
    {
        Changes.Add(ReportChange.Lifecycle(Id, "reopened", reason, by, at));
        if (CountsInRollup) Return(reason, by, at);
        else Touch(by, at);
    }

    /// <summary>Turns the report into the unit's consolidated report, pre-filled by the closing (audited).</summary>
    public void Consolidate(IReadOnlyDictionary<string, decimal?> values, string catalogueVersion, string by, DateTimeOffset at)
    {
        Consolidated = true;
        Changes.Add(ReportChange.Lifecycle(Id, "consolidated", "Số liệu điền sẵn từ tổng hợp khi khóa sổ", by, at));
        SaveDraft(values, new Dictionary<string, string?>(), catalogueVersion, by, at);
    }

    public void Return(string reason, string by, DateTimeOffset at)
    {
        EnsureCanReturn();
        Status = ReportStatus.Returned;
        ReturnReason = reason;
        DecidedAt = at;
        DecidedBy = by;
        Changes.Add(ReportChange.Lifecycle(Id, ReportStatusNames.Of(ReportStatus.Returned), reason, by, at));
        Touch(by, at);
    }

    public void Accept(string by, DateTimeOffset at)
    {
        EnsureCanAccept();
        Status = ReportStatus.Accepted;
        DecidedAt = at;
        DecidedBy = by;
        Changes.Add(ReportChange.Lifecycle(Id, ReportStatusNames.Of(ReportStatus.Accepted), null, by, at));
        Touch(by, at);
    }

    void Touch(string by, DateTimeOffset at)
    {
        UpdatedAt = at;
        UpdatedBy = by;
        Version++;
    }
}

public sealed class ReportValue
{
    public Guid ReportId { get; set; }

    public required string Indicator { get; set; }

    /// <summary>The value; a yes/no indicator is 1 or 0. Null: not given (missing, not zero).</summary>
    public decimal? Value { get; set; }
}

/// <summary>
/// One change set of a report's history (nhật ký): a save, with each changed value's and narrative section's old and
/// new (<see cref="Items"/>), or a lifecycle step (<c>submitted</c>, <c>returned</c>, <c>accepted</c>,
/// <c>reopened</c>, <c>consolidated</c>) with its detail (the reason, "nộp muộn"). Who and when for the whole set.
/// </summary>
public sealed class ReportChange
{
    public const string SavedAction = "saved";

    public long Id { get; set; }

    public Guid ReportId { get; set; }

    public required string Action { get; set; }

    public string? Detail { get; set; }

    public List<ReportChangeItem> Items { get; set; } = [];

    public required string By { get; set; }

    public DateTimeOffset At { get; set; }

    public static ReportChange Saved(Guid report, List<ReportChangeItem> items, string by, DateTimeOffset at) => new()
    {
        ReportId = report, Action = SavedAction, Items = items, By = by, At = at,
    };

    public static ReportChange Lifecycle(Guid report, string action, string? detail, string by, DateTimeOffset at) => new()
    {
        ReportId = report, Action = action, Detail = detail, By = by, At = at,
    };

    /// <summary>The lines of the history this change set stands for: one per changed field of a save, one for a step.</summary>
    public IEnumerable<(string Action, string? Field, string? OldValue, string? NewValue)> Lines() =>
        Action == SavedAction
            ? Items.Select(i => (i.Kind, (string?)i.Field, i.Old, i.New))
            : [(Action, null, null, Detail)];
}

/// <summary>One changed field of a save: a value (<c>value</c>, invariant number text) or a narrative section (<c>narrative</c>).</summary>
public sealed record ReportChangeItem(string Kind, string Field, string? Old, string? New)
{
    public static ReportChangeItem Value(string code, decimal? old, decimal? value) => new("value", code,
        old?.ToString(System.Globalization.CultureInfo.InvariantCulture), value?.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static ReportChangeItem Narrative(string section, string? old, string? text) => new("narrative", section, old, text);
}

/// <summary>A lifecycle step that the report's state does not allow (409); the message is for the user.</summary>
public sealed class ReportStateException(string message) : Exception(message);

/// <summary>
/// A step refused for another reason than the report's state: no report (404), a stale or missing version (412, 428),
/// values that break the catalogue's rules (400, with the errors by code). The message is for the user.
/// </summary>
public sealed class ReportRefusedException(int status, string message, IReadOnlyDictionary<string, List<string>>? errors = null) : Exception(message)
{
    public int Status { get; } = status;

    public IReadOnlyDictionary<string, List<string>>? Errors { get; } = errors;
}
