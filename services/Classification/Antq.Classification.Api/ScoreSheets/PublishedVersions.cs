namespace Antq.Classification.Api.ScoreSheets;

/// <summary>One published version of a year's score sheet for a kind of unit. Results keep the version they were scored on.</summary>
public sealed class ScoreSheetVersion
{
    public Guid Id { get; set; }
    public int Year { get; set; }
    public required string SubjectKind { get; set; }
    public int Version { get; set; }
    public bool IsDefault { get; set; }
    public required ScoreSheet Sheet { get; set; }
    public required string PublishedBy { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>One published version of a year's safe-standard criteria for a kind of unit.</summary>
public sealed class SafeStandardVersion
{
    public Guid Id { get; set; }
    public int Year { get; set; }
    public required string SubjectKind { get; set; }
    public int Version { get; set; }
    public bool IsDefault { get; set; }
    public required SafeStandard Standard { get; set; }
    public required string PublishedBy { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
}
