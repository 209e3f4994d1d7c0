
namespace Antq.Reporting.Api.Documents;

/// <summary>
/// The consolidated table (bảng tổng hợp) as Excel: one row per unit reporting to the unit with its status and its
/// roll-up, the unit's own work where it has some, and the total row (the unit's roll-up). One column per indicator
/// asked in the period, headed by its name, its unit and its code; values are numbers, ratios as the roll-up computes
/// them; late and missing units are marked in words and in colour.
/// </summary>
public static class ConsolidatedWorkbook
{
    /// <summary>The row of the indicator codes; data start on the row after it.</summary>
    public const int CodeRow = 7;

    public const int FirstIndicatorColumn = 4;

    public static byte[] Write(Consolidation data)
    {
        var period = data.Target.Period;
        var indicators = data.Indicators.ToList();
        var lastColumn = Xlsx.Column(FirstIndicatorColumn + indicators.Count - 1);
        var sheet = new XlsxSheet("Tổng hợp") { FreezeAtRow = CodeRow + 1 };
        sheet.Widths[0] = 6;
        sheet.Widths[1] = 10;
        sheet.Widths[2] = 34;
        sheet.Widths[3] = 26;
        for (var i = 0; i < indicators.Count; i++) sheet.Widths[FirstIndicatorColumn + i] = 16;

        sheet.Rows.Add([new("BẢNG TỔNG HỢP KẾT QUẢ PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC", XlsxStyle.Title)]);
        sheet.Merges.Add($"A1:{lastColumn}1");
        sheet.Rows.Add([new($"{period.Title} — {data.Unit.Name}", XlsxStyle.Subtitle)]);
        sheet.Merges.Add($"A2:{lastColumn}2");
        sheet.Rows.Add([new($"{data.SourceText} Đã nhận {data.Submitted}/{data.Expected} báo cáo (đúng hạn {data.OnTime}, nộp muộn {data.Late}); chưa nộp {data.Missing}.", XlsxStyle.Note)]);
        sheet.Rows.Add(null);

        List<XlsxCell> names = [new("STT", XlsxStyle.Header), new("Mã đơn vị", XlsxStyle.Header), new("Đơn vị", XlsxStyle.Header), new("Tình trạng báo cáo", XlsxStyle.Header)];
        List<XlsxCell> units = [new(null, XlsxStyle.Header), new(null, XlsxStyle.Header), new(null, XlsxStyle.Header), new(null, XlsxStyle.Header)];
        List<XlsxCell> codes = [new(null, XlsxStyle.CodeHeader), new(null, XlsxStyle.CodeHeader), new(null, XlsxStyle.CodeHeader), new(null, XlsxStyle.CodeHeader)];
        foreach (var indicator in indicators)
        {
            names.Add(new(indicator.Name, XlsxStyle.Header));
            units.Add(new($"({indicator.Unit})", XlsxStyle.Header));
            codes.Add(new(indicator.Code, XlsxStyle.CodeHeader));
        }

        sheet.Rows.Add(names);
        sheet.Rows.Add(units);
        sheet.Rows.Add(codes);
        for (var c = 0; c < FirstIndicatorColumn; c++) sheet.Merges.Add($"{Xlsx.Column(c)}5:{Xlsx.Column(c)}7");

        var number = 0;
        foreach (var child in data.Children)
        {
            var style = !child.Counted ? XlsxStyle.Missing : child.OnTime == false ? XlsxStyle.Late : XlsxStyle.Text;
            List<XlsxCell> row = [new(++number, XlsxStyle.Integer), new(child.Code, style), new(child.Name, style), new(child.StandingText, style)];
            row.AddRange(indicators.Select(i => ValueCell(i, child.Values.TryGetValue(i.Code, out var v) ? v.Value : null, total: false)));
            sheet.Rows.Add(row);
        }

        if (data.OwnValues is { } own)
        {
            List<XlsxCell> row = [new(null, XlsxStyle.Text), new(data.Unit.Code, XlsxStyle.Text), new($"{data.Unit.Name} (số liệu của chính đơn vị)", XlsxStyle.Text), new("Đã nộp", XlsxStyle.Text)];
            row.AddRange(indicators.Select(i => ValueCell(i, i.Computed ? null : own.TryGetValue(i.Code, out var v) ? v : null, total: false)));
            sheet.Rows.Add(row);
        }

        List<XlsxCell> total = [new(null, XlsxStyle.TotalText), new(data.Unit.Code, XlsxStyle.TotalText), new("TỔNG CỘNG", XlsxStyle.TotalText),
            new($"{data.Submitted}/{data.Expected} đã nộp", XlsxStyle.TotalText)];
        total.AddRange(indicators.Select(i => ValueCell(i, data.Values.TryGetValue(i.Code, out var v) ? v.Value : null, total: true)));
        sheet.Rows.Add(total);

        sheet.Rows.Add(null);
        sheet.Rows.Add([new("Ghi chú: ô để trống là chưa có số liệu (khác với số 0). Đơn vị tô vàng: nộp muộn; tô đỏ: chưa nộp hoặc bị trả lại. Tỷ lệ (%) tính trên tổng tử số và tổng mẫu số như khi tổng hợp.", XlsxStyle.Note)]);
        return Xlsx.Write(sheet);
    }

    static XlsxCell ValueCell(Indicator indicator, decimal? value, bool total)
    {
        var kind = indicator.Aggregation is Aggregation.Ratio or Aggregation.MeanOfRatios ? 2 : indicator.ValueType == Indicators.ValueType.Decimal ? 1 : 0;
        var style = (kind, total) switch
        {
            (2, false) => XlsxStyle.Ratio,
            (2, true) => XlsxStyle.TotalRatio,
            (1, false) => XlsxStyle.Decimal,
            (1, true) => XlsxStyle.TotalDecimal,
            (_, false) => XlsxStyle.Integer,
            _ => XlsxStyle.TotalInteger,
        };
        return new XlsxCell(value, style);
    }
}
