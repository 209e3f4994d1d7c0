using System.Text.Json;

namespace Antq.Portal.Api;

// The shapes of the public API that the portal reads (see ARCHITECTURE.md, "Public API"). Unknown fields are ignored.

public sealed record OrgUnitSummary(string Code, string Name, string Kind);

public sealed record OrgUnit(string Code, string Name, string Kind, string? CommuneKind, string? ParentCode,
    DateOnly ValidFrom, DateOnly? ValidTo, IReadOnlyList<OrgUnitSummary>? Path);

public sealed record OrgUnitChildren(OrgUnit Unit, DateOnly AsOf, IReadOnlyList<OrgUnit> Children);

public sealed record Deadline(string OrgUnitCode, string Period, DateTimeOffset DueAt, Guid? PlanId, bool Derived, string? ReportsToCode, string? Display);

// The catalogue (GET /api/indicators) is read as Antq.Indicators.Catalogue, the type the Reporting service judges reports with.

public sealed record OrgUnitRef(string Code, string Name);

public sealed record ReportHistoryEntry(string Action, string? Field, string? OldValue, string? NewValue, string By, DateTimeOffset At);

public sealed record Report(
    Guid Id, OrgUnitRef OrgUnit, string Period, string Status, int Version, string CatalogueVersion,
    Dictionary<string, JsonElement>? Values, Dictionary<string, string>? Narrative,
    string? CreatedBy, DateTimeOffset CreatedAt, string? UpdatedBy, DateTimeOffset UpdatedAt,
    string? SubmittedBy, DateTimeOffset? SubmittedAt, DateTimeOffset? DueAt, bool? OnTime, string? ReportsToCode,
    string? DecidedBy, DateTimeOffset? DecidedAt, string? ReturnReason, IReadOnlyList<ReportHistoryEntry>? History);

public sealed record RollupValue(decimal? Value, int Reports);

public sealed record Completeness(int Expected, int Submitted, int Accepted, int OnTime, int Late, int Missing);

public sealed record Rollup(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, string CatalogueVersion,
    Dictionary<string, RollupValue> Values, Completeness Completeness);

public sealed record ChildRow(string Code, string Name, string Status, DateTimeOffset? SubmittedAt, bool? OnTime, DateTimeOffset? DueAt);

public sealed record ChildrenRollup(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, IReadOnlyList<ChildRow> Children);

/// <summary>One indicator at each unit directly below (getRollupChildrenIndicator), for the bars across units.</summary>
public sealed record ChildIndicatorValue(string Code, string Name, decimal? Value, int Reports);

public sealed record ChildrenIndicator(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, string CatalogueVersion, string Indicator,
    string IndicatorName, string Unit, IReadOnlyList<ChildIndicatorValue> Children);

public sealed record MappedPredecessor(string Code, string Name, bool Partial);

/// <summary>An old period re-expressed on the unit valid at <see cref="MappedTo"/> (getRollup with mapTo): approximate when a predecessor went in only in part.</summary>
public sealed record MappedRollup(OrgUnitRef OrgUnit, string Period, DateOnly HierarchyDate, Dictionary<string, RollupValue> Values, DateOnly MappedTo,
    IReadOnlyList<MappedPredecessor>? Predecessors, bool Approximate, string? Note);

public sealed record Target(string Indicator, string Comparator, decimal Value, string Scope);

public sealed record Plan(Guid Id, string Number, string Title, DateOnly IssuedOn, string IssuerCode, int Year, string Status,
    string? StatusText, IReadOnlyList<Target>? Targets);

public sealed record PlanList(string? Issuer, int? Year, IReadOnlyList<Plan> Plans);

public sealed record Notice(JsonElement Id, string Kind, string? OrgUnitCode, string? Period, string Title, string? Body, DateTimeOffset CreatedAt, bool Read);

/// <summary>How the account wants to be told (Notification's <c>NotificationPreferences</c>): as set (null: default), the defaults, the window applied.</summary>
public sealed record NotificationPreferences(bool InApp, bool Email, string? EmailAddress, string? QuietHours, string? RemindAt, string? DigestWindow,
    string? DefaultQuietHours, string? DefaultRemindAt, string EffectiveDigestWindow, bool UnitHasWebhook, DateTimeOffset? UpdatedAt);

public sealed record NotificationPreferencesRequest(bool InApp, bool Email, string? QuietHours, string? RemindAt, string? DigestWindow);

public sealed record CreateUser(string Username, string Password, string FullName, string Role, string OrgUnitCode, string? Email);

public sealed record UserProfile(Guid Id, string Username, string FullName, string Role, string OrgUnitCode, string? Email, bool Active,
    DateTimeOffset? LockedUntil = null);

public sealed record UserPage(int Page, int PageSize, int Total, IReadOnlyList<UserProfile> Users);

public sealed record ImportCounts(int Created, int Closed, int Unchanged);

public sealed record UnitImport(string Format, DateOnly EffectiveFrom, int UnitsInFile, int Created, int Closed, int Unchanged,
    IReadOnlyDictionary<string, ImportCounts>? ByKind, long ElapsedMilliseconds);

/// <summary>What the plan reader found in a plan's text (POST /api/plans/drafts/from-text); the person corrects it.</summary>
public sealed record PlanDraft(string? Number, DateOnly? IssuedOn, string? IssuerName, string? IssuerLevel, int? Year,
    IReadOnlyList<string> ParentReferences, IReadOnlyDictionary<string, DateOnly> Deadlines, DateOnly? ImplementingPlansDue,
    string? ReportTo, IReadOnlyList<DraftTarget> Targets);

public sealed record DraftTarget(string Indicator, string Comparator, decimal Value, string? Scope, string Text);

public sealed record CascadeUnit(string OrgUnitCode, string Name, string Kind, string Status, string StatusText, Guid? PlanId, string? PlanNumber, DateOnly? IssuedOn);

public sealed record Cascade(Guid PlanId, string IssuerCode, DateOnly? ImplementingPlansDueOn, string? DueDisplay, DateOnly AsOf,
    int Total, int OnTime, int Late, int NotIssued, IReadOnlyList<CascadeUnit> Units);

public sealed record Criterion(string Code, string Name, decimal Max, bool Computed, string? Rule, decimal? Self, decimal? Approved, decimal? ComputedScore);

public sealed record SheetInfo(int Version, bool IsDefault, string? Note, string? ReviewDeadline);

public sealed record Classification(OrgUnitRef OrgUnit, int Year, string SubjectKindName, SheetInfo Sheet, IReadOnlyList<Criterion> Criteria,
    decimal SelfTotal, bool SelfComplete, decimal ApprovedTotal, bool ApprovedComplete, string? Class, string? ClassName,
    IReadOnlyList<string> Missing, string? ApprovedBy, DateTimeOffset? ApprovedAt);

public sealed record ClassCount(string Class, string ClassName, int Count);

public sealed record TargetVerdict(string PlanNumber, string Indicator, string Comparator, decimal Target, bool Judged, decimal? Achieved, bool? Attained, decimal? Gap, string Verdict);

public sealed record SummaryChild(string Code, string Name, string? Class, string? ClassName, bool Registered, bool? Recognised);

public sealed record ClassificationSummary(OrgUnitRef OrgUnit, int Year, int Units, IReadOnlyList<ClassCount> Classes, int Classified, int Unclassified,
    decimal? PctKhaTroLen, IReadOnlyList<TargetVerdict> Targets, IReadOnlyList<SummaryChild> Children);

// The status page (GET /api/status, administrators): the gateway's merge of every service's own status.

public sealed record PlatformStatus(DateTimeOffset CheckedAt, StatusTotals Totals, IReadOnlyList<ServiceStatusEntry> Services,
    IReadOnlyList<RecentClosing>? Closings, IReadOnlyList<FailedDelivery>? FailedDeliveries);

public sealed record StatusTotals(int Services, int Down, int NotReady, long OutboxUnsent, long OutboxParked, double? OldestUnsentAgeSeconds, long DeadLetters);

public sealed record ServiceStatusEntry(string Service, bool Up, bool Ready, string? Reason, int? HttpStatus, string? Version, string? Commit,
    DateTimeOffset? StartedAt, IReadOnlyDictionary<string, string>? Checks, IReadOnlyList<OutboxStatusEntry>? Outboxes, long? DeadLetters,
    IReadOnlyList<BrokerQueueEntry>? Queues, IReadOnlyList<string>? Problems);

public sealed record OutboxStatusEntry(string Outbox, long Unsent, long Parked, DateTimeOffset? OldestUnsentAt, double? OldestUnsentAgeSeconds);

public sealed record BrokerQueueEntry(string Name, long Ready, long Unacknowledged, long Consumers);

public sealed record RecentClosing(string OrgUnitCode, string Period, DateTimeOffset DueAt, DateTimeOffset ClosedAt, int Expected, int OnTime, int Late, int Missing);

public sealed record FailedDelivery(long Id, string Channel, string Recipient, string? OrgUnitCode, string NoticeKind, int Attempts,
    DateTimeOffset? LastAttemptAt, string? LastError);
