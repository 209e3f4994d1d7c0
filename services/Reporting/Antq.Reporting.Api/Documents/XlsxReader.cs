using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Antq.Reporting.Api.Documents;

/// <summary>
/// The bounds of reading an uploaded workbook (giới hạn khi đọc tệp Excel tải lên). An upload is untrusted: a 5 MB zip can
/// inflate to gigabytes, a cell reference can name row 2,147,483,647, an XML part can declare entities or nest without end.
/// Every bound is checked as the bytes are inflated and parsed (never from a zip header alone); a file beyond one is refused
/// with a Vietnamese message naming it (<see cref="XlsxFormatException"/>). The defaults hold a real report form with a
/// wide margin; <see cref="ReportTemplate"/> narrows the rows to what the catalogue can fill.
/// </summary>
public sealed record XlsxReadLimits
{
    public static readonly XlsxReadLimits Default = new();

    /// <summary>Entries in the zip: Excel writes about 10–20 for one sheet.</summary>
    public int MaxEntries { get; init; } = 100;

    /// <summary>Bytes one part may inflate to (8 MB); counted on the bytes actually inflated, the header's size only refuses earlier.</summary>
    public long MaxPartBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Bytes all the parts read may inflate to together (24 MB).</summary>
    public long MaxTotalBytes { get; init; } = 24 * 1024 * 1024;

    /// <summary>Inflated bytes per compressed byte of a part (100:1; real spreadsheet XML compresses about 10–30:1) ...</summary>
    public int MaxCompressionRatio { get; init; } = 100;

    /// <summary>... checked once a part has inflated past this many bytes (1 MB), so that tiny parts with a high ratio pass.</summary>
    public long CompressionRatioGraceBytes { get; init; } = 1024 * 1024;

    /// <summary>Highest row a cell may name (1-based); <see cref="ReportTemplate"/> derives it from the catalogue.</summary>
    public int MaxRow { get; init; } = 1_000;

    /// <summary>Highest column a cell may name (1-based: 26 = Z); the form uses A–D.</summary>
    public int MaxColumn { get; init; } = 26;

    /// <summary>Cells (<c>&lt;c&gt;</c> elements) in the sheet, counting cells with the same or no reference.</summary>
    public int MaxCells { get; init; } = 20_000;

    /// <summary>Items in the shared string table.</summary>
    public int MaxSharedStrings { get; init; } = 20_000;

    /// <summary>Characters of all the shared strings together (2,000,000: the narrative sections at their longest fit).</summary>
    public long MaxSharedStringChars { get; init; } = 2_000_000;

    /// <summary>Nesting of XML elements (a sheet nests 6 deep: worksheet/sheetData/row/c/is/t).</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Wall-clock time for reading the whole file (5 s; a real form reads in milliseconds).</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Reads the first sheet of an .xlsx with <see cref="ZipArchive"/> and <see cref="XmlReader"/>, within <see cref="XlsxReadLimits"/>.</summary>
static class XlsxReader
{
    const string Refused = "Tệp Excel bị từ chối:";
    static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public static Dictionary<string, XlsxValue> ReadFirstSheet(Stream stream, XlsxReadLimits limits)
    {
        var reading = new Reading(limits);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Count > limits.MaxEntries)
                throw reading.Limit($"tệp có {zip.Entries.Count.ToString("N0", Vi)} phần, quá giới hạn {limits.MaxEntries.ToString("N0", Vi)} phần của một tệp Excel.");
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in zip.Entries) entries.TryAdd(entry.FullName.TrimStart('/'), entry);

            var workbookPath = Relationships(reading, entries, "").FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target
                ?? "xl/workbook.xml";
            var sheetId = FirstSheetId(reading, entries, workbookPath) ?? throw new XlsxFormatException();
            var workbookRelationships = Relationships(reading, entries, workbookPath);
            var sheetPath = workbookRelationships.FirstOrDefault(r => r.Id == sheetId).Target ?? throw new XlsxFormatException();
            var sharedPath = workbookRelationships.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target;
            var shared = sharedPath is not null && entries.ContainsKey(sharedPath) ? SharedStrings(reading, entries, sharedPath) : [];
            return Cells(reading, entries, sheetPath, shared);
        }
        catch (XmlException ex)
        {
            var where = ex.LineNumber > 0 ? $" (dòng {ex.LineNumber}, vị trí {ex.LinePosition})" : "";
            throw new XlsxFormatException(
                $"{Refused} một phần của tệp không phải XML hợp lệ hoặc có khai báo DTD, không được phép trong tệp Excel{where}.", ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException or ArgumentException or KeyNotFoundException)
        {
            throw new XlsxFormatException(ex);
        }
    }

    /// <summary>The relationships of a part (<c>""</c> for the package): id, type and the target as a path in the zip.</summary>
    static List<(string Id, string Type, string? Target)> Relationships(Reading reading, Dictionary<string, ZipArchiveEntry> entries, string source)
    {
        var slash = source.LastIndexOf('/');
        var folder = slash < 0 ? "" : source[..(slash + 1)];
        var path = $"{folder}_rels/{source[(slash + 1)..]}.rels";
        var list = new List<(string, string, string?)>();
        if (!entries.TryGetValue(path, out var entry)) return list;
        using var xml = reading.Open(entry);
        while (reading.Next(xml))
        {
            if (xml is { NodeType: XmlNodeType.Element, LocalName: "Relationship" } && xml.GetAttribute("TargetMode") is null or "Internal")
                list.Add((xml.GetAttribute("Id") ?? "", xml.GetAttribute("Type") ?? "", Resolve(folder, xml.GetAttribute("Target"))));
        }

        return list;
    }

    static string? Resolve(string folder, string? target)
    {
        if (string.IsNullOrEmpty(target)) return null;
        var segments = new List<string>();
        foreach (var segment in (target.StartsWith('/') ? target : folder + target).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..") { if (segments.Count > 0) segments.RemoveAt(segments.Count - 1); }
            else if (segment != ".") segments.Add(segment);
        }

        return string.Join('/', segments);
    }

    static string? FirstSheetId(Reading reading, Dictionary<string, ZipArchiveEntry> entries, string workbookPath)
    {
        if (!entries.TryGetValue(workbookPath, out var entry)) return null;
        using var xml = reading.Open(entry);
        while (reading.Next(xml))
        {
            if (xml is not { NodeType: XmlNodeType.Element, LocalName: "sheet" }) continue;
            while (xml.MoveToNextAttribute())
            {
                if (xml.LocalName == "id" && xml.NamespaceURI.EndsWith("/relationships", StringComparison.Ordinal)) return xml.Value;
            }

            return null;
        }

        return null;
    }

    static List<string> SharedStrings(Reading reading, Dictionary<string, ZipArchiveEntry> entries, string path)
    {
        var limits = reading.Limits;
        var strings = new List<string>();
        long chars = 0;
        using var xml = reading.Open(entries[path]);
        while (reading.Next(xml))
        {
            if (xml is not { NodeType: XmlNodeType.Element, LocalName: "si" }) continue;
            if (strings.Count == limits.MaxSharedStrings)
                throw reading.Limit($"bảng chuỗi dùng chung có hơn {limits.MaxSharedStrings.ToString("N0", Vi)} chuỗi (giới hạn số chuỗi dùng chung).");
            var text = reading.TextOf(xml).Text;
            chars += text.Length;
            if (chars > limits.MaxSharedStringChars)
                throw reading.Limit($"các chuỗi dùng chung dài hơn {limits.MaxSharedStringChars.ToString("N0", Vi)} ký tự (giới hạn tổng độ dài chuỗi dùng chung).");
            strings.Add(text);
        }

        return strings;
    }

    static Dictionary<string, XlsxValue> Cells(Reading reading, Dictionary<string, ZipArchiveEntry> entries, string path, List<string> shared)
    {
        var limits = reading.Limits;
        var cells = new Dictionary<string, XlsxValue>(StringComparer.OrdinalIgnoreCase);
        if (!entries.TryGetValue(path, out var entry)) throw new XlsxFormatException();
        using var xml = reading.Open(entry);
        var count = 0;
        while (reading.Next(xml))
        {
            if (xml is not { NodeType: XmlNodeType.Element, LocalName: "c" }) continue;
            if (++count > limits.MaxCells)
                throw reading.Limit($"trang tính có hơn {limits.MaxCells.ToString("N0", Vi)} ô (giới hạn số ô của biểu mẫu).");
            var reference = xml.GetAttribute("r");
            var type = xml.GetAttribute("t");
            if (reference is not null) CheckReference(reading, reference);
            var (raw, inline) = reading.TextOf(xml);
            if (reference is null) continue;
            XlsxValue? value = type switch
            {
                "s" => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Count ? new XlsxValue(null, shared[i], null) : null,
                "inlineStr" => new XlsxValue(null, inline, null),
                "str" => new XlsxValue(null, raw, null),
                "b" => new XlsxValue(null, null, raw == "1"),
                "e" => new XlsxValue(null, raw, null, IsError: true),
                _ when raw is null => null,
                _ => decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? new XlsxValue(number, null, null)
                    : new XlsxValue(null, raw, null),
            };
            if (value is not null) cells[reference] = value;
        }

        return cells;
    }

    /// <summary>A reference is letters then digits (<c>C7</c>); parsed without overflow and held to the row and column bounds.</summary>
    static void CheckReference(Reading reading, string reference)
    {
        var limits = reading.Limits;
        var shown = reference.Length > 24 ? reference[..24] + "…" : reference;
        var letters = 0;
        while (letters < reference.Length && char.IsAsciiLetter(reference[letters])) letters++;
        var digits = reference.AsSpan(letters);
        if (letters == 0 || digits.Length == 0 || digits.ContainsAnyExceptInRange('0', '9'))
            throw new XlsxFormatException($"{Refused} ô có địa chỉ không hợp lệ \"{shown}\".");
        long column = 0;
        for (var i = 0; i < letters && column <= limits.MaxColumn; i++) column = column * 26 + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
        if (column > limits.MaxColumn)
            throw reading.Limit($"ô {shown} nằm ngoài cột {Xlsx.Column(limits.MaxColumn - 1)} (giới hạn cột của biểu mẫu).");
        long row = 0;
        foreach (var digit in digits.TrimStart('0'))
        {
            row = row * 10 + (digit - '0');
            if (row > limits.MaxRow) break;
        }

        if (row > limits.MaxRow || row == 0)
            throw reading.Limit($"ô {shown} nằm ngoài dòng {limits.MaxRow.ToString("N0", Vi)} (giới hạn số dòng của biểu mẫu).");
    }

    /// <summary>One read of one file: the clock, the bytes inflated so far, and the XML settings that resolve nothing.</summary>
    sealed class Reading(XlsxReadLimits limits)
    {
        readonly Stopwatch clock = Stopwatch.StartNew();
        long inflated;

        public XlsxReadLimits Limits { get; } = limits;

        public XlsxFormatException Limit(string what) => new($"{Refused} {what}");

        public void CheckTime()
        {
            if (clock.Elapsed > Limits.MaxTime)
                throw Limit($"đọc tệp quá {Limits.MaxTime.TotalSeconds.ToString("N0", Vi)} giây (giới hạn thời gian đọc tệp).");
        }

        public XmlReader Open(ZipArchiveEntry entry)
        {
            CheckTime();
            // The header's sizes only refuse early; the bounded stream counts what really inflates.
            if (entry.Length > Limits.MaxPartBytes) throw PartTooLarge(entry);
            if (entry.Length > Limits.CompressionRatioGraceBytes && entry.Length > Math.Max(1, entry.CompressedLength) * Limits.MaxCompressionRatio)
                throw RatioTooHigh(entry);
            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = Limits.MaxPartBytes,
                MaxCharactersFromEntities = 0,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                CloseInput = true,
            };
            return XmlReader.Create(new BoundedStream(entry.Open(), entry, this), settings);
        }

        /// <summary>The next node, within the depth and time bounds.</summary>
        public bool Next(XmlReader xml)
        {
            if (!xml.Read()) return false;
            if (xml.Depth > Limits.MaxDepth)
                throw Limit($"XML lồng nhau quá {Limits.MaxDepth} cấp (giới hạn độ sâu).");
            CheckTime();
            return true;
        }

        /// <summary>
        /// The texts under the current element, which the reader leaves: of its <c>&lt;v&gt;</c> (a value) and of its
        /// <c>&lt;t&gt;</c> outside phonetic runs (a rich or inline string).
        /// </summary>
        public (string? Value, string Text) TextOf(XmlReader xml)
        {
            if (xml.IsEmptyElement) return (null, "");
            var depth = xml.Depth;
            string? parent = null, value = null;
            var phonetic = false;
            var text = new StringBuilder();
            while (Next(xml))
            {
                switch (xml.NodeType)
                {
                    case XmlNodeType.EndElement when xml.Depth == depth:
                        return (value, text.ToString());
                    case XmlNodeType.EndElement:
                        if (xml.LocalName == "rPh") phonetic = false;
                        parent = null;
                        break;
                    case XmlNodeType.Element:
                        if (xml.LocalName == "rPh" && !xml.IsEmptyElement) phonetic = true;
                        parent = xml.IsEmptyElement ? null : xml.LocalName;
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        if (parent == "v") value += xml.Value;
                        else if (parent == "t" && !phonetic) text.Append(xml.Value);
                        break;
                }
            }

            return (value, text.ToString());
        }

        public void Count(ZipArchiveEntry entry, long partBytes, int read)
        {
            inflated += read;
            if (partBytes > Limits.MaxPartBytes) throw PartTooLarge(entry);
            if (partBytes > Limits.CompressionRatioGraceBytes && partBytes > Math.Max(1, entry.CompressedLength) * Limits.MaxCompressionRatio)
                throw RatioTooHigh(entry);
            if (inflated > Limits.MaxTotalBytes)
                throw Limit($"các phần của tệp giải nén ra hơn {Megabytes(Limits.MaxTotalBytes)} (giới hạn tổng dung lượng giải nén).");
            CheckTime();
        }

        XlsxFormatException PartTooLarge(ZipArchiveEntry entry) =>
            Limit($"phần {Shown(entry)} giải nén ra hơn {Megabytes(Limits.MaxPartBytes)} (giới hạn dung lượng mỗi phần).");

        XlsxFormatException RatioTooHigh(ZipArchiveEntry entry) =>
            Limit($"phần {Shown(entry)} nén với tỉ lệ hơn {Limits.MaxCompressionRatio}:1 (giới hạn tỉ lệ nén; tệp có dấu hiệu \"bom nén\").");

        static string Shown(ZipArchiveEntry entry) => entry.FullName.Length > 60 ? entry.FullName[..60] + "…" : entry.FullName;

        static string Megabytes(long bytes) => $"{(bytes / 1024d / 1024d).ToString("0.#", Vi)} MB";
    }

    /// <summary>An entry's inflating stream that counts every byte it gives and stops at the first bound crossed.</summary>
    sealed class BoundedStream(Stream inner, ZipArchiveEntry entry, Reading reading) : Stream
    {
        long read;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // Never ask for more than one byte past the part's bound: the bound is crossed without inflating far beyond it.
            var allowed = (int)Math.Min(buffer.Length, Math.Max(1, reading.Limits.MaxPartBytes + 1 - read));
            var n = inner.Read(buffer[..allowed]);
            read += n;
            reading.Count(entry, read, n);
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
