using System.Globalization;
using System.Text;
using System.Text.Json;
using Antq.Cli;
using Antq.Cli.SignIn;
using Antq.Testing;
using Antq.Testing.Load;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Antq.Journeys;

/// <summary>
/// The <c>antq</c> command line against the whole platform, through the gateway, as an officer and an operator use it:
/// each command runs the tool's own entry point in this process with its arguments, its environment and a
/// configuration folder of its own, and the test reads what it printed and its exit code.
/// </summary>
public sealed class CliSeason() : JourneyPlatform(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(7)));

public sealed class CliJourney(CliSeason platform) : IClassFixture<CliSeason>, IDisposable
{
    const string Province = "12";
    const string Period = "2026-Y";
    readonly string home = Path.Combine(Path.GetTempPath(), $"antq-cli-{Guid.NewGuid():N}");

    sealed record Run(int Exit, string Out, string Error)
    {
        public override string ToString() => $"exit {Exit}\n--- out\n{Out}\n--- error\n{Error}";
    }

    /// <summary>Runs <c>antq ARGS</c> with the configuration folder <paramref name="account"/> and these environment variables.</summary>
    async Task<Run> AntqAsync(string account, Dictionary<string, string>? variables, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new Dictionary<string, string>(variables ?? []) { ["ANTQ_GATEWAY"] = platform.Address };
        var exit = await AntqCli.RunAsync(args, new CliEnvironment
        {
            Out = output,
            Error = error,
            Variable = name => environment.GetValueOrDefault(name),
            ConfigDirectory = Path.Combine(home, account),
            ReadPassword = _ => null,
        });
        return new Run(exit, output.ToString(), error.ToString());
    }

    Task<Run> AntqAsync(string account, params string[] args) => AntqAsync(account, null, args);

    [Fact]
    public async Task A_province_reports_from_CSV_and_Excel_forms_lists_the_missing_and_exports_the_rollup()
    {
        var province = await platform.ImportProvinceAsync("units-2026-07-two-tier.json", Province, "2025-07-01");
        var communes = province["Wards"]!.AsArray().Select(w => ((string)w!["Code"]!, (string)w["FullName"]!)).ToList();
        var (commune, communeName) = communes[0];
        await platform.UserAsync("xa.cli", "CommuneOfficer", commune);
        await platform.UserAsync("pv01.cli", "ProvinceOfficer", Province);
        var plan = await Season.PostAsync(platform.Admin, "api/plans", new
        {
            number = "21/KH-CAT-CLI", title = "Kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
            issuedOn = "2026-01-15", issuerCode = Province, year = 2026,
            deadlines = new Dictionary<string, string> { [Period] = "2026-12-15" },
        });
        await Season.PostAsync(platform.Admin, $"api/plans/{plan.GetProperty("id").GetString()}/issue", null);
        await Eventually.UntilAsync(async () =>
        {
            using var response = await platform.Admin.GetAsync($"api/deadlines/{commune}/{Period}");
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), $"the deadline of {commune}");

        // Sign in: the password from ANTQ_PASSWORD, the session kept for the next commands, readable by its owner only.
        var login = await AntqAsync("xa", new Dictionary<string, string> { ["ANTQ_PASSWORD"] = JourneyPlatform.Password }, "login", "--user", "xa.cli");
        Assert.True(login.Exit == ExitCodes.Done, login.ToString());
        Assert.Contains("Đã đăng nhập", login.Out);
        var sessionFile = new SessionStore(Path.Combine(home, "xa")).FilePath;
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(sessionFile));

        // The report as Excel saves "CSV UTF-8" on a Vietnamese machine: a byte order mark, ';' between fields, a header,
        // names in quotes holding a comma, decimal commas, yes/no indicators as 1/0.
        var values = new FullReport().Values(Period, 2101);
        values["TIPS_TOTAL"] = 25;
        values["TIPS_VALUABLE"] = 4;
        var csv = new StringBuilder("Mã chỉ tiêu;Giá trị;Tên chỉ tiêu\r\n");
        foreach (var (code, value) in values)
            csv.Append(CultureInfo.InvariantCulture, $"{code};{value.ToString(CultureInfo.GetCultureInfo("vi-VN"))};\"Chỉ tiêu {code}, theo danh mục\"\r\n");
        var file = Path.Combine(home, "bao-cao.csv");
        Directory.CreateDirectory(home);
        await File.WriteAllBytesAsync(file, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())]);

        var submitted = await AntqAsync("xa", "reports", "submit", commune, Period, "--file", file);
        Assert.True(submitted.Exit == ExitCodes.Done, submitted.ToString());
        Assert.Contains($"Đã nộp báo cáo tổng kết năm 2026 của {communeName}", submitted.Out);
        Assert.Contains("đã nộp", submitted.Out);

        var shown = await AntqAsync("xa", "reports", "show", commune, Period);
        Assert.True(shown.Exit == ExitCodes.Done, shown.ToString());
        Assert.Contains("Trạng thái:  đã nộp", shown.Out);
        Assert.Contains("đúng hạn", shown.Out);
        Assert.Contains("TIPS_TOTAL", shown.Out);

        // Submitting again is refused by the platform: its Vietnamese problem is shown, the exit code says so.
        var again = await AntqAsync("xa", "reports", "submit", commune, Period, "--file", file);
        Assert.True(again.Exit == ExitCodes.Refused, again.ToString());
        Assert.StartsWith("Lỗi 409: ", again.Error);
        Assert.DoesNotContain("yêu cầu bị từ chối", again.Error); // the platform's own words, not the fallback

        // A file with a word where a number belongs: named by its line, in Vietnamese, nothing sent.
        var bad = Path.Combine(home, "sai.csv");
        await File.WriteAllTextAsync(bad, "code;value\nTIPS_TOTAL;hai mươi lăm\n");
        var refused = await AntqAsync("xa", "reports", "submit", communes[1].Item1, Period, "--file", bad);
        Assert.Equal(ExitCodes.WrongInput, refused.Exit);
        Assert.Contains("Dòng 2: giá trị \"hai mươi lăm\" của chỉ tiêu TIPS_TOTAL không phải là số", refused.Error);
        using (var missing = await platform.Admin.GetAsync($"api/reports/{communes[1].Item1}/{Period}"))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);

        // A draft saved earlier (in the portal, say) is submitted from a JSON file: at the version just read (If-Match),
        // which the platform requires of an existing report.
        var (second, _) = communes[2];
        var drafter = await platform.UserAsync("xa2.cli", "CommuneOfficer", second);
        await Season.PutAsync(drafter, $"api/reports/{second}/{Period}", Season.Report(Period, 2102, new Dictionary<string, decimal> { ["TIPS_TOTAL"] = 3, ["TIPS_VALUABLE"] = 1 }));
        var body = Season.Report(Period, 2102, new Dictionary<string, decimal> { ["TIPS_TOTAL"] = 17, ["TIPS_VALUABLE"] = 1 });
        var jsonFile = Path.Combine(home, "bao-cao.json");
        await File.WriteAllTextAsync(jsonFile, body.ToJsonString());
        var script = new Dictionary<string, string> { ["ANTQ_USER"] = "xa2.cli", ["ANTQ_PASSWORD"] = JourneyPlatform.Password };
        var fromJson = await AntqAsync("xa2", script, "reports", "submit", second, Period, "--file", jsonFile, "--json");
        Assert.True(fromJson.Exit == ExitCodes.Done, fromJson.ToString());
        var answer = JsonDocument.Parse(fromJson.Out).RootElement;
        Assert.Equal("submitted", answer.GetProperty("status").GetString());
        Assert.Equal(17m, answer.GetProperty("values").GetProperty("TIPS_TOTAL").GetDecimal());
        Assert.True(answer.GetProperty("version").GetInt32() > 1);

        // The province reads the roll-up back: who was expected, who submitted, on time, late, missing.
        Assert.Equal(ExitCodes.Done, (await AntqAsync("pv01", new Dictionary<string, string> { ["ANTQ_PASSWORD"] = JourneyPlatform.Password }, "login", "-u", "pv01.cli")).Exit);
        var json = await AntqAsync("pv01", "rollup", Province, Period, "--json");
        Assert.True(json.Exit == ExitCodes.Done, json.ToString());
        var rollup = JsonDocument.Parse(json.Out).RootElement;
        var completeness = rollup.GetProperty("completeness");
        Assert.Equal(communes.Count, completeness.GetProperty("expected").GetInt32());
        Assert.Equal(2, completeness.GetProperty("submitted").GetInt32());
        Assert.Equal(2, completeness.GetProperty("onTime").GetInt32());
        Assert.Equal(0, completeness.GetProperty("late").GetInt32());
        Assert.Equal(communes.Count - 2, completeness.GetProperty("missing").GetInt32());
        Assert.Equal(25m + 17m, rollup.GetProperty("values").GetProperty("TIPS_TOTAL").GetProperty("value").GetDecimal());

        var table = await AntqAsync("pv01", "rollup", Province, Period, "--children");
        Assert.True(table.Exit == ExitCodes.Done, table.ToString());
        var lines = table.Out.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("Phải nộp", StringComparison.Ordinal));
        Assert.True(header >= 0, table.Out);
        Assert.Equal([communes.Count.ToString(CultureInfo.InvariantCulture), "2", "2", "0", (communes.Count - 2).ToString(CultureInfo.InvariantCulture), "0"],
            lines[header + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.StartsWith(commune + " ", StringComparison.Ordinal) && l.Contains("đã nộp", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(second + " ", StringComparison.Ordinal) && l.Contains("đã nộp", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith(communes[1].Item1 + " ", StringComparison.Ordinal) && l.Contains("chưa nộp", StringComparison.Ordinal));

        // The other reads of the day.
        var unit = await AntqAsync("pv01", "units", "show", commune);
        Assert.True(unit.Exit == ExitCodes.Done, unit.ToString());
        Assert.Contains(communeName, unit.Out);
        var children = await AntqAsync("pv01", "units", "list", "--parent", Province);
        Assert.True(children.Exit == ExitCodes.Done, children.ToString());
        Assert.Contains($"{communes.Count} đơn vị trực thuộc", children.Out);
        Assert.All(communes.Take(5), c => Assert.Contains(c.Item2, children.Out));
        var plans = await AntqAsync("pv01", "plans", "list", "--year", "2026");
        Assert.True(plans.Exit == ExitCodes.Done, plans.ToString());
        Assert.Contains("21/KH-CAT-CLI", plans.Out);
        Assert.True(plans.Out.Contains("2026-Y: trước ngày 15/12/2026", StringComparison.Ordinal), plans.Out);

        await TheProvinceOfficeWorksInBulkAsync(communes, [commune, second]);
    }

    /// <summary>
    /// The province office's bulk work, after two communes reported on their own: an administrator imports residential
    /// areas from a workbook; three communes' Excel forms — downloaded with <c>reports template</c>, filled as a clerk
    /// types them in — go in one <c>reports submit --xlsx</c>, one form with a wrong cell refused while the others pass;
    /// the communes still missing are listed (and <c>--check</c> fails a script while any is); the period's roll-up is
    /// exported to a workbook that names them; the audit trail shows the import.
    /// </summary>
    async Task TheProvinceOfficeWorksInBulkAsync(List<(string Code, string Name)> communes, string[] alreadySubmitted)
    {
        var admin = new Dictionary<string, string> { ["ANTQ_USER"] = "admin", ["ANTQ_PASSWORD"] = JourneyPlatform.AdminPassword };

        // Residential areas from Excel: a header row, a name holding a comma; Plan's answer as JSON for a script.
        var (host, _) = communes[^1];
        var areas = Path.Combine(home, "to-dan-pho.xlsx");
        WriteSheet(areas, [["code", "name", "kind", "parentCode"],
            [$"{host}-TDP01", "Tổ dân phố 1, khu Đông", "ResidentialArea", host],
            [$"{host}-TDP02", "Tổ dân phố 2", "ResidentialArea", host]]);
        var imported = await AntqAsync("admin", admin, "units", "import", areas, "--effective-from", "2026-01-01", "--json");
        Assert.True(imported.Exit == ExitCodes.Done, imported.ToString());
        var import = JsonDocument.Parse(imported.Out).RootElement;
        Assert.Equal(2, import.GetProperty("unitsInFile").GetInt32());
        Assert.Equal(2, import.GetProperty("created").GetInt32());
        var areaList = await AntqAsync("admin", admin, "units", "list", "--parent", host);
        Assert.True(areaList.Exit == ExitCodes.Done, areaList.ToString());
        Assert.Contains("Tổ dân phố 1, khu Đông", areaList.Out);

        // A workbook with a wrong kind on row 3: Plan names the row of the sheet, nothing is imported, exit 1.
        var wrongAreas = Path.Combine(home, "to-dan-pho-sai.xlsx");
        WriteSheet(wrongAreas, [["Mã", "Tên", "Loại", "Mã cấp trên"], [$"{host}-TDP03", "Tổ dân phố 3", "ResidentialArea", host], [$"{host}-TDP04", "Tổ dân phố 4", "Village", host]]);
        var refusedImport = await AntqAsync("admin", admin, "units", "import", wrongAreas);
        Assert.True(refusedImport.Exit == ExitCodes.Refused, refusedImport.ToString());
        Assert.Contains("Dòng 3", refusedImport.Error);
        Assert.DoesNotContain($"{host}-TDP03", (await AntqAsync("admin", admin, "units", "list", "--parent", host)).Out);

        // Three communes' forms, downloaded from the platform and filled in; the third has a word in a number cell.
        var pending = communes.Where(c => !alreadySubmitted.Contains(c.Code)).Take(3).ToList();
        var forms = new List<string>();
        var full = new FullReport();
        for (var i = 0; i < pending.Count; i++)
        {
            var path = Path.Combine(home, "bieu-mau", $"{pending[i].Code}.xlsx");
            var downloaded = await AntqAsync("admin", admin, "reports", "template", pending[i].Code, Period, "-o", path);
            Assert.True(downloaded.Exit == ExitCodes.Done, downloaded.ToString());
            var values = full.Values(Period, 2200 + i);
            values["TIPS_TOTAL"] = 10 + i;
            values["TIPS_VALUABLE"] = 1;
            FillForm(path, values, wrongCode: i == 2 ? "TIPS_TOTAL" : null);
            forms.Add(path);
        }

        var batch = await AntqAsync("admin", admin, ["reports", "submit", "--xlsx", .. forms, "--json"]);
        Assert.True(batch.Exit == ExitCodes.Refused, batch.ToString()); // one form refused: the script is told
        var outcomes = JsonDocument.Parse(batch.Out).RootElement.EnumerateArray().ToList();
        Assert.Equal(3, outcomes.Count);
        Assert.Equal(["submitted", "submitted"], outcomes.Take(2).Select(o => o.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, outcomes[2].GetProperty("status").ValueKind);
        Assert.Equal(400, outcomes[2].GetProperty("httpStatus").GetInt32());
        Assert.Contains("TIPS_TOTAL", batch.Error);
        Assert.Contains("Ô C", batch.Error); // Reporting's words name the cell
        Assert.Contains("3/3", batch.Error); // the progress reached the last form
        using (var notSaved = await platform.Admin.GetAsync($"api/reports/{pending[2].Code}/{Period}"))
            Assert.Equal(System.Net.HttpStatusCode.NotFound, notSaved.StatusCode);

        // Who is missing now: every commune but the four that submitted, the refused form's among them.
        var missingJson = await AntqAsync("pv01", "missing", Province, Period, "--json");
        Assert.True(missingJson.Exit == ExitCodes.Done, missingJson.ToString());
        var missing = JsonDocument.Parse(missingJson.Out).RootElement;
        var submittedCodes = alreadySubmitted.Concat(pending.Take(2).Select(p => p.Code)).ToHashSet();
        Assert.Equal(communes.Count, missing.GetProperty("expected").GetInt32());
        Assert.Equal(communes.Where(c => !submittedCodes.Contains(c.Code)).Select(c => c.Code).Order(StringComparer.Ordinal),
            missing.GetProperty("missing").EnumerateArray().Select(m => m.GetProperty("code").GetString()!));
        var missingTable = await AntqAsync("pv01", "missing", Province, Period, "--check");
        Assert.True(missingTable.Exit == ExitCodes.Missing, missingTable.ToString());
        Assert.Contains($"{communes.Count - submittedCodes.Count}/{communes.Count} đơn vị chưa nộp báo cáo", missingTable.Out);
        Assert.Contains(missingTable.Out.Split('\n'), l => l.StartsWith(pending[2].Code + " ", StringComparison.Ordinal) && l.Contains("chưa nộp", StringComparison.Ordinal));
        Assert.DoesNotContain(missingTable.Out.Split('\n'), l => l.StartsWith(pending[0].Code + " ", StringComparison.Ordinal));

        // The period's roll-up exported live (the period is not closed): a workbook naming the communes with their sums.
        var exportPath = Path.Combine(home, "xuat", "tong-hop.xlsx");
        var exported = await AntqAsync("pv01", "periods", "export", Province, Period, "--live", "-o", exportPath, "--json");
        Assert.True(exported.Exit == ExitCodes.Done, exported.ToString());
        Assert.Equal(new FileInfo(exportPath).Length, JsonDocument.Parse(exported.Out).RootElement.GetProperty("bytes").GetInt64());
        var exportText = SheetText(exportPath);
        Assert.Contains(pending[0].Name, exportText);
        Assert.Contains(pending[1].Name, exportText);
        var word = await AntqAsync("pv01", "periods", "export", Province, Period, "--live", "--format", "docx", "-o", Path.Combine(home, "xuat", "bao-cao.docx"));
        Assert.True(word.Exit == ExitCodes.Done, word.ToString());
        using (var docx = WordprocessingDocument.Open(Path.Combine(home, "xuat", "bao-cao.docx"), false))
            Assert.Contains("Tổng kết năm 2026", docx.MainDocumentPart!.Document!.InnerText, StringComparison.Ordinal);
        // Without --live before the closing: the live figures, said so in Vietnamese and in the JSON (not called a snapshot).
        var unclosed = await AntqAsync("pv01", "periods", "export", Province, Period, "-o", Path.Combine(home, "xuat", "chua-khoa.xlsx"), "--json");
        Assert.True(unclosed.Exit == ExitCodes.Done, unclosed.ToString());
        Assert.Equal("live", JsonDocument.Parse(unclosed.Out).RootElement.GetProperty("source").GetString());
        Assert.Contains("chưa khóa sổ", unclosed.Error);
        var wrongFormat = await AntqAsync("pv01", "periods", "export", Province, Period, "--format", "pdf");
        Assert.Equal(ExitCodes.WrongInput, wrongFormat.Exit);

        // The audit trail: the administrator's import, as the platform recorded it; refused to a province officer.
        await Eventually.UntilAsync(async () =>
        {
            var audit = await AntqAsync("admin", admin, "audit", "--action", "org-units.imported", "--json");
            return audit.Exit == ExitCodes.Done && JsonDocument.Parse(audit.Out).RootElement.EnumerateArray().Any(e => e.GetProperty("subject").GetString() == "org-units/2026-01-01");
        }, TimeSpan.FromSeconds(60), "the unit import in the audit trail");
        var auditTable = await AntqAsync("admin", admin, "audit", "--service", "plan", "-n", "5");
        Assert.True(auditTable.Exit == ExitCodes.Done, auditTable.ToString());
        Assert.Contains("org-units.imported", auditTable.Out);
        var officerAudit = await AntqAsync("pv01", "audit");
        Assert.True(officerAudit.Exit == ExitCodes.Refused, officerAudit.ToString());
        Assert.StartsWith("Lỗi 403", officerAudit.Error);
    }

    /// <summary>A workbook of one sheet with these rows, text cells inline (as a script or LibreOffice writes them).</summary>
    static void WriteSheet(string path, string[][] rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var book = document.AddWorkbookPart();
        book.Workbook = new DocumentFormat.OpenXml.Spreadsheet.Workbook();
        var part = book.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        for (var r = 0; r < rows.Length; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (var c = 0; c < rows[r].Length; c++)
                row.Append(new Cell { CellReference = $"{(char)('A' + c)}{r + 1}", DataType = CellValues.InlineString, InlineString = new InlineString(new Text(rows[r][c])) });
            data.Append(row);
        }

        part.Worksheet = new Worksheet(data);
        book.Workbook.AppendChild(new Sheets(new Sheet { Id = book.GetIdOfPart(part), SheetId = 1, Name = "Đơn vị" }));
    }

    /// <summary>
    /// Types the values into the form's column C beside their codes (column A), as a clerk does: numbers as numbers;
    /// <paramref name="wrongCode"/> gets a word instead.
    /// </summary>
    static void FillForm(string path, Dictionary<string, decimal> values, string? wrongCode)
    {
        using var document = SpreadsheetDocument.Open(path, true);
        var book = document.WorkbookPart!;
        var sheet = book.WorksheetParts.First().Worksheet!;
        var shared = book.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToList() ?? [];
        string? TextOf(Cell cell) => cell.DataType?.Value == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)]
            : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText : cell.CellValue?.Text;
        var filled = 0;
        foreach (var row in sheet.Descendants<Row>())
        {
            var cells = row.Elements<Cell>().ToList();
            var code = cells.FirstOrDefault(c => c.CellReference?.Value?.StartsWith('A') == true) is { } a ? TextOf(a) : null;
            if (code is null || !values.TryGetValue(code, out var value)) continue;
            var reference = $"C{row.RowIndex!.Value}";
            var cell = cells.FirstOrDefault(c => c.CellReference?.Value == reference);
            if (cell is null)
            {
                cell = new Cell { CellReference = reference };
                row.Append(cell);
            }

            cell.InlineString = null;
            if (code == wrongCode)
            {
                cell.DataType = CellValues.InlineString;
                cell.CellValue = null;
                cell.InlineString = new InlineString(new Text("mười hai"));
            }
            else
            {
                cell.DataType = null;
                cell.CellValue = new CellValue(value.ToString(CultureInfo.InvariantCulture));
            }

            filled++;
        }

        Assert.True(filled >= 10, $"only {filled} indicators found in the form {path}");
    }

    /// <summary>Every text of a workbook's sheets (shared and inline strings), to find names in an export.</summary>
    static string SheetText(string path)
    {
        using var document = SpreadsheetDocument.Open(path, false);
        var book = document.WorkbookPart!;
        var shared = book.SharedStringTablePart?.SharedStringTable?.InnerText ?? "";
        return shared + string.Concat(book.WorksheetParts.Select(p => p.Worksheet!.InnerText));
    }

    [Fact]
    public async Task Sign_in_is_kept_renewed_and_refused_in_Vietnamese()
    {
        // Nobody signed in: told how to, exit code 3.
        var anonymous = await AntqAsync("nobody", "units", "list");
        Assert.Equal(ExitCodes.NotSignedIn, anonymous.Exit);
        Assert.Contains("Chưa đăng nhập", anonymous.Error);

        // A wrong password: Identity's Vietnamese refusal.
        var wrong = await AntqAsync("admin", new Dictionary<string, string> { ["ANTQ_PASSWORD"] = "sai-mat-khau" }, "login", "--user", "admin");
        Assert.Equal(ExitCodes.NotSignedIn, wrong.Exit);
        Assert.Contains("Đăng nhập không thành công", wrong.Error);

        // A script signs in from ANTQ_USER and ANTQ_PASSWORD without a login step; the operator's list is JSON.
        var script = new Dictionary<string, string> { ["ANTQ_USER"] = "admin", ["ANTQ_PASSWORD"] = JourneyPlatform.AdminPassword };
        var letters = await AntqAsync("admin", script, "dead-letters", "list", "--json");
        Assert.True(letters.Exit == ExitCodes.Done, letters.ToString());
        var merged = JsonDocument.Parse(letters.Out).RootElement;
        Assert.Equal(JsonValueKind.Array, merged.GetProperty("items").ValueKind);
        Assert.Empty(merged.GetProperty("unreachable").EnumerateArray());
        var none = await AntqAsync("admin", "dead-letters", "list");
        Assert.True(none.Exit == ExitCodes.Done, none.ToString());
        Assert.Contains(merged.GetProperty("items").GetArrayLength() == 0 ? "Không có thư chết nào." : "thư chết", none.Out);
        var redrive = await AntqAsync("admin", "dead-letters", "redrive");
        Assert.Equal(ExitCodes.WrongInput, redrive.Exit);
        Assert.Contains("mã thư chết, hoặc --all", redrive.Error);

        // The access token has expired: the next command renews it with the refresh token, without the password.
        var store = new SessionStore(Path.Combine(home, "admin"));
        var kept = store.Load()!;
        Assert.NotNull(kept.RefreshToken);
        store.Save(kept with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        var me = await AntqAsync("admin", "me");
        Assert.True(me.Exit == ExitCodes.Done, me.ToString());
        Assert.Contains("Tài khoản: admin", me.Out);
        var renewed = store.Load()!;
        Assert.NotEqual(kept.AccessToken, renewed.AccessToken);
        Assert.True(renewed.ExpiresAt > DateTimeOffset.UtcNow);

        // Signing out revokes the refresh token: a copy of the old session cannot be renewed any more.
        var logout = await AntqAsync("admin", "logout");
        Assert.True(logout.Exit == ExitCodes.Done, logout.ToString());
        Assert.False(File.Exists(store.FilePath));
        store.Save(renewed with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        var after = await AntqAsync("admin", "me");
        Assert.Equal(ExitCodes.NotSignedIn, after.Exit);
        Assert.Contains("antq login", after.Error);
    }

    public void Dispose()
    {
        if (Directory.Exists(home)) Directory.Delete(home, recursive: true);
    }
}
