using Antq.Client.Generator;
using Antq.Testing;

namespace Antq.Client.Tests;

/// <summary>
/// The committed client (tools/Antq.Client/Generated/) is what the generator writes from the committed documents
/// (docs/openapi/, themselves kept equal to what the services serve by tests/Antq.Api.Tests): an endpoint that changes
/// without the client being regenerated fails here, as the documents fail there.
/// </summary>
public sealed class GeneratedClientTests
{
    /// <summary>The command that writes the client again after the documents changed.</summary>
    public const string Regenerate = "dotnet run --project tools/Antq.Client.Generator";

    [Fact]
    public async Task The_committed_client_is_generated_from_the_committed_OpenAPI_documents()
    {
        var stale = new List<string>();
        var generated = await ClientGenerator.GenerateAllAsync(TestEnvironment.Root);
        foreach (var (path, code) in generated)
        {
            var full = Path.Combine(TestEnvironment.Root, path);
            var committed = File.Exists(full) ? (await File.ReadAllTextAsync(full)).ReplaceLineEndings("\n") : null;
            if (committed != code) stale.Add(path.Replace('\\', '/'));
        }

        var extra = Directory.GetFiles(Path.Combine(TestEnvironment.Root, ClientGenerator.OutputFolder), "*.cs")
            .Select(f => Path.GetRelativePath(TestEnvironment.Root, f))
            .Where(f => !generated.ContainsKey(f))
            .ToList();

        Assert.True(stale.Count == 0, $"The OpenAPI documents changed but the client did not: {string.Join(", ", stale)}. Regenerate with: {Regenerate}");
        Assert.True(extra.Count == 0, $"Files in the generated folder that no document gives: {string.Join(", ", extra)}. Regenerate with: {Regenerate}");
        Assert.Equal(ClientGenerator.Services.Count, generated.Count);
    }

    [Fact]
    public async Task A_changed_document_gives_a_different_client()
    {
        // The comparison above can fail: an operation added to a document changes the generated text.
        var json = await File.ReadAllTextAsync(Path.Combine(TestEnvironment.Root, "docs", "openapi", "reporting.json"));
        var before = await ClientGenerator.GenerateAsync("reporting", json);
        var changed = json.Replace("\"operationId\": \"getRollup\"", "\"operationId\": \"getRollupRenamed\"", StringComparison.Ordinal);
        Assert.NotEqual(json, changed);
        var after = await ClientGenerator.GenerateAsync("reporting", changed);
        Assert.Contains("GetRollupAsync(", before, StringComparison.Ordinal);
        Assert.Contains("GetRollupRenamedAsync(", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_service_has_its_own_client_under_one_exception_type()
    {
        var api = new AntqApi(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:1/") });
        Assert.Equal("Antq.Client.Plan", api.Plan.GetType().Namespace);
        Assert.Equal("Antq.Client.Reporting", api.Reporting.GetType().Namespace);
        // Refusals keep their body, so that their problem details can be shown.
        Assert.True(api.Identity.ReadResponseAsString && api.Plan.ReadResponseAsString && api.Reporting.ReadResponseAsString
            && api.Classification.ReadResponseAsString && api.Notification.ReadResponseAsString);
        var problem = new ApiException("x", 409, """{"title":"Xung đột","detail":"Báo cáo đã nộp, không nộp lại được.","status":409,"errors":{"TIPS_TOTAL":["Phải là số"]}}""",
            new Dictionary<string, IEnumerable<string>>(), null).Problem;
        Assert.NotNull(problem);
        Assert.Equal("Xung đột: Báo cáo đã nộp, không nộp lại được.", problem.ToString());
        Assert.Equal(["Phải là số"], problem.Errors["TIPS_TOTAL"]);
        Assert.Null(Problem.TryParse("<html>Bad gateway</html>"));
    }
}
