using System.Globalization;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;

namespace Antq.Cli;

/// <summary>
/// A report's figures read from a file: values by indicator code (a number, or yes/no for the indicators that ask
/// whether something was done), and the narrative sections where the file has them.
/// </summary>
public sealed record ReportFile(IReadOnlyDictionary<string, object> Values, IReadOnlyDictionary<string, string>? Narrative)
{
    /// <summary>
    /// The values as the API takes them for this catalogue: an indicator that asks yes/no gets true/false where the
    /// file wrote 1/0 (as a spreadsheet holds a tick).
    /// </summary>
    public Dictionary<string, object> For(IReadOnlySet<string> booleanIndicators) =>
        Values.ToDictionary(v => v.Key, v => booleanIndicators.Contains(v.Key) && v.Value is decimal d && d is 0 or 1 ? (object)(d == 1) : v.Value, StringComparer.Ordinal);
}

/// <summary>
/// Reads the figures of <c>antq reports submit --file</c>, as people make the file:
/// <list type="bullet">
/// <item>CSV: one indicator per row, <c>code,value</c> (a third column, the indicator's name, is ignored, so that a copy
/// of the catalogue filled in works), an optional header row; read with Sep, so what Excel saves is understood: the
/// byte order mark of "CSV UTF-8", <c>;</c> (Vietnamese Windows' list separator) or <c>,</c>, quoted fields. Numbers as
/// Vietnamese write them (<c>12,5</c>, <c>1.234,5</c>) or with a decimal point (<c>1234.5</c>); yes/no as <c>có</c>/<c>không</c>
/// (or <c>true</c>/<c>false</c>, or 1/0 for a yes/no indicator); an empty value is left out.</item>
/// <item>JSON: the body of the API (<c>{"values": {...}, "narrative": {...}}</c>) or the values alone (<c>{"TIPS_TOTAL": 12}</c>).</item>
/// </list>
/// Every wrong row is named with its line, in Vietnamese; nothing is sent when any is wrong.
/// </summary>
public static class ValuesFile
{
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ReportFile Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Không đọc được tệp {path}: {ex.Message}", ExitCodes.WrongInput);
        }

        var text = Decode(bytes, path);
        return Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith('{')
            ? FromJson(text, path)
            : FromCsv(text, path);
    }

    static string Decode(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes is [0xEF, 0xBB, 0xBF, ..]) bytes = bytes[3..];
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new CliException($"Tệp {path} không phải UTF-8: trong Excel hãy lưu bằng \"CSV UTF-8 (Comma delimited)\".", ExitCodes.WrongInput);
        }
    }

    public static ReportFile FromCsv(string text, string name = "CSV")
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var errors = new List<string>();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true }).FromText(text);
        foreach (var row in reader)
        {
            // Sep numbers the first row of a file without header from 2 (0.18.0); the rows after it right.
            var line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
            if (row.ColCount == 1 && row[0].Span.Trim().IsEmpty) continue;
            var code = row[0].Span.Trim().ToString();
            var value = row.ColCount > 1 ? row[1].Span.Trim().ToString() : "";
            if (row.RowIndex == 0 && !TryNumber(value, out _) && value.Length > 0) continue; // the header row
            if (code.Length == 0)
            {
                errors.Add($"Dòng {line}: thiếu mã chỉ tiêu ở cột 1.");
                continue;
            }

            if (row.ColCount < 2)
            {
                errors.Add($"Dòng {line}: cần ít nhất 2 cột (mã chỉ tiêu, giá trị) ngăn cách bằng dấu phẩy hoặc dấu chấm phẩy.");
                continue;
            }

            if (value.Length == 0) continue;
            if (!TryValue(value, out var number))
            {
                errors.Add($"Dòng {line}: giá trị \"{value}\" của chỉ tiêu {code} không phải là số (hoặc có/không).");
                continue;
            }

            if (lines.TryGetValue(code, out var first))
            {
                errors.Add($"Dòng {line}: chỉ tiêu {code} đã có ở dòng {first}.");
                continue;
            }

            lines[code] = line;
            values[code] = number;
        }

        if (errors.Count == 0 && values.Count == 0) errors.Add("Tệp không có số liệu nào (mỗi dòng: mã chỉ tiêu, giá trị).");
        if (errors.Count > 0) throw Wrong(name, errors);
        return new ReportFile(values, null);
    }

    public static ReportFile FromJson(string text, string name = "JSON")
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement;
        }
        catch (JsonException ex)
        {
            throw Wrong(name, [$"JSON không hợp lệ (dòng {(ex.LineNumber ?? 0) + 1}): {ex.Message}"]);
        }

        if (root.ValueKind != JsonValueKind.Object) throw Wrong(name, ["Tệp JSON phải là một đối tượng: {\"values\": {\"MÃ\": số, …}} hoặc {\"MÃ\": số, …}."]);
        var body = root.TryGetProperty("values", out var inner) && inner.ValueKind == JsonValueKind.Object;
        var source = body ? inner : root;
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var member in source.EnumerateObject())
        {
            if (!body && member.Name == "narrative") continue;
            switch (member.Value.ValueKind)
            {
                case JsonValueKind.Number when member.Value.TryGetDecimal(out var number):
                    values[member.Name] = number;
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    values[member.Name] = member.Value.GetBoolean();
                    break;
                case JsonValueKind.String when TryValue(member.Value.GetString()!, out var parsed):
                    values[member.Name] = parsed;
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    errors.Add($"Chỉ tiêu {member.Name}: giá trị {member.Value.GetRawText()} không phải là số.");
                    break;
            }
        }

        Dictionary<string, string>? narrative = null;
        if (root.TryGetProperty("narrative", out var sections) && sections.ValueKind == JsonValueKind.Object)
        {
            narrative = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var section in sections.EnumerateObject())
            {
                if (section.Value.ValueKind == JsonValueKind.String) narrative[section.Name] = section.Value.GetString()!;
                else errors.Add($"Phần lời {section.Name}: phải là một chuỗi văn bản.");
            }
        }

        if (errors.Count == 0 && values.Count == 0) errors.Add("Tệp không có số liệu nào.");
        if (errors.Count > 0) throw Wrong(name, errors);
        return new ReportFile(values, narrative);
    }

    /// <summary>A number, or yes/no in words (có, không, true, false).</summary>
    public static bool TryValue(string text, out object value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "có" or "co" or "true" or "x":
                value = true;
                return true;
            case "không" or "khong" or "false":
                value = false;
                return true;
        }

        var ok = TryNumber(text, out var number);
        value = number;
        return ok;
    }

    /// <summary>
    /// A number as a person types it: <c>1234</c>, <c>1234.5</c>, <c>12,5</c>, <c>1.234,5</c>, <c>1,234.5</c>, with
    /// spaces between thousands. Where both separators appear, the last one is the decimal separator; a comma alone is
    /// the decimal comma (as Vietnamese Excel writes it), a point alone the decimal point.
    /// </summary>
    public static bool TryNumber(string text, out decimal value)
    {
        var s = text.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal);
        var comma = s.LastIndexOf(',');
        var point = s.LastIndexOf('.');
        if (comma >= 0 && point >= 0)
            s = comma > point ? s.Replace(".", "", StringComparison.Ordinal).Replace(',', '.') : s.Replace(",", "", StringComparison.Ordinal);
        else if (comma >= 0)
            s = s.Replace(',', '.');
        return decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
            && s.Count(c => c == '.') <= 1;
    }

    static CliException Wrong(string name, List<string> errors) =>
        new($"Tệp {name} có {errors.Count} lỗi, chưa gửi gì:", ExitCodes.WrongInput,
            errors.Count <= 20 ? errors : [.. errors.Take(20), $"… và {errors.Count - 20} lỗi khác."]);
}
