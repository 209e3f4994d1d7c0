using System.Text.Json;
using System.Text.Json.Serialization;

namespace Antq.Plan.Api.Lineage;

/// <summary>One line of merges-2025.json: a new unit and the text naming the old units it was formed from.</summary>
public sealed record MergeLine(
    [property: JsonPropertyName("ma")] string? Code,
    [property: JsonPropertyName("ten")] string? Name,
    [property: JsonPropertyName("magoc")] string? ParentCode,
    [property: JsonPropertyName("truocsapnhap")] string? Text)
{
    public bool IsProvince => ParentCode == "0";

    /// <summary>Reads the file; any malformed line refuses the whole file.</summary>
    public static IReadOnlyList<MergeLine> ParseFile(ReadOnlySpan<byte> json)
    {
        List<MergeLine>? lines;
        try
        {
            lines = JsonSerializer.Deserialize<List<MergeLine>>(json);
        }
        catch (JsonException ex)
        {
            throw new UnitFileException([$"Tệp không phải danh sách sáp nhập hợp lệ (dòng {(ex.LineNumber ?? 0) + 1}, vị trí {(ex.BytePositionInLine ?? 0) + 1})."]);
        }

        if (lines is null || lines.Count == 0) throw new UnitFileException(["Tệp sáp nhập rỗng: cần một danh sách các đơn vị mới với ma, ten, magoc, truocsapnhap."]);
        var errors = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(line.Code)) missing.Add("ma");
            if (string.IsNullOrWhiteSpace(line.Name)) missing.Add("ten");
            if (string.IsNullOrWhiteSpace(line.ParentCode)) missing.Add("magoc");
            if (line.Text is null) missing.Add("truocsapnhap");
            if (missing.Count > 0) errors.Add($"Dòng thứ {i + 1}{(line.Code is { Length: > 0 } c ? $" (mã {c})" : "")}: thiếu {string.Join(", ", missing)}.");
        }

        if (errors.Count > 0) throw new UnitFileException(errors.Count <= 20 ? errors : [.. errors.Take(20), $"… và {errors.Count - 20} lỗi khác."]);
        return lines;
    }
}
