namespace Antq.Reporting.Api.Indicators;

/// <summary>
/// A version of the catalogue as published (the shipped default, or one an administrator published). The newest is in
/// force for reports saved from then on; a report keeps the version it was saved under.
/// </summary>
public sealed class PublishedCatalogue
{
    /// <summary>Publication order; the highest is in force.</summary>
    public long Sequence { get; set; }

    public required string Version { get; set; }

    /// <summary>The catalogue as JSON (<see cref="Catalogue.ToJson"/>).</summary>
    public required string Json { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    public required string PublishedBy { get; set; }
}
