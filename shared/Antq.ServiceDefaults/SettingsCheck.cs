using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Antq.ServiceDefaults;

/// <summary>
/// Settings checked at start. <c>MapDefaultEndpoints</c> runs the checks every options class registered with
/// <c>ValidateOnStart</c> (<c>AddSettings</c> in <c>Antq.Settings</c>) before the host starts; a wrong value becomes a
/// <see cref="SettingsRefusal"/>, which the process prints as one line per wrong key on standard error before it exits
/// with <see cref="ExitCode"/>, instead of the host's log of a failed start and the runtime's stack trace. In process
/// (the tests' hosts) the refusal is an ordinary exception.
/// </summary>
public static partial class SettingsCheck
{
    /// <summary>EX_CONFIG of sysexits.h: the process was given a configuration it cannot run with.</summary>
    public const int ExitCode = 78;

    static int installed;

    /// <summary>Has an unhandled <see cref="SettingsRefusal"/> end the process with its lines and nothing else.</summary>
    public static void InstallRefusalHandler()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is not SettingsRefusal refusal) return;
            Console.Out.Flush();
            Console.Error.WriteLine(refusal.Message);
            Console.Error.Flush();
            Environment.Exit(ExitCode);
        };
    }

    /// <summary>Runs the start-up validation of every options class now; throws <see cref="SettingsRefusal"/> on a wrong value.</summary>
    public static void Run(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (Lines(e) is { Count: > 0 } lines)
        {
            throw new SettingsRefusal(string.Join(Environment.NewLine, lines), e);
        }
    }

    /// <summary>One line per failure; a value the binder could not convert (a word where a number goes) is one too.</summary>
    static List<string> Lines(Exception error) => error switch
    {
        OptionsValidationException validation => validation.Failures.Select(OneLine).ToList(),
        AggregateException all when all.InnerExceptions.All(e => Lines(e).Count > 0) => all.InnerExceptions.SelectMany(Lines).ToList(),
        InvalidOperationException { InnerException: null or FormatException or OverflowException or ArgumentException } invalid =>
            [Unconvertible().Match(invalid.Message) is { Success: true } m
                ? $"Setting {m.Groups["key"].Value}: cannot be read as {m.Groups["type"].Value.Split('.')[^1]}"
                : OneLine(invalid.Message)],
        _ => [],
    };

    /// <summary>The binder's words for a value of the wrong type (the value itself is left out: it may be a secret).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("Failed to convert configuration value (?:'.*' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex Unconvertible();

    static string OneLine(string failure)
    {
        var line = string.Join(' ', failure.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.StartsWith("Setting ", StringComparison.Ordinal) ? line : "Setting " + line;
    }
}

/// <summary>Settings the process cannot start with; the message is one line per wrong key.</summary>
public sealed class SettingsRefusal(string message, Exception inner) : InvalidOperationException(message, inner);
