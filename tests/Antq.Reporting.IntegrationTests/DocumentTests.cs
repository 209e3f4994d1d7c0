using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Antq.Contracts.Plan;
using Antq.ServiceDefaults;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using W = DocumentFormat.OpenXml.Wordprocessing;
using static Antq.Reporting.IntegrationTests.Http;

namespace Antq.Reporting.IntegrationTests;

/// <summary>The consolidated report of a real province as Excel and Word: read back, the numbers are the roll-up's; LibreOffice opens both.</summary>
[Collection(ReportingCollection.Name)]
public sealed class DocumentTests(ReportingFixture fixture)
{
    static readonly Spec Spec = Spec.Catalogue;
    static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");
    const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [Fact]
    public async Task The_exported_xlsx_and_docx_of_a_real_province_hold_the_rollups_numbers_and_open_in_LibreOffice()
    {
        const string province = "14"; // Sơn La
        const string period = "2033-Y";
        var at = new DateOnly(2033, 12, 14);
        var communes = fixture.Units.ChildrenOf(province, at).Select(c => c.Code).ToList();
        var random = new Random(2033);
        var submitting = communes.Skip(3).ToList(); // three communes never report
        var counted = submitting.ToDictionary(c => c, _ => Spec.RandomValues("Y", random));
        await Parallel.ForEachAsync(submitting, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (code, _) =>
        {
            using var client = fixture.As($"cb-{code}", AntqRoles.CommuneOfficer, code);
            await client.PutJsonAsync($"/api/reports/{code}/{period}", new { values = Spec.Body(counted[code]) }).OkJsonAsync();
            await client.PostAsync($"/api/reports/{code}/{period}/submit", null).OkJsonAsync();
        });

        // The province office's own report: narrative written, nothing submitted.
        using var officer = fixture.As("pv01-sonla", AntqRoles.ProvinceOfficer, province);
        const string results = "Toàn tỉnh tổ chức 1.250 buổi tuyên truyền, phát động phong trào.";
        await officer.PutJsonAsync($"/api/reports/{province}/{period}", new { narrative = new Dictionary<string, string>
        {
            ["TINH_HINH"] = "Tình hình an ninh chính trị, trật tự an toàn xã hội trên địa bàn tỉnh cơ bản ổn định.", ["KET_QUA"] = results,
        } }).OkJsonAsync();

        // The province plan's target, as the Plan service publishes it.
        var bus = fixture.Service.Services.GetRequiredService<IBus>();
        await bus.Publish(new PlanIssued
        {
            PlanId = Guid.NewGuid(), Number = "15/KH-CAT", Title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ ANTQ năm 2033", IssuerCode = province,
            Year = 2033, IssuedOn = new DateOnly(2033, 1, 20), Deadlines = [], ReminderPolicy = null!,
            Targets = [new PlanTargetSet { Indicator = "PCT_UNITS_SAFE", Comparator = ">=", Value = 87.5m, Scope = "subtree" },
                new PlanTargetSet { Indicator = "FORUMS", Comparator = ">=", Value = 1_000_000m, Scope = "subtree" }],
            OccurredAt = DateTimeOffset.UtcNow,
        });
        await Waiting.ForAsync(async () => await fixture.InDbAsync(db => db.PlanTargets.CountAsync(t => t.IssuerCode == province && t.Year == 2033)) == 2, "the plan's targets");

        var rollup = await officer.GetAsync($"/api/rollups/{province}/{period}").OkJsonAsync();
        Spec.AssertRollup(Spec.Expected("Y", province, at, fixture.Units, counted), rollup, province);
        var values = rollup.GetProperty("values");

        // Excel: one row per commune plus the total row; every number equals the roll-up (of the commune, of the province).
        using var xlsxResponse = await officer.GetAsync($"/api/rollups/{province}/{period}/export?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsxResponse.StatusCode);
        Assert.Equal(XlsxType, xlsxResponse.Content.Headers.ContentType?.MediaType);
        var xlsx = await xlsxResponse.Content.ReadAsByteArrayAsync();
        var sheet = ReadSheet(xlsx);
        var codeRow = sheet.Where(c => c.Value.Text == "CONF_BRIEFINGS").Select(c => RowOf(c.Key)).Single();
        var columns = sheet.Where(c => RowOf(c.Key) == codeRow && c.Value.Text is not null).ToDictionary(c => c.Value.Text!, c => ColumnOf(c.Key));
        var indicators = Spec.Indicators.Where(i => i.AskedIn("Y")).ToList();
        Assert.Equal(indicators.Select(i => i.Code).Order(), columns.Keys.Order());
        var rowsByUnit = sheet.Where(c => ColumnOf(c.Key) == "B" && RowOf(c.Key) > codeRow && c.Value.Text is not null)
            .GroupBy(c => c.Value.Text!).ToDictionary(g => g.Key, g => g.Select(c => RowOf(c.Key)).ToList());
        Assert.Equal(communes.Order(StringComparer.Ordinal), rowsByUnit.Keys.Where(k => k != province).Order(StringComparer.Ordinal));
        var totalRow = rowsByUnit[province].Single();
        Assert.Equal("TỔNG CỘNG", sheet[$"C{totalRow}"].Text);
        Assert.Contains(indicators[0].Name, sheet.Values.Select(v => v.Text));
        foreach (var indicator in indicators)
        {
            var expected = values.GetProperty(indicator.Code).GetProperty("value");
            sheet.TryGetValue($"{columns[indicator.Code]}{totalRow}", out var cell);
            if (expected.ValueKind == JsonValueKind.Null) Assert.True(cell?.Number is null, $"total {indicator.Code}: expected empty, got {cell?.Number}");
            else Assert.True(cell?.Number == expected.GetDecimal(), $"total {indicator.Code}: expected {expected}, got {cell?.Number}");
        }

        foreach (var commune in communes.Take(6))
        {
            var ofCommune = (await fixture.Admin.GetAsync($"/api/rollups/{commune}/{period}").OkJsonAsync()).GetProperty("values");
            var row = rowsByUnit[commune].Single();
            Assert.Equal(submitting.Contains(commune) ? "Đúng hạn, chờ tiếp nhận" : "Chưa nộp", sheet[$"D{row}"].Text);
            foreach (var indicator in indicators)
            {
                var expected = ofCommune.GetProperty(indicator.Code).GetProperty("value");
                sheet.TryGetValue($"{columns[indicator.Code]}{row}", out var cell);
                Assert.True(expected.ValueKind == JsonValueKind.Null ? cell?.Number is null : cell?.Number == expected.GetDecimal(),
                    $"{commune} {indicator.Code}: expected {expected}, got {cell?.Number}");
            }
        }

        // Word: the official layout, the narrative, the indicator table with the roll-up's numbers and the plan's targets.
        using var docxResponse = await officer.GetAsync($"/api/rollups/{province}/{period}/export?format=docx");
        Assert.Equal(HttpStatusCode.OK, docxResponse.StatusCode);
        var docx = await docxResponse.Content.ReadAsByteArrayAsync();
        using (var document = WordprocessingDocument.Open(new MemoryStream(docx), false))
        {
            var invalid = new OpenXmlValidator().Validate(document).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
            Assert.True(invalid.Count == 0, string.Join("\n", invalid));
            var body = document.MainDocumentPart!.Document!.Body!;
            var paragraphs = body.Descendants<W.Paragraph>().Select(p => p.InnerText).ToList();
            Assert.Contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", paragraphs);
            Assert.Contains("Độc lập - Tự do - Hạnh phúc", paragraphs);
            Assert.Contains("CÔNG AN TỈNH SƠN LA", paragraphs);
            Assert.Contains("BỘ CÔNG AN", paragraphs);
            Assert.Contains(paragraphs, p => Regex.IsMatch(p, @"^Số:\s+/BC-CAT$"));
            Assert.Contains(paragraphs, p => Regex.IsMatch(p, @"^Sơn La, ngày \d{2} tháng \d{2} năm \d{4}$"));
            Assert.Contains("BÁO CÁO", paragraphs);
            Assert.Contains("Tổng kết năm 2033 phong trào toàn dân bảo vệ an ninh Tổ quốc", paragraphs);
            Assert.Contains("I. TÌNH HÌNH AN NINH, TRẬT TỰ", paragraphs);
            Assert.Contains("V. ĐỀ XUẤT, KIẾN NGHỊ", paragraphs);
            Assert.Contains(results, paragraphs);
            Assert.Contains("Nơi nhận:", paragraphs);
            Assert.Contains(paragraphs, p => p.StartsWith("Thực hiện Kế hoạch số 15/KH-CAT", StringComparison.Ordinal));
            Assert.Contains(paragraphs, p => p.Contains($"Đã nhận {submitting.Count}/{communes.Count} báo cáo", StringComparison.Ordinal) && p.Contains("chưa nộp 3 đơn vị", StringComparison.Ordinal));
            var fonts = document.MainDocumentPart.StyleDefinitionsPart!.Styles!.Descendants<W.RunFonts>().First();
            Assert.Equal("Times New Roman", fonts.Ascii?.Value);

            var table = body.Descendants<W.Table>().Single(t => t.Descendants<W.TableRow>().First().InnerText.Contains("Chỉ tiêu kế hoạch", StringComparison.Ordinal));
            var rows = table.Descendants<W.TableRow>().Skip(1).Select(r => r.Descendants<W.TableCell>().Select(c => c.InnerText).ToList()).ToList();
            Assert.Equal(indicators.Count, rows.Count);
            foreach (var indicator in indicators)
            {
                var row = rows.Single(r => r[1] == indicator.Name);
                Assert.Equal(indicator.Unit, row[2]);
                var expected = values.GetProperty(indicator.Code).GetProperty("value");
                if (expected.ValueKind == JsonValueKind.Null)
                {
                    Assert.Equal("–", row[3]);
                    continue;
                }

                var shown = decimal.Parse(row[3], NumberStyles.Number, Vi);
                var ratio = indicator.Aggregation is "ratio" or "meanOfRatios";
                Assert.True(shown == (ratio ? Math.Round(expected.GetDecimal(), 2) : expected.GetDecimal()), $"docx {indicator.Code}: expected {expected}, shown {row[3]}");
                if (!ratio && expected.GetDecimal() >= 1000) Assert.Contains(".", row[3]); // Vietnamese thousands separator
            }

            var safe = rows.Single(r => r[1] == Spec.ByCode["PCT_UNITS_SAFE"].Name);
            Assert.Equal("≥ 87,5", safe[4]);
            var safeValue = values.GetProperty("PCT_UNITS_SAFE").GetProperty("value").GetDecimal();
            Assert.Equal(safeValue >= 87.5m ? "Đạt" : "Chưa đạt", safe[5]);
            Assert.Equal("Chưa đạt", rows.Single(r => r[1] == Spec.ByCode["FORUMS"].Name)[5]);
        }

        // Both open cleanly: LibreOffice converts them to PDF and the text reads back.
        var total = values.GetProperty("PROP_PARTICIPANTS").GetProperty("value").GetDecimal();
        var docText = ConvertAndRead(docx, "docx");
        Assert.Contains("BÁO CÁO", docText);
        Assert.Contains("Tổng kết năm 2033", docText);
        Assert.Contains(total.ToString("#,##0", Vi), docText);
        var xlsxText = ConvertAndRead(xlsx, "xlsx");
        Assert.Contains("BẢNG TỔNG HỢP", xlsxText);
        Assert.Matches(Regex.Escape(total.ToString("#,##0", CultureInfo.InvariantCulture)).Replace(",", "[.,]"), xlsxText);

        // Scope: a commune of another province may not export it.
        using var stranger = fixture.As("cb-khac", AntqRoles.CommuneOfficer, "00004");
        using var forbidden = await stranger.GetAsync($"/api/rollups/{province}/{period}/export?format=docx");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using var badFormat = await officer.GetAsync($"/api/rollups/{province}/{period}/export?format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
    }

    [Fact]
    public async Task An_uploaded_form_with_a_wrong_value_is_refused_naming_the_cell_and_a_correct_one_is_saved()
    {
        const string period = "2033-H1";
        var commune = fixture.Units.ChildrenOf("14", new DateOnly(2033, 6, 14)).Last().Code;
        using var client = fixture.As($"cb-{commune}", AntqRoles.CommuneOfficer, commune);
        using var templateResponse = await client.GetAsync($"/api/reports/{commune}/{period}/template.xlsx");
        Assert.Equal(HttpStatusCode.OK, templateResponse.StatusCode);
        var template = await templateResponse.Content.ReadAsByteArrayAsync();
        var cells = ReadSheet(template);
        int RowOfCode(string code) => RowOf(cells.Single(c => ColumnOf(c.Key) == "A" && c.Value.Text == code).Key);
        Assert.Equal(Spec.Entered("H1").Select(i => i.Code).Order(), cells.Where(c => ColumnOf(c.Key) == "A" && RowOf(c.Key) > 6 && Spec.ByCode.ContainsKey(c.Value.Text ?? ""))
            .Select(c => c.Value.Text!).Order());
        Assert.Equal(Spec.ByCode["FORUMS"].Name, cells[$"B{RowOfCode("FORUMS")}"].Text);
        Assert.Equal(Spec.ByCode["FORUMS"].Unit, cells[$"D{RowOfCode("FORUMS")}"].Text);
        int briefings = RowOfCode("CONF_BRIEFINGS"), forums = RowOfCode("FORUMS"), plan = RowOfCode("PLAN_ISSUED"), explosives = RowOfCode("EXPLOSIVES_KG"), results = RowOfCode("KET_QUA");

        // A negative number and a text where a number is asked: refused, each naming its cell, and nothing saved.
        var wrong = Edit(template, (sheet, set) =>
        {
            set($"C{briefings}", -3m);
            set($"C{forums}", "nhiều");
            set($"C{plan}", "Có");
        });
        using var refused = await PutXlsxAsync(client, $"/api/reports/{commune}/{period}", wrong);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.ReadJsonAsync();
        var errors = problem.Errors();
        Assert.Equal($"Ô C{briefings}: \"{Spec.ByCode["CONF_BRIEFINGS"].Name}\" không được là số âm.", Assert.Single(errors["CONF_BRIEFINGS"]));
        Assert.Equal($"Ô C{forums}: \"{Spec.ByCode["FORUMS"].Name}\" phải là số nguyên (diễn đàn).", Assert.Single(errors["FORUMS"]));
        Assert.Contains($"Ô C{briefings}", problem.GetProperty("detail").GetString());
        using (var nothing = await client.GetAsync($"/api/reports/{commune}/{period}"))
            Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);

        // Corrected: saved with the values, the yes/no in words, a Vietnamese decimal typed as text, and the narrative.
        var right = Edit(template, (sheet, set) =>
        {
            set($"C{briefings}", 3m);
            set($"C{forums}", "1.204");
            set($"C{plan}", "Có");
            set($"C{explosives}", "2,5");
            set($"C{results}", "Xã tổ chức 3 hội nghị quán triệt.");
        });
        using var saved = await PutXlsxAsync(client, $"/api/reports/{commune}/{period}", right);
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        var report = await client.GetAsync($"/api/reports/{commune}/{period}").OkJsonAsync();
        var stored = report.GetProperty("values");
        Assert.Equal(3, stored.GetProperty("CONF_BRIEFINGS").GetDecimal());
        Assert.Equal(1204, stored.GetProperty("FORUMS").GetDecimal());
        Assert.True(stored.GetProperty("PLAN_ISSUED").GetBoolean());
        Assert.Equal(2.5m, stored.GetProperty("EXPLOSIVES_KG").GetDecimal());
        Assert.Equal("Xã tổ chức 3 hội nghị quán triệt.", report.GetProperty("narrative").GetProperty("KET_QUA").GetString());
        Assert.Contains(report.GetProperty("history").EnumerateArray(), h => h.GetProperty("field").GetString() == "FORUMS" && h.GetProperty("newValue").GetString() == "1204");

        // A form downloaded now carries the version; uploading an older form over a newer report is refused.
        using (var stale = await PutXlsxAsync(client, $"/api/reports/{commune}/{period}", right))
            Assert.Equal(HttpStatusCode.PreconditionRequired, stale.StatusCode); // the first form had no version: the report did not exist then
        var current = await (await client.GetAsync($"/api/reports/{commune}/{period}/template.xlsx")).Content.ReadAsByteArrayAsync();
        Assert.Equal(3m, ReadSheet(current)[$"C{briefings}"].Number);
        using (var again = await PutXlsxAsync(client, $"/api/reports/{commune}/{period}", Edit(current, (_, set) => set($"C{briefings}", 4m))))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        // A form of another unit is refused.
        using var other = fixture.As("cb-khac", AntqRoles.CommuneOfficer, "00004");
        using var wrongUnit = await PutXlsxAsync(other, $"/api/reports/00004/{period}", right);
        Assert.Equal(HttpStatusCode.BadRequest, wrongUnit.StatusCode);
        Assert.Contains("Ô B3", (await wrongUnit.ReadJsonAsync()).GetProperty("detail").GetString());
    }

    static Task<HttpResponseMessage> PutXlsxAsync(HttpClient client, string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(XlsxType);
        return client.PutAsync(path, content);
    }

    /// <summary>Changes cells of the first sheet, as a user would in Excel: numbers as numbers, text as shared strings.</summary>
    static byte[] Edit(byte[] workbook, Action<Worksheet, Action<string, object>> edit)
    {
        using var stream = new MemoryStream();
        stream.Write(workbook);
        using (var document = SpreadsheetDocument.Open(stream, true))
        {
            var part = document.WorkbookPart!.WorksheetParts.First();
            var worksheet = part.Worksheet!;
            edit(worksheet, (reference, value) =>
            {
                var cell = worksheet.Descendants<Cell>().Single(c => c.CellReference == reference);
                cell.InlineString = null;
                if (value is decimal number)
                {
                    cell.DataType = null;
                    cell.CellValue = new CellValue(number.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    cell.DataType = CellValues.InlineString;
                    cell.CellValue = null;
                    cell.InlineString = new InlineString(new Text((string)value));
                }
            });
            worksheet.Save();
        }

        return stream.ToArray();
    }

    sealed record CellValueRead(decimal? Number, string? Text);

    /// <summary>The first sheet's cells, read with the Open XML SDK on its own (not the service's reader).</summary>
    static Dictionary<string, CellValueRead> ReadSheet(byte[] workbook)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(workbook), false);
        var part = (WorksheetPart)document.WorkbookPart!.GetPartById(document.WorkbookPart.Workbook!.Sheets!.Elements<Sheet>().First().Id!.Value!);
        var shared = document.WorkbookPart.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        var result = new Dictionary<string, CellValueRead>();
        foreach (var cell in part.Worksheet!.Descendants<Cell>())
        {
            var type = cell.DataType?.Value;
            if (type == CellValues.InlineString) result[cell.CellReference!] = new(null, cell.InlineString!.InnerText);
            else if (type == CellValues.SharedString) result[cell.CellReference!] = new(null, shared[int.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)]);
            else if (cell.CellValue is not null) result[cell.CellReference!] = new(decimal.Parse(cell.CellValue.Text, NumberStyles.Float, CultureInfo.InvariantCulture), null);
        }

        return result;
    }

    static int RowOf(string reference) => int.Parse(reference.TrimStart((char[])[.. Enumerable.Range('A', 26).Select(c => (char)c)]), CultureInfo.InvariantCulture);

    static string ColumnOf(string reference) => new([.. reference.TakeWhile(char.IsAsciiLetter)]);

    /// <summary>Converts with LibreOffice (headless) to PDF and reads the text back with pdftotext.</summary>
    static string ConvertAndRead(byte[] file, string extension)
    {
        var soffice = new[] { "/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice" }.FirstOrDefault(File.Exists);
        Assert.True(soffice is not null && File.Exists("/usr/bin/pdftotext"),
            "LibreOffice or pdftotext is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation (deploy/antq test installs them).");
        var dir = Directory.CreateTempSubdirectory("antq-lo-");
        try
        {
            var input = Path.Combine(dir.FullName, $"report.{extension}");
            File.WriteAllBytes(input, file);
            Run(soffice!, $"-env:UserInstallation=file://{dir.FullName}/profile --headless --norestore --convert-to pdf --outdir {dir.FullName} {input}");
            var pdf = Path.Combine(dir.FullName, "report.pdf");
            Assert.True(File.Exists(pdf), $"LibreOffice did not convert the {extension}");
            Run("/usr/bin/pdftotext", $"-layout {pdf} {dir.FullName}/report.txt");
            return File.ReadAllText(Path.Combine(dir.FullName, "report.txt"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    static void Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"{file} did not finish");
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited {process.ExitCode}: {output.Result} {error.Result}");
    }
}
