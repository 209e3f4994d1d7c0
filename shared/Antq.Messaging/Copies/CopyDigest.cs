using Antq.Contracts.Copies;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Antq.Messaging.Copies;

/// <summary>
/// The digest both ends of a copy compute, in PostgreSQL, of the rows a query gives as (<c>key</c> text,
/// <c>version</c> bigint): the keys spread over buckets by an MD5 of the key, each bucket summed up by its count and the
/// sum of a 48-bit MD5 of "key/version". MD5 rather than PostgreSQL's internal hash: the copy and its source may run
/// on different servers and versions, and must agree. Cheap: one scan of the copy's keys, no rows on the wire.
/// </summary>
public static class CopyDigest
{
    /// <summary>Buckets a request may name: enough to narrow a few lost messages among a hundred thousand rows.</summary>
    public const int MaxBuckets = 4096;

    const string BucketOf = "(('x' || substr(md5(c.key), 1, 8))::bit(32)::bigint % @bucket_count)::int";
    const string HashOf = "('x' || substr(md5(c.key || '/' || c.version::text), 1, 12))::bit(48)::bigint";

    /// <summary>The non-empty buckets of the rows <paramref name="rowsSql"/> selects (columns <c>key</c>, <c>version</c>; code, never input).</summary>
    public static async Task<List<CopyBucketDigest>> ComputeAsync(DbContext db, string rowsSql, int bucketCount, CancellationToken ct)
    {
        // The rows' query is the code's own constant, never input.
        var sql = $"""
            SELECT {BucketOf} AS "Bucket", count(*) AS "Count", coalesce(sum({HashOf}), 0)::numeric AS "Sum"
            FROM ({rowsSql}) AS c
            GROUP BY 1
            """;
        var rows = await db.Database.SqlQueryRaw<BucketRow>(sql, new NpgsqlParameter("bucket_count", NpgsqlDbType.Integer) { Value = Clamp(bucketCount) }).ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Bucket).Select(r => new CopyBucketDigest { Bucket = r.Bucket, Count = r.Count, Sum = r.Sum })];
    }

    /// <summary>The keys of the rows in <paramref name="buckets"/>.</summary>
    public static async Task<List<string>> KeysInAsync(DbContext db, string rowsSql, int bucketCount, IReadOnlyCollection<int> buckets, CancellationToken ct)
    {
        if (buckets.Count == 0) return [];
        var sql = $"""SELECT c.key AS "Value" FROM ({rowsSql}) AS c WHERE {BucketOf} = ANY(@buckets)""";
        return await db.Database.SqlQueryRaw<string>(sql,
            new NpgsqlParameter("bucket_count", NpgsqlDbType.Integer) { Value = Clamp(bucketCount) },
            new NpgsqlParameter("buckets", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = buckets.ToArray() }).ToListAsync(ct);
    }

    /// <summary>The buckets whose count or sum differ between the two digests (a bucket missing from one is empty there).</summary>
    public static List<int> Differing(IEnumerable<CopyBucketDigest> copy, IEnumerable<CopyBucketDigest> source)
    {
        var ours = copy.GroupBy(b => b.Bucket).ToDictionary(g => g.Key, g => g.First());
        var theirs = source.GroupBy(b => b.Bucket).ToDictionary(g => g.Key, g => g.First());
        return [.. ours.Keys.Union(theirs.Keys).Where(b =>
        {
            ours.TryGetValue(b, out var mine);
            theirs.TryGetValue(b, out var other);
            return (mine?.Count ?? 0) != (other?.Count ?? 0) || (mine?.Sum ?? 0) != (other?.Sum ?? 0);
        }).Order()];
    }

    /// <summary>
    /// At the source: the keys of every source row in a bucket where the copy's digest (<paramref name="request"/>)
    /// differs from the source's own over <paramref name="rowsSql"/>. Re-publishing them makes the copy equal, but for
    /// rows it has that the source no longer has (sources here never delete: a unit version is closed, a deadline withdrawn).
    /// </summary>
    public static async Task<(List<int> Buckets, List<string> Keys)> DifferingKeysAsync(DbContext db, ReconcileCopy request, string rowsSql, CancellationToken ct)
    {
        var bucketCount = Clamp(request.BucketCount);
        var source = await ComputeAsync(db, rowsSql, bucketCount, ct);
        var buckets = Differing(request.Buckets, source);
        return (buckets, await KeysInAsync(db, rowsSql, bucketCount, buckets, ct));
    }

    static int Clamp(int bucketCount) => Math.Clamp(bucketCount, 1, MaxBuckets);

    sealed class BucketRow
    {
        public int Bucket { get; set; }
        public long Count { get; set; }
        public decimal Sum { get; set; }
    }
}
