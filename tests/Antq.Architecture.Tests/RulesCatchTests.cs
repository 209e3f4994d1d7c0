namespace Antq.Architecture.Tests;

/// <summary>
/// Each rule of <see cref="SourceRulesTests"/> run on a planted file: it names every way of breaking it that it claims
/// to catch, and leaves alone what only looks alike (a comment, an example inside a message). Without these a rule
/// whose pattern stopped matching would pass for ever.
/// </summary>
public sealed class RulesCatchTests
{
    static SourceFile Planted(string path, string code) => new(Sources.Root, Path.Combine(Sources.Root, path), code);

    const string PlantedPath = "services/Plan/Antq.Plan.Api/Planted.cs";

    [Fact]
    public void A_problem_built_by_hand_is_caught_in_every_form()
    {
        var file = Planted(PlantedPath, """
            // TypedResults.Problem in a comment is no problem built.
            static class Planted
            {
                static object A() => TypedResults.Problem(statusCode: 400, detail: "Sai.");
                static object B() => Results.ValidationProblem(new Dictionary<string, string[]>());
                static object C() => new ProblemDetails { Status = 404 };
                static object D() => new ValidationProblemDetails(new Dictionary<string, string[]>());
                static object E(ProblemDetailsFactory f, HttpContext h) => f.CreateProblemDetails(h, 409);
                static void F(HttpContext h) => h.Response.ContentType = "application/problem+json";
                static ProblemHttpResult G(int status, string detail) => null!;
                static string H() => "xem application/problem+json";
            }
            """);

        var found = SourceRulesTests.ProblemsBuiltElsewhere([file]);

        Assert.Equal([4, 5, 6, 7, 8, 9, 10], found.Select(LineOf));
    }

    [Fact]
    public void Vietnam_time_written_again_is_caught_in_every_form()
    {
        var file = Planted(PlantedPath, """
            // Giờ Việt Nam là UTC+7 ("Asia/Ho_Chi_Minh"): a comment defines nothing.
            static class Planted
            {
                static readonly TimeSpan A = TimeSpan.FromHours(7);
                static readonly TimeSpan B = TimeSpan.FromMinutes(420);
                static readonly TimeSpan C = new TimeSpan(0, 7, 0, 0);
                static readonly TimeZoneInfo D = TimeZoneInfo.FindSystemTimeZoneById("SE Asia Standard Time");
                static readonly string E = "Asia/Bangkok";
                const string F = "+07:00";
                static readonly TimeZoneInfo G = TimeZoneInfo.CreateCustomTimeZone("VN", TimeSpan.Zero, "VN", "VN");
                const string Example = "Hạn dạng 2026-06-15T00:00:00+07:00 là hợp lệ.";
                static readonly TimeSpan Week = TimeSpan.FromHours(17);
            }
            """);

        var found = SourceRulesTests.TimeZonesDefinedElsewhere([file]);

        Assert.Equal([4, 5, 6, 7, 7, 8, 9, 10], found.Select(LineOf));
    }

    [Fact]
    public void A_status_written_a_second_time_is_caught_in_code_and_in_sql()
    {
        var file = Planted(PlantedPath, """
            static class Planted
            {
                public const string Issued = "issued";
                static bool IsIssued(string s) => s == "issued";
                const string OneQuery = "SELECT 1 FROM plans WHERE status = 'Issued'";
                const string OtherQuery = "UPDATE plans SET x = 1 WHERE status = 'Issued'";
                const string Label = "issued plans"; // not the value alone
            }
            """);

        var problems = SourceRulesTests.StatusRepeats(SourceRulesTests.StatusLiterals([file]))
            .Where(p => p.StartsWith("services/Plan/Antq.Plan.Api:", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("\"issued\" written 2 times", StringComparison.Ordinal) && p.Contains("Planted.cs:3", StringComparison.Ordinal) && p.Contains("Planted.cs:4", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("\"'Issued'\" written 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void An_endpoint_without_an_operation_id_is_caught_however_it_is_mapped()
    {
        var file = Planted(PlantedPath, """
            static class Planted
            {
                public static void Map(IEndpointRouteBuilder app)
                {
                    var group = app.MapGroup("/api/planted");
                    group.MapGet("/a", () => 1).WithSummary("Không có mã thao tác");
                    group.MapPost("/b", (int x) => x)
                        .WithDescription("Cũng không có");
                    app.Map("/c", () => 3);
                    app.MapFallback(() => 4);
                    group.MapGet("/d", () => 5).WithName("getPlantedD");
                    group.MapDelete("/e", () => 6).ExcludeFromDescription();
                }
            }
            """);

        var missing = SourceRulesTests.EndpointsWithoutOperationId([file], out var endpoints);

        Assert.Equal(6, endpoints);
        Assert.Equal([6, 7, 9, 10], missing.Select(LineOf));
    }

    [Fact]
    public void A_handler_taking_more_than_four_things_is_caught_as_a_lambda_or_a_method()
    {
        var file = Planted(PlantedPath, """
            static class Planted
            {
                public static void Map(IEndpointRouteBuilder app)
                {
                    var group = app.MapGroup("/api/planted");
                    group.MapGet("/a/{code}", (string code, HttpContext http, PlanDbContext db, TimeProvider clock, CancellationToken ct) => 1).WithName("a");
                    group.MapPost("/b", Save).WithName("b");
                    app.MapPut("/c", Results<Ok<int>, ProblemHttpResult> (HttpContext http, PlanDbContext db, TimeProvider clock, ILoggerFactory logs, CancellationToken ct) => TypedResults.Ok(1)).WithName("c");
                    group.MapDelete("/d/{id}", Grouped).WithName("d");
                    group.MapPatch("/e", (Dictionary<string, int> values, HttpContext http) => values.Count).WithName("e");
                    group.MapGet("/f", x => x).WithName("f");
                    // group.MapGet("/g", (int a, int b, int c, int d, int e) => a) in a comment maps nothing.
                }

                static Task<int> Save(SaveRequest request, HttpContext http, PlanDbContext db, TimeProvider clock, IOptions<DeadlineOptions> options, CancellationToken ct) =>
                    Task.FromResult(Save(request));

                static int Save(SaveRequest request) => 1;

                static async Task<Results<Ok<int>, ProblemHttpResult>> Grouped([AsParameters] UnitPeriod route, HttpContext http, [AsParameters] PlanServices services,
                    CancellationToken ct)
                {
                    return TypedResults.Ok(await Task.FromResult(1));
                }
            }
            """);

        var found = SourceRulesTests.HandlersWithTooManyParameters([file], out var handlers);

        Assert.Equal(6, handlers);
        Assert.Equal([6, 7, 8], found.Select(LineOf));
        Assert.Contains(found, f => f.Contains("Save takes 6", StringComparison.Ordinal));
    }

    /// <summary>The line of a finding, "path:line: …".</summary>
    static int LineOf(string finding) => int.Parse(finding.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
}
