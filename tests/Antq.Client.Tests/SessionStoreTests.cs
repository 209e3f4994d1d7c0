using Antq.Cli.SignIn;

namespace Antq.Client.Tests;

/// <summary>The kept session: only its owner can read it, and a damaged file counts as no session.</summary>
public sealed class SessionStoreTests
{
    [Fact]
    public void The_session_file_is_readable_by_its_owner_only_and_reads_back()
    {
        if (OperatingSystem.IsWindows()) return; // Unix file modes
        var folder = Path.Combine(Path.GetTempPath(), $"antq-config-{Guid.NewGuid():N}", "antq");
        try
        {
            var store = new SessionStore(folder);
            // A leftover temporary file with a wide mode must not pass its mode on to the session.
            Directory.CreateDirectory(folder);
            File.WriteAllText(store.FilePath + ".tmp", "");
            File.SetUnixFileMode(store.FilePath + ".tmp", (UnixFileMode)0b110_110_110);

            var session = new SavedSession("http://127.0.0.1:8080/", "xa.hamrong", "access", DateTimeOffset.UtcNow.AddMinutes(15), "refresh");
            store.Save(session);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
            Assert.Equal(session, store.Load());

            File.WriteAllText(store.FilePath, "{ not json");
            Assert.Null(store.Load());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
