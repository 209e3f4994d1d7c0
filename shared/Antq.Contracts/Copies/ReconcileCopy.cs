namespace Antq.Contracts.Copies;

/// <summary>
/// Command to the service that owns the source of a copy (the Plan service for the unit tree, deadlines and plans; the
/// Identity service for recipients): here is a digest of my copy, re-publish whatever differs. The keys of a copy are
/// spread over <see cref="BucketCount"/> buckets by a hash of the key; each bucket is summed up by its number of rows and
/// a sum of hashes of (key, version). The source computes the same digest of its own rows, and re-publishes, through its
/// outbox and as its ordinary events, every row of each bucket that differs: a copy that missed a message anywhere in
/// its history (not only the newest) gets it again; rows it already has change nothing.
/// </summary>
public sealed record ReconcileCopy
{
    /// <summary>Which copy: <c>unit-tree</c>, <c>deadlines</c>, <c>plans</c>, <c>recipients</c>.</summary>
    public required string Copy { get; init; }

    /// <summary>The asking service's short name, for logs.</summary>
    public required string RequestedBy { get; init; }

    public required int BucketCount { get; init; }

    /// <summary>The copy's non-empty buckets; a bucket not listed holds no row.</summary>
    public required IReadOnlyList<CopyBucketDigest> Buckets { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }
}
