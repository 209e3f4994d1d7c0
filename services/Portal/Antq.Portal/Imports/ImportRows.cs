using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;

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

    /// <summary>Read with Sep as Plan's unit-list reader reads it (any separator, quoted fields), header row excluded.</summary>
    static int CsvRecords(ReadOnlySpan<byte> content)
    {
        var text = new UTF8Encoding(false).GetString(content.StartsWith(Encoding.UTF8.Preamble) ? content[Encoding.UTF8.Preamble.Length..] : content);
        using var reader = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true }).FromText(text);
        var records = 0;
        foreach (var row in reader)
        {
            for (var i = 0; i < row.ColCount; i++)
            {
                if (!row[i].Span.IsWhiteSpace())
                {
                    records++;
                    break;
                }
            }
        }

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
