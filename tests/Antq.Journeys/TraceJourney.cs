using System.Collections.Concurrent;
using System.Diagnostics;
using Antq.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Antq.Journeys;

/// <summary>
/// A submission tells its story as one trace: the officer's request, the gateway, Reporting, the outbox's publish,
/// the broker and every consumer of the facts it announced, each span the child of the one that caused it. The
/// services all run in this process, so one listener sees every span of every host.
/// </summary>
[Collection(TraceSeasonCollection.Name)]
public sealed class TraceJourney(OpenSeason season, ITestOutputHelper output)
{
    const string Period = OpenSeason.Period;

    /// <summary>Stands for the browser: the trace's root, as the portal's or a script's own span would be.</summary>
    static readonly ActivitySource Browser = new("Antq.Journeys.Browser");

    [Fact]
    public async Task A_submission_and_its_acceptance_are_each_one_trace_from_the_request_through_gateway_reporting_broker_and_every_consumer()
    {
        var (code, _, _, officer) = await season.CommuneAsync(30);
        using var spans = new SpanRecorder();

        // Submit: Reporting announces ReportSubmitted; Notification tells the province.
        ActivityTraceId submission;
        using (var root = Browser.StartActivity("officer submits", ActivityKind.Client)!)
        {
            submission = root.TraceId;
            await Season.SubmitAsync(officer, code, Period, Season.Report(Period, seed: 3030));
        }

        await Season.NoticeAsync(season.Province01, "submitted", code, Period);
        var submitted = await spans.StoryAsync(submission, s => Consumes(s, "ReportSubmitted", "Notification"), "Notification consumes ReportSubmitted");
        output.WriteLine(Tree(submitted));
        AssertStory(submitted, "submit", "ReportSubmitted", "Notification");

        // Accept: Reporting announces ReportAccepted; Classification scores and Notification tells the commune.
        ActivityTraceId acceptance;
        using (var root = Browser.StartActivity("province officer accepts", ActivityKind.Client)!)
        {
            acceptance = root.TraceId;
            await Season.AcceptAsync(season.Province01, code, Period);
        }

        var accepted = await spans.StoryAsync(acceptance,
            s => Consumes(s, "ReportAccepted", "Classification") && Consumes(s, "ReportAccepted", "Notification"),
            "Classification and Notification consume ReportAccepted");
        output.WriteLine(Tree(accepted));
        AssertStory(accepted, "accept", "ReportAccepted", "Classification");
        AssertStory(accepted, "accept", "ReportAccepted", "Notification");
        Assert.NotEqual(submission, acceptance);
    }

    /// <summary>
    /// The consumer's span descends, link by link, from the outbox's publish of <paramref name="message"/>, which
    /// descends from Reporting's handling of the request, which descends from the gateway's, which descends from the
    /// root; and every span of the trace but the root has its parent in the trace (no link is broken).
    /// </summary>
    void AssertStory(IReadOnlyList<Activity> trace, string action, string message, string consumer)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        var root = Assert.Single(trace, s => s.Source.Name == Browser.Name);
        Assert.Equal(default, root.ParentSpanId);
        foreach (var span in trace.Where(s => s != root))
        {
            Assert.True(byId.ContainsKey(span.ParentSpanId), $"span '{span.DisplayName}' ({span.Source.Name}) has a parent outside the trace");
        }

        var reportingPort = PortOf(season.Reporting);
        var gatewayPort = new Uri(season.Address).Port;
        var consumed = trace.First(s => IsConsumer(s, message, consumer));
        var chain = Ancestors(consumed, byId);

        // The publish from the outbox, under the request that wrote the row.
        var publish = Assert.Single(chain, s => s.Source.Name == "Antq.Messaging" && s.DisplayName == $"outbox publish {message}");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Contains(chain, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer && chain.IndexOf(s) < chain.IndexOf(publish));

        var upstream = chain.Skip(chain.IndexOf(publish) + 1).ToList();
        var reporting = Assert.Single(upstream, s => IsServer(s, reportingPort));
        Assert.EndsWith($"/{action}", PathOf(reporting));
        var gateway = Assert.Single(upstream, s => IsServer(s, gatewayPort));
        Assert.True(upstream.IndexOf(gateway) > upstream.IndexOf(reporting), "the gateway's span is an ancestor of Reporting's");
        Assert.Contains(upstream, s => s.Kind == ActivityKind.Client && upstream.IndexOf(s) > upstream.IndexOf(reporting) && upstream.IndexOf(s) < upstream.IndexOf(gateway));
        Assert.Same(root, upstream[^1]);
    }

    static bool Consumes(IReadOnlyCollection<Activity> trace, string message, string consumer) => trace.Any(s => IsConsumer(s, message, consumer));

    /// <summary>MassTransit's span of a consumer: kind Consumer, naming the consumer's type, whose namespace names its service.</summary>
    static bool IsConsumer(Activity span, string message, string service) =>
        span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Consumer
        && span.GetTagItem("messaging.masstransit.consumer_type") is string type
        && type.Contains($"Antq.{service}.", StringComparison.Ordinal)
        && type.Contains(message, StringComparison.Ordinal);

    static bool IsServer(Activity span, int port) =>
        span.Kind == ActivityKind.Server && span.Source.Name == "Microsoft.AspNetCore"
        && Convert.ToInt32(span.GetTagItem("server.port") ?? -1, System.Globalization.CultureInfo.InvariantCulture) == port;

    static string PathOf(Activity span) => span.GetTagItem("url.path") as string ?? "";

    /// <summary>The span and its ancestors, nearest first, up to the root.</summary>
    static List<Activity> Ancestors(Activity span, IReadOnlyDictionary<ActivitySpanId, Activity> byId)
    {
        var chain = new List<Activity> { span };
        while (byId.TryGetValue(chain[^1].ParentSpanId, out var parent)) chain.Add(parent);
        return chain;
    }

    static int PortOf(IServiceProvider services) =>
        new Uri(services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

    static string Tree(IReadOnlyList<Activity> trace)
    {
        var text = new System.Text.StringBuilder();
        var children = trace.ToLookup(s => s.ParentSpanId);
        void Write(Activity span, int depth)
        {
            text.Append(' ', depth * 2).Append($"{span.Source.Name} [{span.Kind}] {span.DisplayName}")
                .Append(span.GetTagItem("server.port") is { } port ? $" port={port}" : "")
                .Append(span.GetTagItem("messaging.masstransit.consumer_type") is { } consumer ? $" consumer={consumer}" : "")
                .AppendLine();
            foreach (var child in children[span.SpanId].OrderBy(c => c.StartTimeUtc)) Write(child, depth + 1);
        }

        foreach (var root in trace.Where(s => !trace.Any(p => p.SpanId == s.ParentSpanId))) Write(root, 0);
        return text.ToString();
    }

    /// <summary>Records every finished span of the process (all hosts of the platform share it), kept by trace.</summary>
    sealed class SpanRecorder : IDisposable
    {
        readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<Activity>> traces = new();
        readonly ActivityListener listener;

        public SpanRecorder()
        {
            listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "MassTransit" or "Microsoft.AspNetCore" or "System.Net.Http" or "Antq.Journeys.Browser"
                    || source.Name.StartsWith("Yarp", StringComparison.Ordinal) || source.Name.StartsWith("Antq", StringComparison.Ordinal),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = span => traces.GetOrAdd(span.TraceId, _ => new()).Enqueue(span),
            };
            ActivitySource.AddActivityListener(listener);
        }

        /// <summary>The spans of <paramref name="trace"/> once <paramref name="complete"/> holds of them.</summary>
        public async Task<IReadOnlyList<Activity>> StoryAsync(ActivityTraceId trace, Func<IReadOnlyCollection<Activity>, bool> complete, string what)
        {
            // A parent ends after its children: wait until every span's parent has ended too, so that a broken link is
            // told from one still open (a failure shows what was recorded).
            var ok = await Eventually.TryAsync(() => traces.TryGetValue(trace, out var spans) && complete(spans.ToList()) && Whole(spans.ToList()),
                TimeSpan.FromSeconds(60));
            var recorded = traces.TryGetValue(trace, out var all) ? all.ToList() : [];
            Assert.True(ok, $"{what}; recorded:{Environment.NewLine}{Tree(recorded)}");
            return recorded;
        }

        static bool Whole(List<Activity> spans)
        {
            var ids = spans.Select(s => s.SpanId).ToHashSet();
            return spans.All(s => s.Source.Name == Browser.Name || ids.Contains(s.ParentSpanId));
        }

        public void Dispose() => listener.Dispose();
    }
}

/// <summary>
/// A season of its own for the trace journey: its acceptance would move the province's shares that the open season's
/// classification journey asserts from its own communes alone.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TraceSeasonCollection : ICollectionFixture<OpenSeason>
{
    public const string Name = "trace season";
}
