namespace Antq.Messaging.Copies;

/// <summary>Settings of the copies' healing (configuration section <c>Copies</c>).</summary>
public sealed class CopyHealingOptions
{
    public const string Section = "Copies";

    /// <summary>Off only for tests that feed a copy by hand and must not have the source's rows come in.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often each copy compares itself with its source, besides once at start. A lost message (a queue deleted, a
    /// consumer's message dead-lettered and discarded, a database restored from an older backup) is healed within this.
    /// Each round costs one scan of each copy here and of its source there.
    /// </summary>
    [Antq.Settings.Positive]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Buckets of the digest: more narrows what a difference re-publishes, at a longer request.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, CopyDigest.MaxBuckets, ErrorMessage = "must be from {1} to {2}")]
    public int Buckets { get; set; } = 256;
}
