using System.Globalization;
using System.Text.RegularExpressions;

namespace Antq.Reporting.Api.Documents;

/// <summary>What an uploaded form says: values (null clears one), narrative, the report version it was made from, and errors by indicator code.</summary>
public sealed record TemplateForm(
    Dictionary<string, decimal?> Values,
    Dictionary<string, string?> Narrative,
    int? Version,
    Dictionary<string, List<string>> Errors);

/// <summary>
/// The report form as an Excel workbook (biểu mẫu báo cáo): a unit downloads it, fills it offline and uploads it.
/// Layout: rows 1–5 name the form, the unit, the period and the report version it was made from; row 6 heads the
/// indicators (A code, B name, C value, D unit), one row each from row 7; then the narrative sections (A code, B name,
/// C text). An empty value cell clears the value, as a JSON null does.
/// </summary>
public static partial class ReportTemplate
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public const long MaxBytes = 5 * 1024 * 1024;

    public const int HeaderRow = 6;

    /// <summary>Rows a form may have beyond the ones the catalogue fills (blank lines, notes a unit adds below).</summary>
    public const int RowMargin = 200;

    /// <summary>The last column a form may use: it fills A–D, and a unit may note beside them, up to Z.</summary>
    public const int MaxColumn = 26;

    /// <summary>
    /// The bounds of reading an uploaded form: <see cref="XlsxReadLimits.Default"/> with the rows narrowed to the form's shape
    /// (the header rows, one row per indicator of the catalogue, the narrative head and sections) plus <see cref="RowMargin"/>:
    /// a few hundred rows for the real catalogue.
    /// </summary>
    public static XlsxReadLimits LimitsFor(Catalogue catalogue) => XlsxReadLimits.Default with
    {
        MaxRow = HeaderRow + catalogue.Indicators.Count + 2 + catalogue.NarrativeSections.Count + RowMargin,
        MaxColumn = MaxColumn,
    };

    const string UnitLabel = "Mã đơn vị";
    const string PeriodLabel = "Kỳ báo cáo";
    const string VersionLabel = "Phiên bản báo cáo";
    const string IndicatorHeader = "Mã chỉ tiêu";
    const string SectionHeader = "Mã mục";
    const string Yes = "Có";
    const string No = "Không";

    public static byte[] Write(Catalogue catalogue, PeriodUnit target, Report? report, DateTimeOffset now)
    {
        var values = report?.CurrentValues() ?? new Dictionary<string, decimal>();
        var sheet = new XlsxSheet("Báo cáo") { FreezeAtRow = HeaderRow + 1 };
        sheet.Widths[0] = 24;
        sheet.Widths[1] = 70;
        sheet.Widths[2] = 18;
        sheet.Widths[3] = 14;
        sheet.Rows.Add([new($"BIỂU MẪU BÁO CÁO {target.Period.Title.ToUpper(Vi)} PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC", XlsxStyle.Title)]);
        sheet.Merges.Add("A1:D1");
        sheet.Rows.Add([new("Đơn vị"), new(target.Unit.Name), new($"Tải lúc {VietnamTime.Timestamp(now)}", XlsxStyle.Note)]);
        sheet.Rows.Add([new(UnitLabel), new(target.Unit.Code), new("Nhập số vào cột C (ô nền vàng). Chỉ tiêu có/không ghi \"Có\" hoặc \"Không\". Để trống là chưa có số liệu.", XlsxStyle.Note)]);
        sheet.Rows.Add([new(PeriodLabel), new(target.Period.Code), new("Không sửa các ô ở cột A và dòng 1–5.", XlsxStyle.Note)]);
        sheet.Rows.Add([new(VersionLabel), report is null ? new XlsxCell(null) : new XlsxCell(report.Version)]);
        sheet.Rows.Add([new(IndicatorHeader, XlsxStyle.Header), new("Tên chỉ tiêu", XlsxStyle.Header), new("Giá trị", XlsxStyle.Header), new("Đơn vị tính", XlsxStyle.Header)]);
        foreach (var indicator in catalogue.AskedIn(target.Period.Kind).Where(i => i.IsEntered))
        {
            object? value = values.TryGetValue(indicator.Code, out var v)
                ? indicator.ValueType == Indicators.ValueType.Boolean ? (v != 0 ? Yes : No) : v
                : null;
            sheet.Rows.Add([new(indicator.Code, XlsxStyle.Text), new(indicator.Name, XlsxStyle.Text), new(value, XlsxStyle.Input), new(indicator.Unit, XlsxStyle.Text)]);
        }

        sheet.Rows.Add(null);
        sheet.Rows.Add([new(SectionHeader, XlsxStyle.Header), new("Phần nội dung báo cáo", XlsxStyle.Header), new("Nội dung", XlsxStyle.Header)]);
        foreach (var section in catalogue.NarrativeSections)
        {
            var text = report is not null && report.Narrative.TryGetValue(section.Code, out var t) ? t : null;
            sheet.Rows.Add([new(section.Code, XlsxStyle.Text), new(section.Name, XlsxStyle.Text), new(text, XlsxStyle.Wrap)]);
        }

        return Xlsx.Write(sheet);
    }

    /// <summary>Reads an uploaded form with the checks of the JSON save; every error names its cell (<c>Ô C7: …</c>).</summary>
    public static TemplateForm Read(Stream stream, Catalogue catalogue, PeriodUnit target)
    {
        var values = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        var narrative = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string key, string message)
        {
            if (!errors.TryGetValue(key, out var list)) errors[key] = list = [];
            list.Add(message);
        }

        Dictionary<string, XlsxValue> cells;
        try
        {
            stream.Position = 0;
            cells = Xlsx.ReadFirstSheet(stream, LimitsFor(catalogue));
        }
        catch (XlsxFormatException ex)
        {
            Error("file", ex.Message);
            return new TemplateForm(values, narrative, null, errors);
        }

        var lastRow = cells.Keys.Select(RowOf).DefaultIfEmpty(0).Max();
        string? TextAt(string reference) => cells.TryGetValue(reference, out var v)
            ? v.Text?.Trim() ?? v.Number?.ToString(CultureInfo.InvariantCulture) : null;
        int? RowLabelled(string label, int from = 1) =>
            Enumerable.Range(from, Math.Max(0, lastRow - from + 1)).Cast<int?>().FirstOrDefault(r => string.Equals(TextAt($"A{r}"), label, StringComparison.OrdinalIgnoreCase));

        var unitRow = RowLabelled(UnitLabel);
        var periodRow = RowLabelled(PeriodLabel);
        var headerRow = RowLabelled(IndicatorHeader);
        if (unitRow is null || periodRow is null || headerRow is null)
        {
            Error("file", $"Tệp không phải biểu mẫu báo cáo tải từ hệ thống (thiếu ô \"{UnitLabel}\", \"{PeriodLabel}\" hoặc \"{IndicatorHeader}\" ở cột A); hãy tải biểu mẫu tại /api/reports/{target.Unit.Code}/{target.Period.Code}/template.xlsx.");
            return new TemplateForm(values, narrative, null, errors);
        }

        if (TextAt($"B{unitRow}") is var unit && unit != target.Unit.Code)
            Error("file", $"Ô B{unitRow}: biểu mẫu này của đơn vị có mã {unit ?? "(trống)"}, không phải của {target.Unit.Name} ({target.Unit.Code}).");
        if (TextAt($"B{periodRow}") is var period && period != target.Period.Code)
            Error("file", $"Ô B{periodRow}: biểu mẫu này của kỳ {period ?? "(trống)"}, không phải kỳ {target.Period.Code}.");

        int? version = null;
        if (RowLabelled(VersionLabel) is { } versionRow && cells.TryGetValue($"B{versionRow}", out var versionCell) && !versionCell.IsEmpty)
        {
            if (versionCell.Number is { } n && n == decimal.Truncate(n) && n is > 0 and < int.MaxValue) version = (int)n;
            else Error("file", $"Ô B{versionRow}: phiên bản báo cáo phải là số nguyên dương như khi tải biểu mẫu; đừng sửa ô này.");
        }

        var sectionRow = RowLabelled(SectionHeader, headerRow.Value + 1) ?? lastRow + 1;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var row = headerRow.Value + 1; row < sectionRow; row++)
        {
            var code = TextAt($"A{row}");
            if (string.IsNullOrEmpty(code)) continue;
            if (seen.TryGetValue(code, out var first))
            {
                Error(code, $"Ô A{row}: mã chỉ tiêu {code} đã có ở dòng {first}; mỗi chỉ tiêu chỉ ghi một dòng.");
                continue;
            }

            seen[code] = row;
            if (ReportValidator.CodeProblem(catalogue, target.Period.Kind, code, out var indicator) is { } codeProblem)
            {
                Error(code, $"Ô A{row}: {codeProblem}");
                continue;
            }

            cells.TryGetValue($"C{row}", out var cell);
            if (cell is null || cell.IsEmpty)
            {
                values[code] = null;
                continue;
            }

            if (ReadValue(indicator, cell) is not { } value)
            {
                Error(code, $"Ô C{row}: {ReportValidator.TypeMessage(indicator)}");
                continue;
            }

            if (ReportValidator.Check(indicator, value) is { } problem)
            {
                Error(code, $"Ô C{row}: {problem}");
                continue;
            }

            values[code] = value;
        }

        var sections = catalogue.NarrativeSections.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        for (var row = sectionRow + 1; row <= lastRow; row++)
        {
            var code = TextAt($"A{row}");
            if (string.IsNullOrEmpty(code)) continue;
            if (!sections.Contains(code))
            {
                Error(code, $"Ô A{row}: mục \"{code}\" không có trong danh mục các phần của báo cáo ({string.Join(", ", sections)}).");
                continue;
            }

            var text = cells.TryGetValue($"C{row}", out var cell) ? cell.Text ?? cell.Number?.ToString(Vi) : null;
            if (text is { Length: > ReportsApi.MaxNarrativeLength })
                Error(code, $"Ô C{row}: nội dung mục này quá dài (tối đa {ReportsApi.MaxNarrativeLength.ToString("N0", Vi)} ký tự).");
            else narrative[code] = string.IsNullOrWhiteSpace(text) ? null : text;
        }

        return new TemplateForm(values, narrative, version, errors);
    }

    /// <summary>A cell's value for an indicator: a number cell, or text in Vietnamese notation (1.234,5); "Có"/"Không" for yes/no.</summary>
    static decimal? ReadValue(Indicator indicator, XlsxValue cell)
    {
        if (cell.IsError) return null;
        if (indicator.ValueType == Indicators.ValueType.Boolean)
        {
            if (cell.Boolean is { } flag) return flag ? 1 : 0;
            if (cell.Number is { } n) return n is 0 or 1 ? n : null;
            return cell.Text?.Trim().ToLower(Vi) switch
            {
                "có" or "co" or "x" or "đã" or "true" => 1,
                "không" or "khong" or "chưa" or "false" => 0,
                _ => null,
            };
        }

        if (cell.Number is { } number) return number;
        if (cell.Boolean is not null) return null;
        var text = cell.Text?.Trim().Replace(" ", "", StringComparison.Ordinal) ?? "";
        return VietnameseNumber().IsMatch(text) && decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, Vi, out var parsed)
            ? parsed : null;
    }

    static int RowOf(string reference) =>
        int.TryParse(reference.AsSpan(reference.TakeWhile(char.IsAsciiLetter).Count()), NumberStyles.None, CultureInfo.InvariantCulture, out var row) ? row : 0;

    static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    [GeneratedRegex(@"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")]
    private static partial Regex VietnameseNumber();
}
