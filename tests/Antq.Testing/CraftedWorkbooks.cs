using System.IO.Compression;
using System.Text;

namespace Antq.Testing;

/// <summary>
/// Workbooks an attacker would send, built from a real form by replacing or adding parts of its zip: the reader's tests
/// (tests/Antq.Reporting.Tests) and the bench's hostile corpus (<see cref="HostileWorkbooks"/>) use the same.
/// </summary>
public static class CraftedWorkbooks
{
    public const string SpreadsheetMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>The form with some parts replaced (or added), each written at the given compression level.</summary>
    public static byte[] WithParts(byte[] workbook, CompressionLevel level, params (string Name, Action<Stream> Write)[] parts)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                if (parts.Any(p => p.Name == entry.FullName)) continue;
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName, CompressionLevel.Optimal).Open();
                from.CopyTo(to);
            }

            foreach (var (name, write) in parts)
            {
                using var to = target.CreateEntry(name, level).Open();
                write(to);
            }
        }

        return output.ToArray();
    }

    public static string Part(byte[] workbook, string name)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    public static string SheetName(byte[] workbook)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read);
        return zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal)).FullName;
    }

    /// <summary>The form with its sheet's XML rewritten.</summary>
    public static byte[] EditSheet(byte[] workbook, Func<string, string> edit)
    {
        var name = SheetName(workbook);
        var xml = edit(Part(workbook, name));
        return WithParts(workbook, CompressionLevel.Optimal, (name, s => s.Write(Encoding.UTF8.GetBytes(xml))));
    }

    /// <summary>The form with the cell <paramref name="from"/> (e.g. <c>C7</c>) moved to <paramref name="to"/>.</summary>
    public static byte[] MoveCell(byte[] workbook, string from, string to) => EditSheet(workbook, xml =>
    {
        var attribute = $"r=\"{from}\"";
        if (!xml.Contains(attribute, StringComparison.Ordinal)) throw new InvalidOperationException($"No cell {from} in the form.");
        return xml.Replace(attribute, $"r=\"{to}\"", StringComparison.Ordinal);
    });

    /// <summary>
    /// A zip bomb: the form's sheet padded with <paramref name="padding"/> bytes of whitespace (legal XML between its
    /// elements), at the smallest size the compressor makes. When <paramref name="lieInHeader"/>, the zip's headers then
    /// declare the sheet's original size, so only counting what inflates can tell.
    /// </summary>
    public static byte[] Bomb(byte[] workbook, long padding, bool lieInHeader = false)
    {
        var name = SheetName(workbook);
        var xml = Part(workbook, name);
        var close = xml.LastIndexOf("</", StringComparison.Ordinal);
        var head = Encoding.UTF8.GetBytes(xml[..close]);
        var tail = Encoding.UTF8.GetBytes(xml[close..]);
        var bytes = WithParts(workbook, CompressionLevel.SmallestSize, (name, s =>
        {
            s.Write(head);
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (long written = 0; written < padding; written += spaces.Length) s.Write(spaces, 0, (int)Math.Min(spaces.Length, padding - written));
            s.Write(tail);
        }));
        if (lieInHeader) DeclareSize(bytes, name, (uint)(head.Length + tail.Length));
        return bytes;
    }

    /// <summary>Overwrites the uncompressed size of an entry in its local header and in the central directory.</summary>
    static void DeclareSize(byte[] zip, string name, uint size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var patched = 0;
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var signature = BitConverter.ToUInt32(zip, i);
            if (signature == 0x04034b50 && Matches(i + 30, BitConverter.ToUInt16(zip, i + 26)))
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 22), size);
                patched++;
            }
            else if (signature == 0x02014b50 && Matches(i + 46, BitConverter.ToUInt16(zip, i + 28)))
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 24), size);
                patched++;
            }
        }

        if (patched != 2) throw new InvalidOperationException($"Patched {patched} headers of {name}.");

        bool Matches(int at, int length) => length == nameBytes.Length && at + length <= zip.Length && zip.AsSpan(at, length).SequenceEqual(nameBytes);
    }

    /// <summary>A sheet that declares entities expanding each to ten of the one before (billion laughs).</summary>
    public static byte[] BillionLaughs(byte[] workbook)
    {
        var dtd = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE worksheet [<!ENTITY lol0 \"lol\">");
        for (var i = 1; i <= 9; i++) dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        dtd.Append($"]><worksheet xmlns=\"{SpreadsheetMain}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>");
        var text = dtd.ToString();
        return WithParts(workbook, CompressionLevel.Optimal, (SheetName(workbook), s => s.Write(Encoding.UTF8.GetBytes(text))));
    }

    /// <summary>A sheet whose data nests <paramref name="depth"/> elements deep.</summary>
    public static byte[] DeepNesting(byte[] workbook, int depth) => EditSheet(workbook, xml =>
    {
        var at = EndOfSheetData(xml);
        return xml[..at] + string.Concat(Enumerable.Repeat("<n>", depth)) + string.Concat(Enumerable.Repeat("</n>", depth)) + xml[at..];
    });

    /// <summary>The sheet with <paramref name="count"/> more cells, all at one address inside the form.</summary>
    public static byte[] CellFlood(byte[] workbook, string reference, int count) => EditSheet(workbook, xml =>
    {
        var at = EndOfSheetData(xml);
        return xml[..at] + $"<row r=\"1\">{string.Concat(Enumerable.Repeat($"<c r=\"{reference}\"><v>1</v></c>", count))}</row>" + xml[at..];
    });

    /// <summary>Where the sheet's data closes (<c>&lt;/sheetData&gt;</c>, with or without a prefix).</summary>
    static int EndOfSheetData(string xml) => xml.LastIndexOf("</", xml.LastIndexOf("sheetData>", StringComparison.Ordinal), StringComparison.Ordinal);

    /// <summary>The form with a shared string table of the given items, linked from the workbook.</summary>
    public static byte[] WithSharedStrings(byte[] workbook, IEnumerable<string> items)
    {
        const string rels = "xl/_rels/workbook.xml.rels";
        var relationships = Part(workbook, rels).Replace("</Relationships>",
            "<Relationship Id=\"rIdFlood\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>",
            StringComparison.Ordinal);
        return WithParts(workbook, CompressionLevel.Optimal,
            (rels, s => s.Write(Encoding.UTF8.GetBytes(relationships))),
            ("xl/sharedStrings.xml", s =>
            {
                using var writer = new StreamWriter(s, new UTF8Encoding(false), leaveOpen: true);
                writer.Write($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"{SpreadsheetMain}\">");
                foreach (var item in items) writer.Write($"<si><t>{item}</t></si>");
                writer.Write("</sst>");
            }));
    }
}
