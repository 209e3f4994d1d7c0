using System.Globalization;
using System.Text;
using System.Text.Json;
using Antq.Cli;
using Antq.Cli.SignIn;
using Antq.Testing;
using Antq.Testing.Load;

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
    public async Task A_commune_submits_from_an_Excel_CSV_and_the_province_reads_its_rollup_back()
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
