using Microsoft.AspNetCore.Components.Forms;

namespace Antq.Portal.Components.Shared;

/// <summary>
/// A file on its way from the browser to the portal, read in chunks so that the page can show how many bytes have
/// arrived: over the circuit the reading is the upload itself, so the count is the real progress, not an estimate.
/// </summary>
public sealed class BrowserUpload
{
    const int Chunk = 64 * 1024;

    public string? FileName { get; private set; }

    public long Received { get; private set; }

    public long Size { get; private set; }

    public bool InProgress { get; private set; }

    /// <summary>"Đang tải lên bao-cao.xlsx: 128 / 512 KB (25 %)".</summary>
    public string Text => $"Đang tải lên {FileName}: {Kilobytes(Received)} / {Kilobytes(Size)} KB ({Percent} %)";

    public int Percent => Size == 0 ? 100 : (int)(Received * 100 / Size);

    /// <summary>
    /// Reads <paramref name="file"/> whole, calling <paramref name="changed"/> after each chunk (the page re-renders its bar).
    /// Throws <see cref="IOException"/> when it is larger than <paramref name="maxBytes"/>.
    /// </summary>
    public async Task<byte[]> ReadAsync(IBrowserFile file, long maxBytes, Func<Task> changed, CancellationToken ct = default)
    {
        (FileName, Size, Received, InProgress) = (file.Name, file.Size, 0, true);
        try
        {
            await using var stream = file.OpenReadStream(maxBytes, ct);
            using var buffer = new MemoryStream((int)Math.Min(file.Size, maxBytes));
            var chunk = new byte[Chunk];
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                Received += read;
                await changed();
            }

            return buffer.ToArray();
        }
        finally
        {
            InProgress = false;
        }
    }

    static string Kilobytes(long bytes) => Formatting.Vn.Number((int)Math.Ceiling(bytes / 1024.0));
}
