namespace Antq.Contracts.Classification;

/// <summary>
/// A unit's class for a year (phân loại phong trào) was decided or changed: by the approving level's scores, or because
/// its accepted annual report changed a computed criterion. <see cref="Class"/> is null when the class was withdrawn
/// (an approved score was cleared).
/// </summary>
public sealed record UnitClassified
{
    public required string OrgUnitCode { get; init; }

    /// <summary>The approving level: the parent at the year's hierarchy date.</summary>
    public string? ParentCode { get; init; }

    public required int Year { get; init; }

    /// <summary>XuatSac, Kha, TrungBinh or Yeu; null when no longer classified.</summary>
    public string? Class { get; init; }

    /// <summary>The class in Vietnamese (Xuất sắc, Khá, Trung bình, Yếu); null with <see cref="Class"/>.</summary>
    public string? ClassName { get; init; }

    public string? PreviousClass { get; init; }

    /// <summary>The approved total out of 100.</summary>
    public decimal? Total { get; init; }

    public required Guid ScoreSheetId { get; init; }

    public required int ScoreSheetVersion { get; init; }

    /// <summary>True when the sheet was the system's default, not yet confirmed by an administrator.</summary>
    public required bool ScoreSheetIsDefault { get; init; }

    /// <summary>User name of the approver, or "báo cáo tổng kết năm" when a changed report moved the class.</summary>
    public required string DecidedBy { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
