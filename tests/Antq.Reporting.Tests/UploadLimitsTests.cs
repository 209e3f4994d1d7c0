using System.Diagnostics;
using Antq.Reporting.Api.Data;
using Antq.Testing;
using Antq.UnitTree;

namespace Antq.Reporting.Tests;

/// <summary>
/// Crafted Excel forms are refused quickly, with little memory, and with a Vietnamese message naming the limit
/// (the reader's bounds: <see cref="XlsxReadLimits"/> and <see cref="ReportTemplate.LimitsFor"/>).
/// </summary>
public sealed class UploadLimitsTests
{
    static readonly Catalogue Catalogue = Catalogues.Default;
    static readonly ReportingPeriod Period = new(2026, PeriodKind.Y);

    /// <summary>Generous bounds, not a benchmark: a refusal takes milliseconds and a few megabytes.</summary>
    static readonly TimeSpan Quickly = TimeSpan.FromSeconds(5);
    const long LittleMemory = 64L * 1024 * 1024;

    static PeriodUnit Commune() => new(Period, new DateOnly(2026, 12, 14),
        new UnitTreeVersion { Code = "00004", Name = "Phường Ba Đình", Kind = "Commune", ParentCode = "01" },
        [new UnitTreeVersion { Code = "01", Name = "Thành phố Hà Nội", Kind = "Province", ParentCode = "BCA" }]);

    static byte[] Form() => ReportTemplate.Write(Catalogue, Commune(), null, DateTimeOffset.UtcNow);

    static int MaxRow => ReportTemplate.LimitsFor(Catalogue).MaxRow;

    /// <summary>Reads the bytes as an upload is read, and returns its one error with the time and the bytes this thread allocated.</summary>
    static (string Error, TimeSpan Took, long Allocated) Refusal(byte[] upload)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var form = ReportTemplate.Read(new MemoryStream(upload), Catalogue, Commune());
        var took = clock.Elapsed;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(form.Values);
        Assert.Empty(form.Narrative);
        var error = Assert.Single(Assert.Single(form.Errors).Value);
        Assert.True(took < Quickly, $"The refusal took {took}.");
        Assert.True(allocated < LittleMemory, $"The refusal allocated {allocated:N0} bytes.");
        Console.WriteLine($"{error} — {took.TotalMilliseconds:N0} ms, {allocated / 1024d / 1024d:N1} MB");
        return (error, took, allocated);
    }

    /// <summary>The corpus the bench sends to a running Reporting (HostileUploadBench): each Excel file refused here too.</summary>
    [Fact]
    public void Every_workbook_of_the_hostile_corpus_is_refused_quickly_with_little_memory()
    {
        var workbooks = HostileWorkbooks.Corpus(Form())
            .Where(u => u.ContentType == HostileWorkbooks.XlsxContentType && u.Body.Length <= ReportTemplate.MaxBytes).ToList();

        Assert.True(workbooks.Count >= 10, $"{workbooks.Count} workbooks");
        foreach (var upload in workbooks)
        {
            var (error, _, _) = Refusal(upload.Body);
            Assert.True(error.StartsWith("Tệp", StringComparison.Ordinal), $"{upload.Label}: {error}");
        }
    }

    [Fact]
    public void The_real_form_reads_within_the_limits_and_the_row_limit_is_a_few_hundred()
    {
        Assert.InRange(MaxRow, 200, 1_000);
        var form = ReportTemplate.Read(new MemoryStream(Form()), Catalogue, Commune());
        Assert.Empty(form.Errors);
        Assert.Equal(Catalogue.AskedIn(PeriodKind.Y).Count(i => i.IsEntered), form.Values.Count);
    }

    [Fact]
    public void A_sheet_inflating_to_hundreds_of_megabytes_is_refused_by_its_size()
    {
        var bomb = CraftedWorkbooks.Bomb(Form(), 300L * 1024 * 1024);
        Assert.True(bomb.Length < ReportTemplate.MaxBytes, $"The bomb is {bomb.Length:N0} bytes on the wire.");
        var (error, _, _) = Refusal(bomb);
        Assert.StartsWith("Tệp Excel bị từ chối: phần xl/worksheets/", error, StringComparison.Ordinal);
        Assert.Contains("giới hạn dung lượng mỗi phần", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bomb_whose_zip_headers_lie_about_its_size_is_refused_by_what_inflates()
    {
        var bomb = CraftedWorkbooks.Bomb(Form(), 300L * 1024 * 1024, lieInHeader: true);
        var (error, _, _) = Refusal(bomb);
        Assert.StartsWith("Tệp", error, StringComparison.Ordinal); // the ratio, the part's size or the zip's own check: never gigabytes
    }

    [Fact]
    public void A_part_compressed_beyond_the_ratio_is_refused_even_below_the_part_size()
    {
        var bomb = CraftedWorkbooks.Bomb(Form(), 4L * 1024 * 1024);
        var (error, _, _) = Refusal(bomb);
        Assert.Contains("giới hạn tỉ lệ nén", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C2147483647")]
    [InlineData("C99999999999999999999")]
    [InlineData("C1001")]
    public void A_cell_beyond_the_forms_rows_is_refused_naming_the_row_limit(string reference)
    {
        var (error, _, _) = Refusal(CraftedWorkbooks.MoveCell(Form(), $"C{ReportTemplate.HeaderRow + 1}", reference));
        Assert.Equal($"Tệp Excel bị từ chối: ô {(reference.Length > 24 ? reference[..24] + "…" : reference)} nằm ngoài dòng {MaxRow} (giới hạn số dòng của biểu mẫu).", error);
    }

    [Theory]
    [InlineData("XFD99999999")]
    [InlineData("AA7")]
    [InlineData("ZZZZZZZZZZZZZZ7")]
    public void A_cell_beyond_the_forms_columns_is_refused_naming_the_column_limit(string reference)
    {
        var (error, _, _) = Refusal(CraftedWorkbooks.MoveCell(Form(), $"C{ReportTemplate.HeaderRow + 1}", reference));
        Assert.Equal($"Tệp Excel bị từ chối: ô {reference} nằm ngoài cột Z (giới hạn cột của biểu mẫu).", error);
    }

    [Fact]
    public void A_cell_with_a_malformed_reference_is_refused()
    {
        var (error, _, _) = Refusal(CraftedWorkbooks.MoveCell(Form(), $"C{ReportTemplate.HeaderRow + 1}", "7C"));
        Assert.Equal("Tệp Excel bị từ chối: ô có địa chỉ không hợp lệ \"7C\".", error);
    }

    [Fact]
    public void A_sheet_declaring_entities_is_refused_without_expanding_them()
    {
        var (error, _, _) = Refusal(CraftedWorkbooks.BillionLaughs(Form()));
        Assert.StartsWith("Tệp Excel bị từ chối: một phần của tệp không phải XML hợp lệ hoặc có khai báo DTD, không được phép trong tệp Excel", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_naming_the_depth_limit()
    {
        var (error, _, _) = Refusal(CraftedWorkbooks.DeepNesting(Form(), 100_000));
        Assert.Equal("Tệp Excel bị từ chối: XML lồng nhau quá 32 cấp (giới hạn độ sâu).", error);
    }

    [Fact]
    public void A_flood_of_cells_is_refused_naming_the_cell_limit()
    {
        var (error, _, _) = Refusal(CraftedWorkbooks.CellFlood(Form(), "E7", 25_000));
        Assert.Equal("Tệp Excel bị từ chối: trang tính có hơn 20.000 ô (giới hạn số ô của biểu mẫu).", error);
    }

    [Fact]
    public void A_flood_of_shared_strings_is_refused_by_their_number()
    {
        var (error, _, _) = Refusal(CraftedWorkbooks.WithSharedStrings(Form(), Enumerable.Repeat("", 25_000)));
        Assert.Equal("Tệp Excel bị từ chối: bảng chuỗi dùng chung có hơn 20.000 chuỗi (giới hạn số chuỗi dùng chung).", error);
    }

    [Fact]
    public void Shared_strings_too_long_together_are_refused_by_their_length()
    {
        var random = new Random(7); // varied letters: the part compresses like text, so the ratio is not what refuses it
        string Text() => string.Create(1_000_000, random, (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = (char)('a' + r.Next(26)); });
        var (error, _, _) = Refusal(CraftedWorkbooks.WithSharedStrings(Form(), [Text(), Text(), Text()]));
        Assert.Equal("Tệp Excel bị từ chối: các chuỗi dùng chung dài hơn 2.000.000 ký tự (giới hạn tổng độ dài chuỗi dùng chung).", error);
    }

    [Fact]
    public void A_body_that_is_not_a_zip_is_refused_as_not_a_workbook()
    {
        var (error, _, _) = Refusal("PK\u0003\u0004 không phải Excel"u8.ToArray());
        Assert.Equal(XlsxFormatException.NotAWorkbook, error);
    }

    [Fact]
    public void Reading_beyond_the_time_budget_is_refused_naming_it()
    {
        var limits = ReportTemplate.LimitsFor(Catalogue) with { MaxTime = TimeSpan.Zero };
        var refused = Assert.Throws<XlsxFormatException>(() => Xlsx.ReadFirstSheet(new MemoryStream(Form()), limits));
        Assert.Equal("Tệp Excel bị từ chối: đọc tệp quá 0 giây (giới hạn thời gian đọc tệp).", refused.Message);
    }
}
