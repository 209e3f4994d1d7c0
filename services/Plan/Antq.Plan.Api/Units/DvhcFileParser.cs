using System.Text;
using System.Text.Json;

namespace Antq.Plan.Api.Units;

/// <summary>
/// Reads the two unit lists of ../shared/data/dvhc, telling them apart by their shape: provinces with <c>District</c>
/// (three-tier) or with <c>Wards</c> (two-tier). Any problem refuses the whole file; the messages say what and where.
/// </summary>
public static class DvhcFileParser
{
    public const string RootCode = "BCA";
    const int MaxErrors = 20;

    public static UnitFile Parse(ReadOnlySpan<byte> json)
    {
        // JsonDocument checks a string's UTF-8 only when it is read, and then throws what the API would answer with a 500
        // (found by fuzzing, tests/Antq.Plan.Tests/UnitFileFuzzTests.cs): the whole file is checked first.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new UnitFileException(["Tệp không phải văn bản UTF-8 hợp lệ: hãy lưu lại tệp JSON với mã hoá UTF-8."]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new UnitFileException([$"Tệp không phải JSON hợp lệ (dòng {(ex.LineNumber ?? 0) + 1}, vị trí {(ex.BytePositionInLine ?? 0) + 1})."]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0)
            {
                throw new UnitFileException(["Tệp phải là một danh sách (mảng JSON) các tỉnh, thành phố và không được rỗng."]);
            }

            var first = root[0];
            var format = first.ValueKind == JsonValueKind.Object && first.TryGetProperty("District", out _) ? UnitFileFormat.ThreeTier
                : first.ValueKind == JsonValueKind.Object && first.TryGetProperty("Wards", out _) ? UnitFileFormat.TwoTier
                : throw new UnitFileException(["Không nhận ra định dạng tệp: tỉnh đầu tiên không có danh sách \"District\" (ba cấp) hay \"Wards\" (hai cấp)."]);

            var reader = new Reader(format);
            var index = 0;
            foreach (var province in root.EnumerateArray())
            {
                index++;
                reader.Province(province, index);
            }

            if (reader.Errors.Count > 0) throw new UnitFileException(reader.Summary());
            return new UnitFile(format, reader.Units);
        }
    }

    sealed class Reader(UnitFileFormat format)
    {
        public List<UnitRecord> Units { get; } = [];
        public List<string> Errors { get; } = [];
        readonly HashSet<string> codes = new(StringComparer.Ordinal);

        public void Province(JsonElement element, int index)
        {
            var where = $"Tỉnh thứ {index}";
            if (!Unit(element, where, OrgUnitKind.Province, RootCode, null, out var code)) return;
            where = $"{where} (mã {code})";

            if (format == UnitFileFormat.ThreeTier)
            {
                var districts = Children(element, "District", where, required: true);
                var d = 0;
                foreach (var district in districts)
                {
                    d++;
                    var dWhere = $"{where}, huyện thứ {d}";
                    if (!Unit(district, dWhere, OrgUnitKind.District, code, "ProvinceCode", out var dCode)) continue;
                    var c = 0;
                    foreach (var ward in Children(district, "Ward", $"{dWhere} (mã {dCode})", required: false))
                    {
                        c++;
                        Unit(ward, $"{dWhere} (mã {dCode}), xã thứ {c}", OrgUnitKind.Commune, dCode, "DistrictCode", out _);
                    }
                }
            }
            else
            {
                var c = 0;
                foreach (var ward in Children(element, "Wards", where, required: true))
                {
                    c++;
                    Unit(ward, $"{where}, xã thứ {c}", OrgUnitKind.Commune, code, "ProvinceCode", out _);
                }
            }
        }

        IEnumerable<JsonElement> Children(JsonElement element, string property, string where, bool required)
        {
            if (!element.TryGetProperty(property, out var list) || list.ValueKind == JsonValueKind.Null)
            {
                if (required) Error($"{where}: thiếu danh sách \"{property}\".");
                return [];
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                Error($"{where}: \"{property}\" phải là một danh sách.");
                return [];
            }

            return list.EnumerateArray();
        }

        bool Unit(JsonElement element, string where, OrgUnitKind kind, string parentCode, string? parentProperty, out string code)
        {
            code = "";
            if (element.ValueKind != JsonValueKind.Object)
            {
                Error($"{where}: phải là một đối tượng JSON.");
                return false;
            }

            var rawCode = Text(element, "Code");
            var name = Text(element, "FullName");
            var ok = true;
            if (string.IsNullOrWhiteSpace(rawCode))
            {
                Error($"{where}: thiếu mã (Code).");
                ok = false;
            }
            else if (!rawCode.Trim().All(char.IsAsciiDigit))
            {
                Error($"{where}: mã \"{rawCode}\" chỉ được gồm chữ số.");
                ok = false;
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                Error($"{where}: thiếu tên (FullName).");
                ok = false;
            }

            if (!ok) return false;
            code = rawCode!.Trim();
            name = name!.Trim().Normalize(NormalizationForm.FormC);

            if (parentProperty is not null && Text(element, parentProperty) is { } declared && declared.Trim() != parentCode)
            {
                Error($"{where} (mã {code}): {parentProperty} là \"{declared}\" nhưng đơn vị nằm trong đơn vị mã {parentCode}.");
            }

            if (!codes.Add(code))
            {
                Error($"{where}: mã {code} bị trùng trong tệp.");
                return false;
            }

            CommuneKind? communeKind = null;
            if (kind == OrgUnitKind.Commune)
            {
                communeKind = UnitNames.CommuneKindOf(name);
                if (communeKind is null)
                {
                    Error($"{where} (mã {code}): tên \"{name}\" không bắt đầu bằng Xã, Phường, Đặc khu hay Thị trấn.");
                }
            }

            Units.Add(new UnitRecord(code, name, kind, communeKind, parentCode));
            return true;
        }

        static string? Text(JsonElement element, string property) =>
            element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        void Error(string message) => Errors.Add(message);

        public IReadOnlyList<string> Summary() => Errors.Count <= MaxErrors
            ? Errors
            : [.. Errors.Take(MaxErrors), $"… và {Errors.Count - MaxErrors} lỗi khác."];
    }
}
