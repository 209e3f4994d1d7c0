namespace Antq.Cli;

/// <summary>Exit codes of <c>antq</c>, for scripts.</summary>
public static class ExitCodes
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int WrongInput = 2;
    public const int NotSignedIn = 3;
    public const int Unreachable = 4;
    /// <summary><c>antq missing --check</c>: some units have not reported.</summary>
    public const int Missing = 5;
}

/// <summary>A failure the command line explains itself, in Vietnamese, with the exit code that tells a script what happened.</summary>
public sealed class CliException(string message, int exitCode, IReadOnlyList<string>? details = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<string> Details { get; } = details ?? [];
}
