using System.Text;
using System.Text.RegularExpressions;
using Antq.Testing;

namespace Antq.Calendar.Tests;

/// <summary>
/// The calendar is defined once (issue 22, "One calendar"): Vietnam time, the reporting periods and their codes, the
/// data window and "trước ngày" deadlines live in shared/Antq.Calendar and nowhere else. These tests read the sources of
/// services/, gateway/ and shared/ and fail when a copy appears: a UTC+7 offset or a time-zone id, a conversion to an
/// offset of its own, a parser of period codes, or a type of the calendar declared again. Comments are not read.
/// </summary>
public sealed partial class OneCalendarTests
{
    /// <summary>What counts as a copy, and what to use instead.</summary>
    static readonly (string Name, Regex Pattern, string Instead)[] Rules =
    [
        ("a UTC+7 offset", UtcPlus7(), "VietnamTime.Offset, VietnamTime.ToVietnam, VietnamTime.At"),
        ("a time-zone id or a time-zone conversion", TimeZone(), "VietnamTime (a fixed offset: Vietnam has no daylight saving)"),
        ("an instant moved to an offset", ToOffset(), "VietnamTime.ToVietnam (or ToUniversalTime for UTC)"),
        ("a period code taken apart", PeriodCodeParts(), "ReportingPeriod.TryParse / TryParseExact and ReportingPeriod.Code"),
        ("a parser of periods", PeriodParser(), "ReportingPeriod.TryParse / TryParseExact"),
        ("a calendar type declared again", CalendarType(), "the type in Antq.Calendar"),
    ];

    [Fact]
    public void Vietnam_time_periods_and_their_windows_are_defined_only_in_the_calendar()
    {
        var root = TestEnvironment.Root;
        var sources = new[] { "services", "gateway", "shared" }
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories))
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".razor", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("shared/Antq.Calendar/", StringComparison.Ordinal)
                           && !path.Contains("/bin/", StringComparison.Ordinal)
                           && !path.Contains("/obj/", StringComparison.Ordinal)
                           && !path.Contains("/Migrations/", StringComparison.Ordinal))
            .ToList();
        // The scan must have read the services: a wrong root would pass with nothing read.
        Assert.Contains(sources, path => path.StartsWith("services/Reporting/", StringComparison.Ordinal));
        Assert.Contains(sources, path => path.StartsWith("services/Notification/", StringComparison.Ordinal));

        var copies = sources
            .SelectMany(path => Copies(File.ReadAllText(Path.Combine(root, path))).Select(copy => $"{path}:{copy}"))
            .ToList();

        Assert.True(copies.Count == 0, "The calendar is defined once, in shared/Antq.Calendar; these are copies:\n" + string.Join("\n", copies));
    }

    [Theory]
    [InlineData("var vn = TimeSpan.FromHours(7);")]
    [InlineData("var vn = new TimeSpan(7, 0, 0);")]
    [InlineData("var at = new DateTimeOffset(d.ToDateTime(t), TimeSpan.FromMinutes(420));")]
    [InlineData("var zone = TimeZoneInfo.FindSystemTimeZoneById(\"SE Asia Standard Time\");")]
    [InlineData("var zone = \"Asia/Ho_Chi_Minh\";")]
    [InlineData("var local = at.ToOffset(offset);")]
    [InlineData("if (parts[1] == \"H1\") return $\"sơ kết {year}\";")]
    [InlineData("return kind == PeriodKind.Y ? $\"{year}-Y\" : $\"{year}-H1\";")]
    [InlineData("var ok = Regex.IsMatch(code, @\"^\\d{4}-(H1|Y)$\");")]
    [InlineData("public static bool TryParsePeriod(string text, out int year) => false;")]
    [InlineData("public readonly record struct ReportingPeriod(int Year, int Kind);")]
    [InlineData("public enum PeriodKind { H1, Y }")]
    [InlineData("public static class VietnamTime { }")]
    [InlineData("public sealed class DataWindowOptions { }")]
    public void A_copy_is_recognised(string code) => Assert.NotEmpty(Copies(code));

    [Theory]
    [InlineData("// Vietnam time is UTC+7: TimeSpan.FromHours(7), \"Asia/Ho_Chi_Minh\"; a period is \"2026-H1\".")]
    [InlineData("/// <summary>\"2026-H1\" → \"báo cáo sơ kết 6 tháng đầu năm 2026\".</summary>")]
    [InlineData("/* at.ToOffset(TimeSpan.FromHours(7)) */ var x = 1;")]
    [InlineData("var url = \"http://example\"; var due = at.ToVietnam();")]
    [InlineData("if (!ReportingPeriod.TryParseExact(message.Period, out var period) || period.Kind != PeriodKind.Y) return;")]
    [InlineData("var timeout = TimeSpan.FromHours(72); var name = period.ReportName;")]
    [InlineData("const string Example = \"2026-06-15T00:00:00+07:00\";")]
    [InlineData("Deadlines: new() { [\"2026-H1\"] = \"2026-06-15\", [\"2026-Y\"] = \"2026-11-30\" },")]
    public void Using_the_calendar_or_writing_about_it_is_not_a_copy(string code) => Assert.Empty(Copies(code));

    /// <summary>The copies in one source file, as "line: rule (use …)".</summary>
    static IEnumerable<string> Copies(string source)
    {
        var code = WithoutComments(source);
        foreach (var (name, pattern, instead) in Rules)
        {
            foreach (Match match in pattern.Matches(code))
            {
                var line = code.AsSpan(0, match.Index).Count('\n') + 1;
                yield return $"{line}: {name} ({match.Value.Trim()}); use {instead}";
            }
        }
    }

    /// <summary>
    /// The source with its comments blanked out (line breaks kept, so line numbers stay): what is written about the
    /// calendar in comments is not a copy of it. Strings are kept, since a period suffix or a zone id is a string.
    /// </summary>
    static string WithoutComments(string source)
    {
        var text = new StringBuilder(source.Length);
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < source.Length && source[i] != '\n') i++;
            }
            else if (c == '/' && next == '*')
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 2;
                text.Append('\n', source.AsSpan(i, end - i).Count('\n'));
                i = end;
            }
            else if (source.AsSpan(i).StartsWith("\"\"\""))
            {
                var end = source.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 3;
                text.Append(source, i, end - i);
                i = end;
            }
            else if (c == '"' || c == '\'')
            {
                var verbatim = c == '"' && i > 0 && (source[i - 1] == '@' || (source[i - 1] == '$' && i > 1 && source[i - 2] == '@'));
                var start = i++;
                while (i < source.Length)
                {
                    if (!verbatim && source[i] == '\\') { i += 2; continue; }
                    if (source[i] == c)
                    {
                        if (verbatim && i + 1 < source.Length && source[i + 1] == '"') { i += 2; continue; }
                        i++;
                        break;
                    }

                    if (!verbatim && source[i] == '\n') break;
                    i++;
                }

                i = Math.Min(i, source.Length);
                text.Append(source, start, i - start);
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        return text.ToString();
    }

    [GeneratedRegex(@"TimeSpan\.FromHours\(\s*7(\.0+)?\s*\)|new\s+TimeSpan\(\s*7\s*,\s*0\s*,\s*0\s*\)|TimeSpan\.FromMinutes\(\s*420\s*\)|TimeSpan\.FromSeconds\(\s*25200\s*\)|AddHours\(\s*[-+]?7\s*\)")]
    private static partial Regex UtcPlus7();

    [GeneratedRegex(@"""SE Asia Standard Time""|Asia/(Ho_Chi_Minh|Saigon|Bangkok|Jakarta)|FindSystemTimeZoneById|TimeZoneInfo\.(CreateCustomTimeZone|ConvertTime\w*)")]
    private static partial Regex TimeZone();

    [GeneratedRegex(@"\.ToOffset\(")]
    private static partial Regex ToOffset();

    // A whole period code written as data ("2026-H1" in an example) is not a copy; a code put together or taken apart is.
    [GeneratedRegex(@"""-?(H1|Y)""|(?<!""\d{4})-(H1|Y)""|\(\?:?H1\|Y\)|\(H1\|Y\)|H1\|Y\b")]
    private static partial Regex PeriodCodeParts();

    [GeneratedRegex(@"\b(static|public|private|internal|protected)\b[^;={}()]*\s\w*Parse\w*Period\w*\s*\(")]
    private static partial Regex PeriodParser();

    [GeneratedRegex(@"\b(class|struct|record|enum|interface)\s+(record\s+|struct\s+|class\s+)?(ReportingPeriod|PeriodKind|DataWindowOptions|DataWindow|VietnamTime|DueDate|MonthDay)\b")]
    private static partial Regex CalendarType();
}
