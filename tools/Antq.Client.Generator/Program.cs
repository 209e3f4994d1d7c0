using Antq.Client.Generator;

// dotnet run --project tools/Antq.Client.Generator [ROOT]
// Regenerates tools/Antq.Client/Generated/ from docs/openapi/*.json after the services' documents changed
// (ANTQ_WRITE_OPENAPI=1 dotnet test tests/Antq.Api.Tests --filter OpenApiDocumentTests writes those).
var root = args.Length > 0 ? args[0] : FindRoot(Directory.GetCurrentDirectory());
foreach (var (path, code) in await ClientGenerator.GenerateAllAsync(root))
{
    var full = Path.Combine(root, path);
    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
    await File.WriteAllTextAsync(full, code);
    Console.WriteLine($"wrote {path}");
}

return 0;

static string FindRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "AntqPlatform.sln"))) return dir.FullName;
    throw new InvalidOperationException("AntqPlatform.sln not found above " + start + "; pass the repository's root.");
}
