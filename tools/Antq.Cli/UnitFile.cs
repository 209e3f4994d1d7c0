using System.Text;

namespace Antq.Cli;

/// <summary>
/// The file of <c>antq units import</c> as Plan takes it: a CSV or a dvhc JSON is sent as it is (Plan reads the byte
/// order mark, <c>;</c> or <c>,</c> and quoted fields itself, and names a wrong row by its line); an Excel workbook is
/// turned into that CSV here, its first sheet's columns A–D, one line per sheet row, so that Plan's "Dòng 7" is row 7
/// of the sheet.
/// </summary>
public static class UnitFile
{
    public static (byte[] Body, string ContentType, int Rows) Read(string path)
    {
        if (!File.Exists(path)) throw new CliException($"Không có tệp {path}.", ExitCodes.WrongInput);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".xlsx") return FromWorkbook(Workbook.Read(path));
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Không đọc được tệp {path}: {ex.Message}", ExitCodes.WrongInput);
        }

        if (extension == ".xls") throw new CliException("Tệp Excel 97–2003 (.xls) không được hỗ trợ: hãy lưu thành .xlsx hoặc \"CSV UTF-8\".", ExitCodes.WrongInput);
        var rows = bytes.Count(b => b == (byte)'\n') + (bytes.Length > 0 && bytes[^1] != (byte)'\n' ? 1 : 0);
        return extension == ".json" ? (bytes, "application/json", rows) : (bytes, "text/csv", rows);
    }

    /// <summary>Columns A–D of the first sheet as CSV lines; a first row headed "code" or "Mã …" becomes Plan's header.</summary>
    public static (byte[] Body, string ContentType, int Rows) FromWorkbook(Workbook sheet)
    {
        var csv = new StringBuilder();
        var rows = 0;
        for (var row = 1; row <= sheet.LastRow; row++)
        {
            var cells = new[] { "A", "B", "C", "D" }.Select(c => sheet.Cell(c, row) ?? "").ToArray();
            if (row == 1 && (cells[0].Equals("code", StringComparison.OrdinalIgnoreCase) || cells[0].StartsWith("Mã", StringComparison.OrdinalIgnoreCase)))
            {
                csv.Append("code,name,kind,parentCode\n");
                continue;
            }

            if (cells.All(c => c.Length == 0))
            {
                csv.Append('\n');
                continue;
            }

            rows++;
            csv.Append(string.Join(',', cells.Select(Quote))).Append('\n');
        }

        if (rows == 0) throw new CliException("Trang đầu của tệp Excel không có đơn vị nào (cần các cột code, name, kind, parentCode).", ExitCodes.WrongInput);
        return (Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", rows);
    }

    /// <summary>A field in double quotes where it holds a comma or a quote; a line break in a cell becomes a space, keeping one line per row.</summary>
    static string Quote(string field)
    {
        field = field.ReplaceLineEndings(" ");
        return field.Contains(',') || field.Contains('"') ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }
}
