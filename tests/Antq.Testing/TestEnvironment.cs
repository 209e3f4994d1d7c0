namespace Antq.Testing;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ started by <c>deploy/antq test</c> are. Every value comes from the
/// environment that script sets, with the script's defaults for a developer who runs one test from an IDE after
/// <c>deploy/antq infra</c>.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("ANTQ_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=antq;Password=antq;Database=postgres";

    /// <summary>amqp://user:password@host:port, without a virtual host.</summary>
    public static string Amqp => (Environment.GetEnvironmentVariable("ANTQ_TEST_AMQP") ?? "amqp://guest:guest@127.0.0.1:55672").TrimEnd('/');

    public static string RabbitApi => (Environment.GetEnvironmentVariable("ANTQ_TEST_RABBIT_API") ?? "http://127.0.0.1:55680").TrimEnd('/');

    /// <summary>The checkout's root (the folder with AntqPlatform.sln).</summary>
    public static string Root => Environment.GetEnvironmentVariable("ANTQ_ROOT") ?? FindRoot();

    /// <summary>The <c>../shared</c> folder beside the checkout: real unit lists, the catalogue, real plans.</summary>
    public static string SharedDir => Environment.GetEnvironmentVariable("ANTQ_SHARED_DIR") ?? Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SharedFile(params string[] parts) => Path.Combine([SharedDir, .. parts]);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AntqPlatform.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("AntqPlatform.sln not found above the test's folder.");
    }
}
