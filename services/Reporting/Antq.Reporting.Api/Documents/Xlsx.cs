using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Antq.Reporting.Api.Documents;

/// <summary>The styles of the workbooks this service writes (indexes into the stylesheet built by <see cref="Xlsx"/>).</summary>
public enum XlsxStyle : uint
{
    Normal = 0,
    Title = 1,
    Header = 2,
    Text = 3,
    Integer = 4,
    Decimal = 5,
    Ratio = 6,
    Late = 7,
    Missing = 8,
    TotalText = 9,
    TotalInteger = 10,
    TotalRatio = 11,
    Note = 12,
    CodeHeader = 13,
    TotalDecimal = 14,
    Input = 15,
    Wrap = 16,
    Subtitle = 17,
}

/// <summary>One cell to write: a string, a number (any numeric type) or nothing, in a style.</summary>
public readonly record struct XlsxCell(object? Value, XlsxStyle Style = XlsxStyle.Normal);

public sealed class XlsxSheet(string name)
{
    public string Name { get; } = name;

    /// <summary>Rows from row 1; a null row is left empty.</summary>
    public List<List<XlsxCell>?> Rows { get; } = [];

    /// <summary>Widths by column index (0 = A), in characters.</summary>
    public Dictionary<int, double> Widths { get; } = [];

    /// <summary>Merged ranges, e.g. <c>A1:F1</c>.</summary>
    public List<string> Merges { get; } = [];

    /// <summary>Rows above this one stay visible when scrolling (1-based row of the first scrolling row).</summary>
    public int? FreezeAtRow { get; set; }
}

/// <summary>A cell as read back: a number, a text, a yes/no, or an error value.</summary>
public sealed record XlsxValue(decimal? Number, string? Text, bool? Boolean, bool IsError = false)
{
    public bool IsEmpty => Number is null && Boolean is null && !IsError && string.IsNullOrWhiteSpace(Text);
}

/// <summary>Writing and reading plain .xlsx workbooks with the Open XML SDK (Times New Roman, Vietnamese text as inline strings).</summary>
public static class Xlsx
{
    public static byte[] Write(params XlsxSheet[] sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var sheetList = workbook.Workbook.AppendChild(new Sheets());
            uint id = 1;
            foreach (var sheet in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = Worksheet(sheet);
                sheetList.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = sheet.Name });
            }
        }

        return stream.ToArray();
    }

    static Worksheet Worksheet(XlsxSheet sheet)
    {
        var worksheet = new Worksheet();
        if (sheet.FreezeAtRow is { } freeze)
        {
            worksheet.Append(new SheetViews(new SheetView(new Pane
            {
                VerticalSplit = freeze - 1, TopLeftCell = $"A{freeze}", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
            }) { WorkbookViewId = 0 }));
        }

        if (sheet.Widths.Count > 0)
        {
            var columns = new Columns();
            foreach (var (index, width) in sheet.Widths.OrderBy(w => w.Key))
                columns.Append(new Column { Min = (uint)index + 1, Max = (uint)index + 1, Width = width, CustomWidth = true });
            worksheet.Append(columns);
        }

        var data = new SheetData();
        for (var r = 0; r < sheet.Rows.Count; r++)
        {
            if (sheet.Rows[r] is not { } cells) continue;
            var row = new Row { RowIndex = (uint)r + 1 };
            for (var c = 0; c < cells.Count; c++)
            {
                var cell = cells[c];
                if (cell.Value is null && cell.Style == XlsxStyle.Normal) continue;
                row.Append(Cell($"{Column(c)}{r + 1}", cell));
            }

            data.Append(row);
        }

        worksheet.Append(data);
        if (sheet.Merges.Count > 0)
            worksheet.Append(new MergeCells(sheet.Merges.Select(m => new MergeCell { Reference = m })));
        worksheet.Append(new PageMargins { Left = 0.5, Right = 0.5, Top = 0.75, Bottom = 0.75, Header = 0.3, Footer = 0.3 });
        return worksheet;
    }

    static Cell Cell(string reference, XlsxCell value)
    {
        var cell = new Cell { CellReference = reference, StyleIndex = (uint)value.Style };
        switch (value.Value)
        {
            case null:
                break;
            case string text:
                cell.DataType = CellValues.InlineString;
                cell.InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
                break;
            case bool flag:
                cell.DataType = CellValues.Boolean;
                cell.CellValue = new CellValue(flag ? "1" : "0");
                break;
            case IFormattable number:
                cell.DataType = CellValues.Number;
                cell.CellValue = new CellValue(number.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentException($"Cannot write a {value.Value.GetType()} to a cell.");
        }

        return cell;
    }

    /// <summary>A (0) → A, 26 → AA.</summary>
    public static string Column(int index)
    {
        var name = "";
        for (index++; index > 0; index = (index - 1) / 26) name = (char)('A' + (index - 1) % 26) + name;
        return name;
    }

    static Stylesheet Stylesheet()
    {
        const string font = "Times New Roman";
        Font Font(double size, bool bold = false, bool italic = false, string? color = null)
        {
            var f = new Font();
            if (bold) f.Append(new Bold());
            if (italic) f.Append(new Italic());
            f.Append(new FontSize { Val = size });
            if (color is not null) f.Append(new Color { Rgb = color });
            f.Append(new FontName { Val = font });
            f.Append(new FontFamilyNumbering { Val = 1 });
            return f;
        }

        Fill Solid(string rgb) => new(new PatternFill(new ForegroundColor { Rgb = rgb }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid });

        var fonts = new Fonts(Font(12), Font(12, bold: true), Font(14, bold: true), Font(12, italic: true), Font(9, color: "FF808080"));
        var fills = new Fills(
            new Fill(new PatternFill { PatternType = PatternValues.None }),
            new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
            Solid("FFD9D9D9"), Solid("FFFFF2CC"), Solid("FFF8CBAD"), Solid("FFFFFFE0"));
        var thin = new Borders(
            new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()),
            new Border(
                new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
                new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder()));
        var formats = new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.00" }) { Count = 1 };

        CellFormat Format(uint fontId, uint fillId, uint borderId, uint numberFormat = 0, HorizontalAlignmentValues? horizontal = null, bool wrap = false)
        {
            var format = new CellFormat
            {
                FontId = fontId, FillId = fillId, BorderId = borderId, NumberFormatId = numberFormat,
                ApplyFont = true, ApplyFill = fillId > 0, ApplyBorder = borderId > 0, ApplyNumberFormat = numberFormat > 0,
            };
            if (horizontal is not null || wrap)
            {
                format.Append(new Alignment { Horizontal = horizontal, Vertical = VerticalAlignmentValues.Center, WrapText = wrap });
                format.ApplyAlignment = true;
            }

            return format;
        }

        var cellFormats = new CellFormats(
            Format(0, 0, 0),                                                   // Normal
            Format(2, 0, 0, horizontal: HorizontalAlignmentValues.Center),     // Title
            Format(1, 2, 1, horizontal: HorizontalAlignmentValues.Center, wrap: true), // Header
            Format(0, 0, 1, wrap: true),                                       // Text
            Format(0, 0, 1, 3),                                                // Integer #,##0
            Format(0, 0, 1),                                                   // Decimal (General)
            Format(0, 0, 1, 164),                                              // Ratio #,##0.00
            Format(0, 3, 1, wrap: true),                                       // Late
            Format(0, 4, 1, wrap: true),                                       // Missing
            Format(1, 2, 1, wrap: true),                                       // TotalText
            Format(1, 2, 1, 3),                                                // TotalInteger
            Format(1, 2, 1, 164),                                              // TotalRatio
            Format(3, 0, 0),                                                   // Note
            Format(4, 0, 1, horizontal: HorizontalAlignmentValues.Center),     // CodeHeader
            Format(1, 2, 1),                                                   // TotalDecimal
            Format(0, 5, 1),                                                   // Input
            Format(0, 5, 1, wrap: true),                                       // Wrap (narrative input)
            Format(1, 0, 0, horizontal: HorizontalAlignmentValues.Center));    // Subtitle
        return new Stylesheet(formats, fonts, fills, thin, new CellStyleFormats(new CellFormat()), cellFormats);
    }

    /// <summary>
    /// The cells of the first worksheet by reference (<c>C7</c>), read within <paramref name="limits"/> (by default
    /// <see cref="XlsxReadLimits.Default"/>). Throws <see cref="XlsxFormatException"/> for a file that is not an .xlsx
    /// workbook or goes beyond a limit, its message in Vietnamese naming the limit.
    /// </summary>
    public static Dictionary<string, XlsxValue> ReadFirstSheet(Stream stream, XlsxReadLimits? limits = null) =>
        XlsxReader.ReadFirstSheet(stream, limits ?? XlsxReadLimits.Default);
}

/// <summary>An upload that is not an .xlsx workbook, or one beyond <see cref="XlsxReadLimits"/>; the message is for the user.</summary>
public sealed class XlsxFormatException : Exception
{
    public const string NotAWorkbook = "Tệp gửi lên không phải tệp Excel (.xlsx) hợp lệ.";

    public XlsxFormatException(Exception? inner = null) : base(NotAWorkbook, inner) { }

    public XlsxFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
