using System.Text;
using System.Text.Json;

namespace Antq.Portal.Imports;

/// <summary>
/// How many rows a unit file holds, counted by the portal before it sends the file, so that the page can say what the
/// service is working through ("đang xử lý 1.234 dòng") while the one request that imports them runs: the service
/// checks and writes the whole file in one transaction and reports its counts at the end, so there is no honest
/// per-row progress to show in between.
/// </summary>
public static class ImportRows
{
    /// <summary>
    /// A CSV file: its records after the header row (a quoted field may hold line breaks; blank lines are no rows).
    /// A JSON list of the administrative-units catalogue: every unit in it (provinces, districts, communes: each object
    /// with a <c>Code</c>). Null when the JSON cannot be read (the service will say why).
    /// </summary>
    public static int? Count(ReadOnlySpan<byte> content, bool csv) => csv ? CsvRecords(content) : JsonUnits(content);

    static int CsvRecords(ReadOnlySpan<byte> content)
    {
        int records = 0;
        bool quoted = false, filled = false;
        foreach (var b in content)
        {
            if (b == (byte)'"') quoted = !quoted;
            if (!quoted && b == (byte)'\n')
            {
                if (filled) records++;
                filled = false;
            }
            else if (b is not ((byte)'\r' or (byte)' ' or (byte)'\t' or (byte)',' or (byte)';'))
            {
                filled = true;
            }
        }

        if (filled) records++;
        return Math.Max(0, records - 1); // the header row
    }

    static int? JsonUnits(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith(Encoding.UTF8.Preamble)) content = content[Encoding.UTF8.Preamble.Length..];
        var reader = new Utf8JsonReader(content, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var units = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("Code"u8)) units++;
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return units;
    }
}
