using System.Text;

namespace Antq.Plan.Api.Domain.Units;

/// <summary>
/// Units below the commune in bulk: one per line, <c>code,name,kind,parentCode</c>, an optional header line, fields in
/// double quotes when they hold a comma. Kinds: ResidentialArea, Agency, Enterprise, School, PoliceUnit.
/// </summary>
public static class CsvUnitParser
{
    public static readonly IReadOnlyList<OrgUnitKind> AllowedKinds =
        [OrgUnitKind.ResidentialArea, OrgUnitKind.Agency, OrgUnitKind.Enterprise, OrgUnitKind.School, OrgUnitKind.PoliceUnit];

    public static UnitFile Parse(string text)
    {
        var units = new List<UnitRecord>();
        var errors = new List<string>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var where = $"Dòng {i + 1}";
            if (line.Length == 0) continue;
            var fields = Split(line);
            if (i == 0 && fields.Count > 0 && fields[0].Trim().Equals("code", StringComparison.OrdinalIgnoreCase)) continue;
            if (fields.Count != 4)
            {
                errors.Add($"{where}: cần đúng 4 cột (code,name,kind,parentCode), có {fields.Count}.");
                continue;
            }

            var (code, name, kindText, parent) = (fields[0].Trim(), fields[1].Trim().Normalize(NormalizationForm.FormC), fields[2].Trim(), fields[3].Trim());
            if (code.Length == 0) errors.Add($"{where}: thiếu mã đơn vị.");
            else if (code.Length > 50 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                errors.Add($"{where}: mã \"{code}\" chỉ được gồm chữ, số và - _ . (tối đa 50 ký tự).");
            else if (!codes.Add(code)) errors.Add($"{where}: mã {code} bị trùng trong tệp.");
            if (name.Length == 0) errors.Add($"{where}: thiếu tên đơn vị.");
            if (parent.Length == 0) errors.Add($"{where}: thiếu mã đơn vị cấp trên (parentCode).");
            if (!Enum.TryParse<OrgUnitKind>(kindText, ignoreCase: true, out var kind) || !AllowedKinds.Contains(kind))
            {
                errors.Add($"{where}: loại \"{kindText}\" không hợp lệ; dùng một trong {string.Join(", ", AllowedKinds)}.");
                continue;
            }

            units.Add(new UnitRecord(code, name, kind, null, parent));
        }

        if (errors.Count > 0) throw new UnitFileException(errors.Count <= 20 ? errors : [.. errors.Take(20), $"… và {errors.Count - 20} lỗi khác."]);
        if (units.Count == 0) throw new UnitFileException(["Tệp CSV không có đơn vị nào."]);
        return new UnitFile(UnitFileFormat.Csv, units);
    }

    static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }

        fields.Add(current.ToString());
        return fields;
    }
}
