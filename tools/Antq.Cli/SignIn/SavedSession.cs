using System.Text.Json;

namespace Antq.Cli.SignIn;

/// <summary>A sign-in kept between commands: the gateway, the account, its access token and the refresh token that renews it.</summary>
public sealed record SavedSession(string Gateway, string Username, string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken);

/// <summary>
/// Keeps the session in <c>session.json</c> of the configuration folder, readable by its owner only (folder 0700, file
/// 0600, created so from the start rather than narrowed after): the refresh token is as good as the password for its
/// lifetime. The file is replaced whole (a temporary file moved over it), so a command interrupted while writing never
/// leaves half a token.
/// </summary>
public sealed class SessionStore(string directory)
{
    const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string FilePath { get; } = Path.Combine(directory, "session.json");

    public SavedSession? Load()
    {
        try
        {
            return File.Exists(FilePath) ? JsonSerializer.Deserialize<SavedSession>(File.ReadAllText(FilePath), Json) : null;
        }
        catch (JsonException)
        {
            return null; // a damaged file is a missing session: sign in again
        }
    }

    public void Save(SavedSession session)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, OwnerOnlyFolder);
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, session, Json);
        }

        // An existing temporary file keeps its old mode through FileMode.Create: narrow it before it becomes the session.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, OwnerOnlyFile);
        File.Move(temporary, FilePath, overwrite: true);
    }

    public void Delete()
    {
        if (File.Exists(FilePath)) File.Delete(FilePath);
    }
}
