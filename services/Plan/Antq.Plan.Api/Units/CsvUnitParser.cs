using System.Text;
using nietras.SeparatedValues;

namespace Antq.Plan.Api.Units;

/// <summary>
/// Units below the commune in bulk, as people make the file: one per row, <c>code,name,kind,parentCode</c>, an optional
/// header row. Read with Sep, so what Excel writes is understood: a UTF-8 byte order mark ("CSV UTF-8"), <c>;</c> as
/// the separator (Vietnamese Windows' list separator) or <c>,</c> (told apart from the first row), fields in double
/// quotes holding the separator, quotes or line breaks, CRLF or LF. Kinds: ResidentialArea, Agency, Enterprise,
/// School, PoliceUnit.
/// </summary>
public static class CsvUnitParser
{
    public static readonly IReadOnlyList<OrgUnitKind> AllowedKinds =
        [OrgUnitKind.ResidentialArea, OrgUnitKind.Agency, OrgUnitKind.Enterprise, OrgUnitKind.School, OrgUnitKind.PoliceUnit];

    /// <summary>Strict UTF-8: a file saved in another code page (Windows-1258, TCVN3) is refused, not read as mojibake.</summary>
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static UnitFile Parse(string text, UnitFileLimits? limits = null) => Parse(Encoding.UTF8.GetBytes(text), limits);

    public static UnitFile Parse(ReadOnlySpan<byte> bytes, UnitFileLimits? limits = null)
    {
        limits ??= new UnitFileLimits();
        if (bytes.Length > limits.MaxBytes) throw UnitFileTooLargeException.Bytes(bytes.Length, limits.MaxBytes);
        if (bytes is [0xEF, 0xBB, 0xBF, ..]) bytes = bytes[3..];
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new UnitFileException(["Tệp CSV không phải UTF-8: trong Excel hãy lưu bằng \"CSV UTF-8 (Comma delimited)\"."]);
        }

        var units = new List<UnitRecord>();
        var errors = new List<string>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        using var reader = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true }).FromText(text);
        var fields = new string[4];
        foreach (var row in reader)
        {
            // Sep numbers the first row of a file without header from 2 (0.18.0); the rows after it right.
            var where = $"Dòng {(row.RowIndex == 0 ? 1 : row.LineNumberFrom)}";
            if (row.ColCount == 1 && row[0].Span.Trim().IsEmpty) continue;
            if (row.RowIndex == 0 && row[0].Span.Trim().Equals("code", StringComparison.OrdinalIgnoreCase)) continue;
            if (units.Count + errors.Count >= limits.MaxRows) throw UnitFileTooLargeException.Rows(limits.MaxRows);
            if (row.ColCount != 4)
            {
                errors.Add($"{where}: cần đúng 4 cột (code,name,kind,parentCode, ngăn cách bằng dấu phẩy hoặc dấu chấm phẩy), có {row.ColCount}.");
                continue;
            }

            var tooLong = false;
            for (var i = 0; i < 4; i++)
            {
                var span = row[i].Span;
                if (span.Length > limits.MaxFieldLength)
                {
                    errors.Add($"{where}: cột {i + 1} dài {span.Length} ký tự, vượt giới hạn {limits.MaxFieldLength} ký tự.");
                    tooLong = true;
                    break;
                }

                fields[i] = span.Trim().ToString();
            }

            if (tooLong) continue;
            if (Read(fields[0], fields[1], fields[2], fields[3], where, codes, errors) is { } unit) units.Add(unit);
        }

        if (errors.Count > 0) throw new UnitFileException(errors.Count <= 20 ? errors : [.. errors.Take(20), $"… và {errors.Count - 20} lỗi khác."]);
        if (units.Count == 0) throw new UnitFileException(["Tệp CSV không có đơn vị nào."]);
        return new UnitFile(UnitFileFormat.Csv, units);
    }

    /// <summary>One unit given field by field (the form that adds one unit), checked by the same rules as a row.</summary>
    public static UnitFile Single(string? code, string? name, string? kind, string? parentCode)
    {
        var errors = new List<string>();
        var unit = Read((code ?? "").Trim(), (name ?? "").Trim(), (kind ?? "").Trim(), (parentCode ?? "").Trim(), "Dòng 1", new HashSet<string>(), errors);
        if (errors.Count > 0 || unit is null) throw new UnitFileException(errors);
        return new UnitFile(UnitFileFormat.Csv, [unit]);
    }

    static UnitRecord? Read(string code, string name, string kindText, string parent, string where, HashSet<string> codes, List<string> errors)
    {
        var before = errors.Count;
        name = name.Normalize(NormalizationForm.FormC);
        if (code.Length == 0) errors.Add($"{where}: thiếu mã đơn vị.");
        else if (code.Length > 50 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            errors.Add($"{where}: mã \"{code}\" chỉ được gồm chữ, số và - _ . (tối đa 50 ký tự).");
        else if (!codes.Add(code)) errors.Add($"{where}: mã {code} bị trùng trong tệp.");
        if (name.Length == 0) errors.Add($"{where}: thiếu tên đơn vị.");
        if (parent.Length == 0) errors.Add($"{where}: thiếu mã đơn vị cấp trên (parentCode).");
        if (!Enum.TryParse<OrgUnitKind>(kindText, ignoreCase: true, out var kind) || !AllowedKinds.Contains(kind) || int.TryParse(kindText, out _))
        {
            errors.Add($"{where}: loại \"{kindText}\" không hợp lệ; dùng một trong {string.Join(", ", AllowedKinds)}.");
            return null;
        }

        return errors.Count == before ? new UnitRecord(code, name, kind, null, parent) : null;
    }
}

/// <summary>
/// How much of a unit file the service reads (configuration section <c>UnitFiles</c>): beyond these the file is refused
/// with a problem naming the limit. The defaults hold the real lists many times over (the three-tier dvhc list is
/// 0.75 MB; a province has some thousands of units below its communes).
/// </summary>
public sealed class UnitFileLimits
{
    public const string Section = "UnitFiles";

    /// <summary>The size of an uploaded file, in bytes (default 16 MB).</summary>
    [Antq.Settings.Positive]
    public long MaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The rows of a CSV file, the header not counted (default 50,000).</summary>
    [Antq.Settings.Positive]
    public int MaxRows { get; set; } = 50_000;

    /// <summary>The characters of one CSV field (default 500).</summary>
    [Antq.Settings.Positive]
    public int MaxFieldLength { get; set; } = 500;
}

/// <summary>A file past one of <see cref="UnitFileLimits"/>: refused with 413 before any of it is imported.</summary>
public sealed class UnitFileTooLargeException(string error) : UnitFileException([error])
{
    public static UnitFileTooLargeException Bytes(long size, long limit) =>
        new($"Tệp lớn {size} byte, vượt giới hạn {limit} byte (UnitFiles:MaxBytes); hãy chia tệp thành nhiều phần.");

    public static UnitFileTooLargeException Rows(int limit) =>
        new($"Tệp CSV có hơn {limit} dòng, vượt giới hạn {limit} dòng (UnitFiles:MaxRows); hãy chia tệp thành nhiều phần.");
}
