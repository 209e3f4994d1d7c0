namespace Antq.Plan.Api.PlanText;

/// <summary>Where in the plan's text a value was read: offsets into the text as it was given, and the raw snippet.</summary>
public sealed record TextSpan(int Start, int Length, string Snippet);

/// <summary>A value read from the text, with the span it came from.</summary>
public sealed record Found<T>(T Value, TextSpan Span);

/// <summary>The level of government of the body that issued a plan (cấp tỉnh / cấp huyện / cấp xã).</summary>
public enum IssuerLevel
{
    Province,
    District,
    Commune,
}

/// <summary>
/// A numeric target (chỉ tiêu) read from the text, mapped to a catalogue indicator.
/// <paramref name="Comparator"/> is one of <c>&gt;</c>, <c>&gt;=</c>, <c>=</c>, <c>&lt;=</c>, <c>&lt;</c>;
/// <paramref name="Scope"/> is null unless the text says the target applies to each unit ("each commune").
/// </summary>
public sealed record DraftTarget(string Indicator, string Comparator, decimal Value, string? Scope, string Text, TextSpan Span);

/// <summary>An indicator of the catalogue as the reader needs it: code, Vietnamese name, unit ("%" for rates).</summary>
public sealed record CatalogueIndicator(string Code, string Name, string Unit)
{
    public bool IsRate => Unit.Trim() == "%";
}

/// <summary>
/// What a reader found in a plan's text (Kế hoạch), for a person to correct before it is issued. Everything not
/// found is null or empty: the reader never fills a field it did not read.
/// </summary>
public sealed record PlanDraft
{
    /// <summary>The plan's own number, e.g. "Kế hoạch số 12/KH-BCĐ".</summary>
    public Found<string>? Number { get; init; }

    public Found<DateOnly>? IssuedOn { get; init; }

    /// <summary>The place the date line names ("Nghĩa Sơn, ngày 15 tháng 01 năm 2025" → "Nghĩa Sơn").</summary>
    public Found<string>? Place { get; init; }

    public Found<string>? IssuerName { get; init; }

    public Found<IssuerLevel>? IssuerLevel { get; init; }

    public Found<int>? Year { get; init; }

    /// <summary>The plans, programmes and resolutions this plan implements, as cited in its opening paragraph.</summary>
    public IReadOnlyList<Found<string>> ParentReferences { get; init; } = [];

    /// <summary>Report deadlines per period code ("2024-H1", "2024-Y"): the day named after "trước ngày".</summary>
    public IReadOnlyDictionary<string, Found<DateOnly>> Deadlines { get; init; } = new Dictionary<string, Found<DateOnly>>();

    /// <summary>The day before which the units below must send their implementing plans.</summary>
    public Found<DateOnly>? ImplementingPlansDue { get; init; }

    /// <summary>Where the periodic reports go, as the reporting paragraph says.</summary>
    public Found<string>? ReportTo { get; init; }

    public IReadOnlyList<DraftTarget> Targets { get; init; } = [];
}
