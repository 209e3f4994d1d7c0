using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Antq.ServiceDefaults;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>
/// What a submission costs Reporting in round trips to PostgreSQL, counted from Npgsql's own tracing: every command or
/// batch that the request's flow sends (one round trip each). The write batch is its own transaction, committed by the
/// server as it ends: no separate COMMIT (an explicit transaction's would travel on a round trip of its own).
/// </summary>
[Collection(ReportingCollection.Name)]
public sealed class RoundTripTests(ReportingFixture fixture)
{
    const string Province = "46";

    /// <summary>Listens to Npgsql and ASP.NET Core for one request, identified by the trace id the test sends.</summary>
    sealed class RequestTrace : IDisposable
    {
        readonly ActivityListener listener;
        readonly ConcurrentQueue<(string Parent, string What)> commands = new();

        public ActivityTraceId TraceId { get; } = ActivityTraceId.CreateRandom();

        public RequestTrace()
        {
            listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.Source.Name != "Npgsql" || activity.TraceId != TraceId) return;
                    commands.Enqueue((activity.Parent?.Source.Name ?? "?", activity.DisplayName + " " + (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement"))));
                },
            };
            ActivitySource.AddActivityListener(listener);
        }

        /// <summary>Commands sent in the request's own flow (the hosting activity is their parent), not by a background job it woke.</summary>
        public IReadOnlyList<string> RequestCommands => [.. commands.Where(c => c.Parent == "Microsoft.AspNetCore").Select(c => c.What)];

        public string Header => $"00-{TraceId}-{ActivitySpanId.CreateRandom()}-01";

        public void Dispose() => listener.Dispose();
    }

    [Fact]
    public async Task A_submission_with_its_form_costs_Reporting_three_round_trips()
    {
        const string period = "2036-Y";
        var communes = fixture.Units.ChildrenOf(Province, new DateOnly(2036, 12, 14)).Select(c => c.Code).ToList();
        using var officer = fixture.As($"cb-{communes[0]}", AntqRoles.CommuneOfficer, communes[0]);
        var form = new Dictionary<string, object?>
        {
            ["values"] = new Dictionary<string, object?> { ["TIPS_TOTAL"] = 12, ["TIPS_VALUABLE"] = 3, ["FORUMS"] = 2, ["KDC_TOTAL"] = 10, ["KDC_SAFE"] = 8 },
            ["narrative"] = new Dictionary<string, string> { ["KET_QUA"] = "Đã triển khai." },
        };
        // Once before, so that what a process does once (the catalogue parsed, statements prepared) is not counted.
        using (var warm = fixture.As($"cb-{communes[1]}", AntqRoles.CommuneOfficer, communes[1]))
            await warm.PostJsonAsync($"/api/reports/{communes[1]}/{period}/submit", form).OkJsonAsync();

        using var trace = new RequestTrace();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/reports/{communes[0]}/{period}/submit") { Content = JsonBody(form) };
        request.Headers.TryAddWithoutValidation("traceparent", trace.Header);
        using var response = await officer.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The commands are: the unit's path, the read batch, the write batch (its commit in it).
        var commands = trace.RequestCommands;
        Assert.True(commands.Count <= 3, $"{commands.Count} commands:\n{string.Join("\n", commands)}");
        Assert.True(commands.Count >= 3, $"the counter saw too little to be believed:\n{string.Join("\n", commands)}");
        Assert.DoesNotContain(commands, c => c.Contains("COMMIT", StringComparison.OrdinalIgnoreCase));

        // And it did what a submission does: counted in the province's roll-up.
        var rollup = await fixture.As("pv01-hue", AntqRoles.ProvinceOfficer, Province).GetAsync($"/api/rollups/{Province}/{period}").OkJsonAsync();
        Assert.Equal(24m, rollup.GetProperty("values").GetProperty("TIPS_TOTAL").GetProperty("value").GetDecimal());
    }
}
