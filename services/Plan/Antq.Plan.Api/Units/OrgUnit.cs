namespace Antq.Plan.Api.Units;

/// <summary>
/// One version of a unit (đơn vị): its code, name, kind and parent during [<see cref="ValidFrom"/>, <see cref="ValidTo"/>).
/// The same code may name different units in different intervals (codes were reused in the 2025 reform), so a unit is
/// named by its code and a date. The parent is named by code too and resolves to that code's version valid on the same date.
/// </summary>
public sealed class OrgUnit
{
    public Guid Id { get; set; }

    /// <summary>Official code (mã), e.g. "38" for a province, "00004" for a commune, "BCA" for the Ministry.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    /// <summary>The name without diacritics, lower case (<see cref="VietnameseText.Normalize"/>), for search.</summary>
    public required string NormalizedName { get; set; }

    public OrgUnitKind Kind { get; set; }

    /// <summary>xã / phường / đặc khu / thị trấn, for communes only.</summary>
    public CommuneKind? CommuneKind { get; set; }

    /// <summary>Code of the parent, null only for the root (BCA).</summary>
    public string? ParentCode { get; set; }

    public DateOnly ValidFrom { get; set; }

    /// <summary>First day the version is no longer valid; null while it is.</summary>
    public DateOnly? ValidTo { get; set; }

    /// <summary>The change (sequence number of the <c>OrgUnitsChanged</c> batch) that last wrote this version.</summary>
    public long ChangeSequence { get; set; }

    public bool IsValidAt(DateOnly date) => ValidFrom <= date && (ValidTo is null || date < ValidTo);
}

/// <summary>A link from a unit formed in a merge to one it was formed from (sáp nhập): whole, or part of it.</summary>
public sealed class OrgUnitPredecessor
{
    public Guid SuccessorId { get; set; }

    public Guid PredecessorId { get; set; }

    /// <summary>Only part of the predecessor went into the successor ("một phần diện tích", "phần còn lại").</summary>
    public bool Partial { get; set; }
}
