using Antq.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using Antq.Messaging.IntegrationTests.Infrastructure;

namespace Antq.Messaging.IntegrationTests;

public sealed class TraceFixture() : HostFixture("trace");

public sealed class TraceTests : IClassFixture<TraceFixture>, IDisposable
{
    static readonly ActivitySource Source = new("Antq.Messaging.IntegrationTests");

    readonly ConcurrentQueue<Activity> stopped = new();
    readonly ActivityListener listener;

    readonly TraceFixture fixture;

    public TraceTests(TraceFixture fixture)
    {
        this.fixture = fixture;
        listener = Listen(stopped);
    }

    static ActivityListener Listen(ConcurrentQueue<Activity> stopped)
    {
        var activityListener = new ActivityListener
        {
            // What a service's telemetry listens to (Telemetry.AddAntqTelemetry): MassTransit and our sources.
            ShouldListenTo = source => source.Name is "MassTransit" or "Antq.Messaging" or "Antq.Messaging.IntegrationTests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(activityListener);
        return activityListener;
    }

    [Fact]
    public async Task The_consumer_continues_the_trace_that_wrote_the_row()
    {
        Guid messageId;
        ActivityTraceId writerTrace;
        using (var request = Source.StartActivity("file report", ActivityKind.Server))
        {
            Assert.NotNull(request);
            writerTrace = request.TraceId;
            messageId = await fixture.Host.WriteAsync(new ReportFiled { ReportId = Guid.NewGuid(), Title = "vết", OccurredAt = DateTimeOffset.UtcNow });
        }

        await Eventually.UntilAsync(() => fixture.Host.Deliveries.Contains(messageId), TimeSpan.FromSeconds(15), "the message is delivered");

        Assert.Equal(writerTrace.ToString(), Assert.Single(fixture.Host.Deliveries.Of(messageId)).TraceId);
        // The hop through the outbox shows in the trace as our own span, a child of the writer's. The span stops when the
        // broker confirms the publish, which can be after the consumer has already received the message: wait for it.
        await Eventually.UntilAsync(
            () => stopped.Any(a => a.Source.Name == "Antq.Messaging" && a.TraceId == writerTrace && a.Kind == ActivityKind.Producer),
            TimeSpan.FromSeconds(15), "the outbox's producer span, in the writer's trace, has stopped");
    }

    [Fact]
    public async Task The_request_correlation_id_travels_with_a_row_written_inside_a_child_span()
    {
        var correlationId = Guid.NewGuid().ToString("N");
        Guid messageId;
        using (var request = Source.StartActivity("request", ActivityKind.Server))
        {
            // What Correlation.UseAntqCorrelationId does to the request's activity.
            request!.SetTag("antq.correlation_id", correlationId);
            using var domain = Source.StartActivity("submit report");
            messageId = await fixture.Host.WriteAsync(new ReportFiled { ReportId = Guid.NewGuid(), Title = "tương quan", OccurredAt = DateTimeOffset.UtcNow });
        }

        Assert.Equal(correlationId, (await fixture.Host.OutboxRowAsync(messageId))!.CorrelationId);
        await Eventually.UntilAsync(() => fixture.Host.Deliveries.Contains(messageId), TimeSpan.FromSeconds(15), "the message is delivered");
        Assert.Equal(Guid.Parse(correlationId), Assert.Single(fixture.Host.Deliveries.Of(messageId)).CorrelationId);
    }

    public void Dispose() => listener.Dispose();
}
