using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;

namespace Antq.Gateway.IntegrationTests;

/// <summary>Keeps every finished span in memory, safely from any thread.</summary>
public sealed class SpanCollector : BaseExporter<Activity>
{
    readonly ConcurrentQueue<Activity> spans = new();

    public IReadOnlyList<Activity> Spans => spans.ToArray();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch) spans.Enqueue(activity);
        return ExportResult.Success;
    }
}
