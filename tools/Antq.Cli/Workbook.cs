using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Antq.Cli;

/// <summary>
/// The first sheet of an Excel workbook as text by cell (<c>B3</c> → "14758"): what <c>units import</c> and
/// <c>reports submit --xlsx</c> need to read themselves (a unit list to send as CSV; the unit and period a report form
/// names). Numbers are written invariantly, shared and inline strings as they are; nothing is evaluated.
/// </summary>
public sealed class Workbook
{
    readonly Dictionary<string, string> cells;

    Workbook(Dictionary<string, string> cells, int lastRow)
    {
        this.cells = cells;
        LastRow = lastRow;
    }

    public int LastRow { get; }

    public string? this[string reference] => cells.GetValueOrDefault(reference);

    public string? Cell(string column, int row) => this[column + row.ToString(CultureInfo.InvariantCulture)];

    public static Workbook Read(string path)
    {
        try
        {
            using var document = SpreadsheetDocument.Open(path, false);
            var book = document.WorkbookPart ?? throw new InvalidDataException("no workbook part");
            var first = book.Workbook?.Sheets?.Elements<Sheet>().FirstOrDefault()?.Id?.Value;
            var part = (first is null ? book.WorksheetParts.FirstOrDefault() : (WorksheetPart)book.GetPartById(first)) ?? throw new InvalidDataException("no sheet");
            var shared = book.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
            var cells = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var lastRow = 0;
            foreach (var cell in part.Worksheet!.Descendants<Cell>())
            {
                if (cell.CellReference?.Value is not { } reference) continue;
                var text = cell.DataType?.Value == CellValues.SharedString && int.TryParse(cell.CellValue?.Text, out var index) && index < shared.Count ? shared[index]
                    : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText
                    : cell.CellValue?.Text;
                if (string.IsNullOrWhiteSpace(text)) continue;
                cells[reference] = text.Trim();
                lastRow = Math.Max(lastRow, int.Parse(reference.AsSpan(reference.IndexOfAny("0123456789".ToCharArray())), CultureInfo.InvariantCulture));
            }

            return new Workbook(cells, lastRow);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or OpenXmlPackageException or UnauthorizedAccessException or FormatException)
        {
            throw new CliException($"Không đọc được tệp Excel {path}: tệp không phải sổ tính .xlsx hợp lệ ({ex.Message}).", ExitCodes.WrongInput);
        }
    }
}
