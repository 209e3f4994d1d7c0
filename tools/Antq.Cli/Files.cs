namespace Antq.Cli;

/// <summary>Files the command line writes (a form, an export): whole or not at all, with a Vietnamese message when the folder refuses.</summary>
public static class Files
{
    public static async Task WriteAsync(string path, byte[] content, CancellationToken ct)
    {
        var temporary = path + ".tmp";
        try
        {
            if (Path.GetDirectoryName(path) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
            await File.WriteAllBytesAsync(temporary, content, ct);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliException($"Không ghi được tệp {path}: {ex.Message}", ExitCodes.WrongInput);
        }
    }
}
