using System.Text;
using Antq.Cli;

namespace Antq.Client.Tests;

/// <summary>The figures of <c>antq reports submit --file</c>, as Excel and people write them.</summary>
public sealed class ValuesFileTests
{
    [Fact]
    public void Excel_CSV_UTF8_with_semicolons_a_header_quoted_names_and_decimal_commas_is_read()
    {
        var path = Path.Combine(Path.GetTempPath(), $"antq-values-{Guid.NewGuid():N}.csv");
        var text = "Mã chỉ tiêu;Giá trị;Tên chỉ tiêu\r\n" +
                   "TIPS_TOTAL;1.234;\"Tin báo, tố giác; tổng số\"\r\n" +
                   "KDC_RATE;12,5;\"Tỷ lệ \"\"khu dân cư\"\" an toàn\nxuống dòng\"\r\n" +
                   "MODELS;1.234,5;Mô hình\r\n" +
                   "EMPTY;;bỏ trống\r\n";
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);
        try
        {
            var file = ValuesFile.Read(path);
            Assert.Equal(1.234m, (decimal)file.Values["TIPS_TOTAL"]);
            Assert.Equal(12.5m, (decimal)file.Values["KDC_RATE"]);
            Assert.Equal(1234.5m, (decimal)file.Values["MODELS"]);
            Assert.False(file.Values.ContainsKey("EMPTY"));
            Assert.Equal(3, file.Values.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Comma_separated_without_header_is_read()
    {
        var file = ValuesFile.FromCsv("TIPS_TOTAL,10\nTIPS_VALUABLE,\"2\"\nHELD,có\nPLAN_DONE,1\nOTHER,không\n");
        Assert.Equal(10m, (decimal)file.Values["TIPS_TOTAL"]);
        Assert.Equal(2m, (decimal)file.Values["TIPS_VALUABLE"]);
        Assert.Equal(true, file.Values["HELD"]);
        Assert.Equal(false, file.Values["OTHER"]);

        // 1/0 becomes yes/no only for the indicators the catalogue asks yes/no of.
        var sent = file.For(new HashSet<string> { "PLAN_DONE", "HELD" });
        Assert.Equal(true, sent["PLAN_DONE"]);
        Assert.Equal(true, sent["HELD"]);
        Assert.Equal(10m, sent["TIPS_TOTAL"]);
    }

    [Fact]
    public void Wrong_rows_are_named_by_line_in_Vietnamese_and_nothing_is_read()
    {
        var ex = Assert.Throws<CliException>(() => ValuesFile.FromCsv("code;value\nTIPS_TOTAL;10\nTIPS_VALUABLE;mười\nTIPS_TOTAL;3\n;4\n", "bad.csv"));
        Assert.Equal(ExitCodes.WrongInput, ex.ExitCode);
        Assert.Contains("bad.csv", ex.Message);
        Assert.Contains(ex.Details, d => d.StartsWith("Dòng 3:", StringComparison.Ordinal) && d.Contains("không phải là số"));
        Assert.Contains(ex.Details, d => d.StartsWith("Dòng 4:", StringComparison.Ordinal) && d.Contains("đã có ở dòng 2"));
        Assert.Contains(ex.Details, d => d.StartsWith("Dòng 5:", StringComparison.Ordinal) && d.Contains("thiếu mã chỉ tiêu"));
    }

    [Fact]
    public void JSON_as_the_API_body_or_as_values_alone()
    {
        var body = ValuesFile.FromJson("""{"values": {"TIPS_TOTAL": 12, "KDC_RATE": "12,5", "NONE": null}, "narrative": {"RESULTS": "Kết quả"}}""");
        Assert.Equal(12m, (decimal)body.Values["TIPS_TOTAL"]);
        Assert.Equal(12.5m, (decimal)body.Values["KDC_RATE"]);
        Assert.Equal(2, body.Values.Count);
        Assert.Equal("Kết quả", body.Narrative!["RESULTS"]);

        var alone = ValuesFile.FromJson("""{"TIPS_TOTAL": 7}""");
        Assert.Equal(7m, (decimal)alone.Values["TIPS_TOTAL"]);
        Assert.Null(alone.Narrative);

        Assert.Equal(true, ValuesFile.FromJson("""{"HELD": true}""").Values["HELD"]);
        var wrong = Assert.Throws<CliException>(() => ValuesFile.FromJson("""{"TIPS_TOTAL": [12]}"""));
        Assert.Contains(wrong.Details, d => d.Contains("TIPS_TOTAL") && d.Contains("không phải là số"));
        Assert.Throws<CliException>(() => ValuesFile.FromJson("{\"TIPS_TOTAL\": "));
    }

    [Fact]
    public void A_file_in_another_code_page_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"antq-values-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, [0x54, 0x3B, 0xE2, 0x31, 0x0A]); // "T;â1" in Windows-1258: not UTF-8
        try
        {
            var ex = Assert.Throws<CliException>(() => ValuesFile.Read(path));
            Assert.Contains("không phải UTF-8", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
