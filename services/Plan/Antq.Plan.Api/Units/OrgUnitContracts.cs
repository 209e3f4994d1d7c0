using Microsoft.AspNetCore.Mvc;

namespace Antq.Plan.Api.Units;

/// <summary>A unit and the date its tree is read at (<c>asOf</c>, dd/MM/yyyy or yyyy-MM-dd; today if not given).</summary>
public sealed record UnitAsOf([FromRoute(Name = "code")] string Code, [FromQuery(Name = "asOf")] string? AsOf);

/// <summary>A search of units by name: the text (<c>search</c>, at least 2 characters), the date, the kind, at most <c>limit</c> units (1–500, 50 if not given).</summary>
public sealed record UnitSearchQuery(
    [FromQuery(Name = "search")] string? Search,
    [FromQuery(Name = "asOf")] string? AsOf,
    [FromQuery(Name = "kind")] string? Kind,
    [FromQuery(Name = "limit")] int? Limit);

public sealed record OrgUnitSummary(string Code, string Name, string Kind)
{
    public static OrgUnitSummary From(OrgUnit unit) => new(unit.Code, unit.Name, unit.Kind.ToString());
}

/// <param name="Path">From the root (BCA) down to the parent, as of the date asked; only on single-unit reads.</param>
public sealed record OrgUnitResponse(
    Guid Id, string Code, string Name, string Kind, string? CommuneKind, string? ParentCode,
    DateOnly ValidFrom, DateOnly? ValidTo, IReadOnlyList<OrgUnitSummary>? Path)
{
    public static OrgUnitResponse From(OrgUnit unit, IReadOnlyList<OrgUnitSummary>? path) =>
        new(unit.Id, unit.Code, unit.Name, unit.Kind.ToString(), unit.CommuneKind?.ToString(), unit.ParentCode, unit.ValidFrom, unit.ValidTo, path);
}

public sealed record ChildrenResponse(OrgUnitResponse Unit, DateOnly AsOf, IReadOnlyList<OrgUnitResponse> Children);

public sealed record SearchResponse(string Search, DateOnly AsOf, IReadOnlyList<OrgUnitResponse> Units);

public sealed record LineageEntry(Guid Id, string Code, string Name, string Kind, DateOnly ValidFrom, DateOnly? ValidTo, bool Partial)
{
    public static LineageEntry From(OrgUnit unit, bool partial) =>
        new(unit.Id, unit.Code, unit.Name, unit.Kind.ToString(), unit.ValidFrom, unit.ValidTo, partial);
}

public sealed record LineageResponse(OrgUnitResponse Unit, IReadOnlyList<LineageEntry> Predecessors, IReadOnlyList<LineageEntry> Successors);

/// <param name="ValidFrom">YYYY-MM-DD; default today (Vietnam time).</param>
public sealed record CreateOrgUnitRequest(string? Code, string? Name, string? Kind, string? ParentCode, string? ValidFrom);

public sealed record ImportResponse(
    string Format, DateOnly EffectiveFrom, int UnitsInFile, int Created, int Closed, int Unchanged,
    IReadOnlyDictionary<string, ImportCounts> ByKind, long ElapsedMilliseconds);

public sealed record MergeImportResponse(
    DateOnly EffectiveFrom, int Lines, int Links, int PartialLinks,
    int WholePredecessorsNamed, int WholePredecessorsResolved, double WholeResolutionPercent,
    int PartialPredecessorsNamed, int PartialPredecessorsResolved,
    IReadOnlyList<UnresolvedPredecessor> Unresolved, IReadOnlyList<string> MissingSuccessors);
