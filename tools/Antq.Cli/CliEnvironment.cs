namespace Antq.Cli;

/// <summary>
/// What the command line takes from the process: its output, environment variables, the folder of its configuration
/// and the way it asks for a password. A test runs the same entry point with its own (captured output, a temporary
/// folder, no terminal).
/// </summary>
public sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required Func<string, string?> Variable { get; init; }

    /// <summary>Where the session (the token) is kept: ANTQ_CONFIG_DIR, else the user's configuration folder + antq.</summary>
    public required string ConfigDirectory { get; init; }

    /// <summary>Asks the person at the terminal for a password without echoing it; null where nobody can answer.</summary>
    public required Func<string, string?> ReadPassword { get; init; }

    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        Variable = Environment.GetEnvironmentVariable,
        ConfigDirectory = Environment.GetEnvironmentVariable("ANTQ_CONFIG_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "antq"),
        ReadPassword = PromptPassword,
    };

    static string? PromptPassword(string prompt)
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine();
        Console.Error.Write(prompt);
        var password = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0) password.Length--;
                continue;
            }

            if (!char.IsControl(key.KeyChar)) password.Append(key.KeyChar);
        }

        Console.Error.WriteLine();
        return password.ToString();
    }
}
