using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace Antq.Client.Generator;

/// <summary>
/// Generates the typed client of one service from its committed OpenAPI document (docs/openapi/&lt;service&gt;.json) with
/// NSwag: one class per service (<c>PlanClient</c>, …) in a namespace of its own, so that the types every service names
/// alike (<c>ProblemDetails</c>, <c>DeadLetter</c>, <c>OrgUnitRef</c>) do not collide, and one exception type for all
/// (<c>Antq.Client.ApiException</c>, hand-written) so that a caller catches every refusal in one place. NSwag runs as a
/// library, in this process, from the package pinned in Directory.Packages.props: no tool to install, nothing fetched,
/// and the same documents always give the same text.
/// </summary>
public static class ClientGenerator
{
    /// <summary>
    /// The documents under docs/openapi/, by file name: each service's, and the gateway's own (the routes it answers
    /// itself: the platform's status and its merged dead letters).
    /// </summary>
    public static readonly IReadOnlyList<string> Services = ["identity", "plan", "reporting", "classification", "notification", "gateway"];

    /// <summary>Where the generated files go, relative to the repository's root.</summary>
    public static readonly string OutputFolder = Path.Combine("tools", "Antq.Client", "Generated");

    public static string ClassName(string service) => char.ToUpperInvariant(service[0]) + service[1..] + "Client";

    public static string FileName(string service) => ClassName(service) + ".g.cs";

    /// <summary>The C# source of one service's client, from the text of its OpenAPI document.</summary>
    public static async Task<string> GenerateAsync(string service, string openApiJson)
    {
        var document = await OpenApiDocument.FromJsonAsync(openApiJson);
        var name = ClassName(service);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = name,
            // Method names are the operation ids (getRollup → GetRollupAsync), all in the service's one class.
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            // The caller's HttpClient carries the gateway's address and the token; the client adds only the path.
            UseBaseUrl = false,
            GenerateClientInterfaces = false,
            GenerateOptionalParameters = true,
            GenerateExceptionClasses = false,
            ExceptionClass = "ApiException",
            AdditionalNamespaceUsages = ["Antq.Client"],
            CSharpGeneratorSettings =
            {
                Namespace = "Antq.Client." + name[..^"Client".Length],
                JsonLibrary = CSharpJsonLibrary.SystemTextJson,
                GenerateNullableReferenceTypes = true,
                GenerateOptionalPropertiesAsNullable = true,
                ArrayType = "System.Collections.Generic.IReadOnlyList",
                ArrayInstanceType = "System.Collections.Generic.List",
            },
        };

        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        return code.ReplaceLineEndings("\n");
    }

    /// <summary>Every service's client, by the path of its file relative to the repository's root.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> GenerateAllAsync(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in Services)
        {
            var json = await File.ReadAllTextAsync(Path.Combine(root, "docs", "openapi", service + ".json"));
            files[Path.Combine(OutputFolder, FileName(service))] = await GenerateAsync(service, json);
        }

        return files;
    }
}
