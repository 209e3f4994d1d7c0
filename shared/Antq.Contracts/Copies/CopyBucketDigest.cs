namespace Antq.Contracts.Copies;

/// <summary>One bucket of a copy's digest (<see cref="ReconcileCopy"/>): how many rows, and the sum of their (key, version) hashes.</summary>
public sealed record CopyBucketDigest
{
    public required int Bucket { get; init; }

    public required long Count { get; init; }

    /// <summary>The sum of 48-bit hashes of "key/version" over the bucket's rows.</summary>
    public required decimal Sum { get; init; }
}
