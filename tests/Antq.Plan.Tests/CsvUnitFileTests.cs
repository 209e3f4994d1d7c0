using System.Text;
using Antq.Plan.Api.Units;

namespace Antq.Plan.Tests;

/// <summary>CSV files as people make them: Excel's "CSV UTF-8", Vietnamese list separators, quoted fields, limits.</summary>
public sealed class CsvUnitFileTests
{
    /// <summary>
    /// The bytes Excel writes when a sheet is saved as "CSV UTF-8 (Comma delimited)" on a Windows set to Vietnamese:
    /// a byte order mark, <c>;</c> between fields (the list separator), CRLF line ends, and a field holding the
    /// separator-like comma in double quotes.
    /// </summary>
    public static byte[] ExcelCsvUtf8(string parent) =>
    [
        0xEF, 0xBB, 0xBF,
        .. Encoding.UTF8.GetBytes(
            "code;name;kind;parentCode\r\n" +
            $"{parent}-TDP09;Tổ dân phố 9;ResidentialArea;{parent}\r\n" +
            $"{parent}-TH02;\"Trường Tiểu học Nguyễn Trãi, cơ sở 2\";School;{parent}\r\n" +
            $"{parent}-CA01;\"Công an phường; đội \"\"Cảnh sát khu vực\"\"\";PoliceUnit;{parent}\r\n"),
    ];

    [Fact]
    public void A_file_saved_by_Excel_as_CSV_UTF8_with_semicolons_reads_every_unit()
    {
        var file = CsvUnitParser.Parse(ExcelCsvUtf8("14758"));
        Assert.Equal(["14758-TDP09", "14758-TH02", "14758-CA01"], file.Units.Select(u => u.Code));
        Assert.Equal("Trường Tiểu học Nguyễn Trãi, cơ sở 2", file.Units[1].Name);
        Assert.Equal("Công an phường; đội \"Cảnh sát khu vực\"", file.Units[2].Name);
        Assert.Equal([OrgUnitKind.ResidentialArea, OrgUnitKind.School, OrgUnitKind.PoliceUnit], file.Units.Select(u => u.Kind));
        Assert.All(file.Units, u => Assert.Equal("14758", u.ParentCode));
    }

    [Fact]
    public void Commas_quoted_line_breaks_and_no_header_are_read_too()
    {
        var file = CsvUnitParser.Parse("KDC-1,\"Thôn Đông,\nxóm Bãi\",ResidentialArea,00004\nKDC-2,Thôn Tây,residentialarea,00004");
        Assert.Equal("Thôn Đông,\nxóm Bãi", file.Units[0].Name);
        Assert.Equal("KDC-2", file.Units[1].Code);
    }

    [Fact]
    public void Decomposed_Vietnamese_is_stored_composed()
    {
        var decomposed = "Thôn Đồng Tâm".Normalize(NormalizationForm.FormD);
        var file = CsvUnitParser.Parse($"KDC-1;{decomposed};ResidentialArea;00004\r\n");
        Assert.Equal("Thôn Đồng Tâm".Normalize(NormalizationForm.FormC), file.Units[0].Name);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_named_by_its_line()
    {
        var ex = Assert.Throws<UnitFileException>(() => CsvUnitParser.Parse("code;name;kind;parentCode\r\nKDC-1;Thôn A;ResidentialArea\r\n"));
        Assert.Equal("Dòng 2: cần đúng 4 cột (code,name,kind,parentCode, ngăn cách bằng dấu phẩy hoặc dấu chấm phẩy), có 3.", Assert.Single(ex.Errors));
        var twice = Assert.Throws<UnitFileException>(() => CsvUnitParser.Parse("KDC-1,\"Thôn A,\nxóm 1\",School,1\nKDC-1,Thôn B,School,1\n"));
        Assert.Equal("Dòng 3: mã KDC-1 bị trùng trong tệp.", Assert.Single(twice.Errors));
    }

    [Fact]
    public void A_file_not_in_UTF8_is_refused_with_the_way_to_save_it()
    {
        // "Thôn" in Windows-1258: ô is 0xF4, which is not valid UTF-8 on its own.
        byte[] bytes = [.. "KDC-1;Th"u8, 0xF4, .. "n A;ResidentialArea;00004"u8];
        var ex = Assert.Throws<UnitFileException>(() => CsvUnitParser.Parse(bytes));
        Assert.Contains("CSV UTF-8", Assert.Single(ex.Errors));
    }

    [Fact]
    public void Files_past_the_limits_are_refused_naming_the_limit()
    {
        var limits = new UnitFileLimits { MaxRows = 2, MaxFieldLength = 10, MaxBytes = 200 };
        var rows = Assert.Throws<UnitFileTooLargeException>(() => CsvUnitParser.Parse("code,name,kind,parentCode\nA,B,School,1\nC,D,School,1\nE,F,School,1\n", limits));
        Assert.Contains("vượt giới hạn 2 dòng (UnitFiles:MaxRows)", Assert.Single(rows.Errors));

        var field = Assert.Throws<UnitFileException>(() => CsvUnitParser.Parse("A,Tổ dân phố số 12,School,1\n", limits));
        Assert.Equal("Dòng 1: cột 2 dài 16 ký tự, vượt giới hạn 10 ký tự.", Assert.Single(field.Errors));

        var size = Assert.Throws<UnitFileTooLargeException>(() => CsvUnitParser.Parse(new string('x', 201), limits));
        Assert.Contains("vượt giới hạn 200 byte (UnitFiles:MaxBytes)", Assert.Single(size.Errors));
    }
}
