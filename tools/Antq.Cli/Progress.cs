namespace Antq.Cli;

/// <summary>
/// Progress of long work on standard error, so that standard output keeps only the answer: a bar redrawn in place on a
/// terminal (<c>[######----] 6/10 14758: đã nộp</c>), one line per step when standard error is a file or a pipe (a
/// log then shows every step). Each step's outcome is printed whatever the outcome.
/// </summary>
public sealed class Progress(TextWriter error, int total, bool terminal)
{
    const int Width = 24;
    int done;

    /// <summary>Standard error is a terminal only when the process writes to the console's own error stream, not redirected.</summary>
    public static bool IsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    public void Step(string what)
    {
        done++;
        var filled = total == 0 ? Width : done * Width / total;
        var line = $"[{new string('#', filled)}{new string('-', Width - filled)}] {done}/{total} {what}";
        if (terminal)
        {
            error.Write("\r" + line.PadRight(Math.Max(line.Length, Console.WindowWidth > 0 ? Math.Min(Console.WindowWidth - 1, 120) : 0)));
            if (done == total) error.WriteLine();
        }
        else error.WriteLine(line);
    }

    /// <summary>A message while one long request runs (a unit list being imported).</summary>
    public static void Note(TextWriter error, string text) => error.WriteLine(text);
}
