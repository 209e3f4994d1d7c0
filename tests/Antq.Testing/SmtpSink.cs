using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Antq.Testing;

/// <summary>
/// A real SMTP server for the test: deploy/smtp-catcher.py (Debian's python3-aiosmtpd) on a free port, keeping every
/// message it accepts as a file in a folder of its own.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    readonly Process process;

    SmtpSink(Process process, int port, string directory)
    {
        this.process = process;
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var port = FreePorts.Next();
        var directory = Path.Combine(Path.GetTempPath(), $"antq-mail-{Guid.NewGuid():N}");
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; // Debian's, where python3-aiosmtpd lives
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { Path.Combine(TestEnvironment.Root, "deploy", "smtp-catcher.py"), "--host", "127.0.0.1", "--port", port.ToString(), "--dir", directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var ready = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20))) != ready || ready.Result is null || !ready.Result.Contains("listening"))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"smtp-catcher.py did not start (is python3-aiosmtpd installed?): {await process.StandardError.ReadToEndAsync()}");
        }

        return new SmtpSink(process, port, directory);
    }

    /// <summary>Every message received so far.</summary>
    public IReadOnlyList<MimeMessage> Messages() => [.. Received().Select(r => r.Message)];

    /// <summary>
    /// Every message received so far with the moment the server accepted it: its file is written and flushed before
    /// the server answers 250, and the rename that makes it visible keeps that time.
    /// </summary>
    public IReadOnlyList<(MimeMessage Message, DateTime AcceptedAt)> Received() => ReceivedIn(Directory);

    /// <summary>The messages a catcher kept in <paramref name="directory"/>, also one this class did not start (the cluster's).</summary>
    public static IReadOnlyList<(MimeMessage Message, DateTime AcceptedAt)> ReceivedIn(string directory) =>
        System.IO.Directory.Exists(directory)
            ? System.IO.Directory.GetFiles(directory, "*.eml").Order(StringComparer.Ordinal)
                .Select(f => (MimeMessage.Load(f), File.GetLastWriteTimeUtc(f))).ToList()
            : [];

    public IReadOnlyList<MimeMessage> To(string address) =>
        Messages().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();


    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
