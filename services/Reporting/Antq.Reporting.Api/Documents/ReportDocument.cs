using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Antq.Reporting.Api.Documents;

/// <summary>
/// The unit's report as an official administrative document in the style of Nghị định 30/2020/NĐ-CP: A4, Times New
/// Roman, the issuing body and the national header side by side, the number and date line, the title, the five
/// narrative sections of the unit's own report with the indicator table (the roll-up next to the plan's targets), the
/// recipients block (Nơi nhận) and the signature block. Numbers are written the Vietnamese way (1.234,5).
/// </summary>
public static class ReportDocument
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    const string Font = "Times New Roman";
    static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>The document's title under "BÁO CÁO".</summary>
    public static string Subtitle(ReportingPeriod period) => $"{period.Title} phong trào toàn dân bảo vệ an ninh Tổ quốc";

    public static byte[] Write(Consolidation data)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new Styles(new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = Font, HighAnsi = Font, ComplexScript = Font, EastAsia = Font },
                    new FontSize { Val = "28" }, new FontSizeComplexScript { Val = "28" }, new Languages { Val = "vi-VN" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "0", Line = "276", LineRule = LineSpacingRuleValues.Auto }))));
            var body = new Body();
            main.Document = new Document(body);

            body.Append(Header(data));
            body.Append(Empty());
            body.Append(Para("BÁO CÁO", bold: true, size: 28, align: JustificationValues.Center));
            body.Append(Para(Subtitle(data.Target.Period), bold: true, size: 28, align: JustificationValues.Center));
            body.Append(Rule(3200));
            body.Append(Empty());

            var plan = data.Targets.FirstOrDefault();
            var intro = plan is not null
                ? $"Thực hiện Kế hoạch số {plan.PlanNumber} về phong trào toàn dân bảo vệ an ninh Tổ quốc năm {data.Target.Period.Year}, {InSentence(data.Unit)} báo cáo kết quả {Subtitle(data.Target.Period).ToLower(Vi)} như sau:"
                : $"{InSentence(data.Unit)} báo cáo kết quả {Subtitle(data.Target.Period).ToLower(Vi)} như sau:";
            body.Append(Text(intro));
            body.Append(Text(Completeness(data)));
            body.Append(Text(data.SourceText, italic: true));

            var roman = new[] { "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X" };
            var sections = data.Catalogue.NarrativeSections;
            for (var i = 0; i < sections.Count; i++)
            {
                var section = sections[i];
                body.Append(Para($"{(i < roman.Length ? roman[i] : (i + 1).ToString(CultureInfo.InvariantCulture))}. {section.Name.ToUpper(Vi)}", bold: true, spaceBefore: 120));
                var text = data.OwnReport is not null && data.OwnReport.Narrative.TryGetValue(section.Code, out var t) && !string.IsNullOrWhiteSpace(t) ? t : null;
                if (text is null) body.Append(Text("(Chưa có nội dung.)", italic: true));
                else foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)) body.Append(Text(line));
                if (section.Code == "KET_QUA" || (i == 1 && sections.All(s => s.Code != "KET_QUA")))
                {
                    body.Append(Para("Kết quả các chỉ tiêu chủ yếu:", italic: true, bold: true, spaceBefore: 120, indent: 567));
                    body.Append(IndicatorTable(data));
                }
            }

            body.Append(Empty());
            body.Append(Footer(data));
            body.Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 1134, Bottom = 1134, Left = 1701, Right = 1134, Header = 567, Footer = 567, Gutter = 0 }));
        }

        return stream.ToArray();
    }

    /// <summary>The issuing body (left) and the national header (right), then the number and the place and date.</summary>
    static Table Header(Consolidation data)
    {
        var now = data.GeneratedAt.ToVietnam();
        var left = new List<OpenXmlElement>();
        if (data.Parent is { } parent) left.Add(Para(Body(parent), size: 26, align: JustificationValues.Center));
        left.Add(Para(Body(data.Unit), bold: true, size: 26, align: JustificationValues.Center));
        left.Add(Rule(1200));
        left.Add(Para($"Số:        /BC-{Abbreviation(data.Unit)}", size: 26, align: JustificationValues.Center, spaceBefore: 120));
        var right = new List<OpenXmlElement>
        {
            Para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, size: 24, align: JustificationValues.Center),
            Para("Độc lập - Tự do - Hạnh phúc", bold: true, size: 28, align: JustificationValues.Center),
            Rule(1500),
            Para($"{Place(data.Unit)}, ngày {now.Day:00} tháng {now.Month:00} năm {now.Year}", italic: true, size: 28, align: JustificationValues.Center, spaceBefore: 120),
        };
        return Borderless([3400, 5671], [left, right]);
    }

    static Table Footer(Consolidation data)
    {
        var left = new List<OpenXmlElement> { Para("Nơi nhận:", bold: true, italic: true, size: 24) };
        if (data.Parent is { } parent) left.Add(Para($"- {InSentence(parent)} (để báo cáo);", size: 22));
        left.Add(Para("- Lưu: VT.", size: 22));
        var right = new List<OpenXmlElement>
        {
            Para("THỦ TRƯỞNG ĐƠN VỊ", bold: true, size: 28, align: JustificationValues.Center),
            Para("(Ký, ghi rõ họ tên và đóng dấu)", italic: true, size: 26, align: JustificationValues.Center),
        };
        return Borderless([4300, 4771], [left, right]);
    }

    static string Completeness(Consolidation data)
    {
        var text = $"Đã nhận {data.Submitted}/{data.Expected} báo cáo của các đơn vị trực thuộc (đúng hạn {data.OnTime}, nộp muộn {data.Late})";
        var missing = data.Children.Where(c => !c.Counted).Select(c => c.Name).ToList();
        if (missing.Count == 0) return text + ".";
        var names = missing.Count <= 20 ? string.Join(", ", missing) : string.Join(", ", missing.Take(20)) + $" và {missing.Count - 20} đơn vị khác";
        return $"{text}; chưa nộp {missing.Count} đơn vị: {names}.";
    }

    /// <summary>STT, indicator, unit, the roll-up's value, the plan's target and whether it is met.</summary>
    static Table IndicatorTable(Consolidation data)
    {
        var targets = data.Targets.ToDictionary(t => t.Indicator, StringComparer.Ordinal);
        int[] widths = [700, 3500, 1200, 1300, 1300, 1000];
        var table = new Table(new TableProperties(
            new TableWidth { Width = widths.Sum().ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
                new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 }),
            new TableLayout { Type = TableLayoutValues.Fixed }));
        table.Append(new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString(CultureInfo.InvariantCulture) })));
        table.Append(Row(widths, true, "STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Chỉ tiêu kế hoạch", "Đánh giá"));
        var number = 0;
        foreach (var indicator in data.Indicators)
        {
            var value = data.Values.TryGetValue(indicator.Code, out var v) ? v.Value : null;
            targets.TryGetValue(indicator.Code, out var target);
            table.Append(Row(widths, false, (++number).ToString(CultureInfo.InvariantCulture), indicator.Name, indicator.Unit,
                FormatValue(indicator, value), target is null ? "" : $"{Comparator(target)} {FormatNumber(target.Value, 4)}",
                target?.IsMetBy(value) switch { true => "Đạt", false => "Chưa đạt", null => "" }));
        }

        return table;
    }

    /// <summary>A value as the document shows it: ratios with two decimals, other numbers exactly, Vietnamese separators; a dash when there is none.</summary>
    public static string FormatValue(Indicator indicator, decimal? value) => value is not { } v ? "–"
        : indicator.Aggregation is Aggregation.Ratio or Aggregation.MeanOfRatios ? FormatNumber(Math.Round(v, 2), 2, fixedDecimals: true)
        : FormatNumber(v, 4);

    public static string FormatNumber(decimal value, int decimals, bool fixedDecimals = false) =>
        value.ToString(fixedDecimals ? "#,##0." + new string('0', decimals) : "#,##0." + new string('#', decimals), Vi);

    static string Comparator(PlanTargetCopy target) => target.Comparator switch { ">=" => "≥", "<=" => "≤", var c => c };

    static TableRow Row(int[] widths, bool header, params string[] texts)
    {
        var row = new TableRow();
        if (header) row.Append(new TableRowProperties(new TableHeader()));
        for (var i = 0; i < texts.Length; i++)
        {
            var align = i == 1 ? JustificationValues.Left : JustificationValues.Center;
            row.Append(new TableCell(
                new TableCellProperties(new TableCellWidth { Width = widths[i].ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
                    new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center }),
                Para(texts[i], bold: header, size: 24, align: align)));
        }

        return row;
    }

    static Table Borderless(int[] widths, List<OpenXmlElement>[] columns)
    {
        var table = new Table(new TableProperties(
            new TableWidth { Width = widths.Sum().ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa },
            new TableBorders(
                new TopBorder { Val = BorderValues.None }, new LeftBorder { Val = BorderValues.None },
                new BottomBorder { Val = BorderValues.None }, new RightBorder { Val = BorderValues.None },
                new InsideHorizontalBorder { Val = BorderValues.None }, new InsideVerticalBorder { Val = BorderValues.None }),
            new TableLayout { Type = TableLayoutValues.Fixed }));
        table.Append(new TableGrid(widths.Select(w => new GridColumn { Width = w.ToString(CultureInfo.InvariantCulture) })));
        var row = new TableRow();
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = new TableCell(new TableCellProperties(new TableCellWidth { Width = widths[i].ToString(CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }));
            cell.Append(columns[i].Count > 0 ? columns[i] : [Empty()]);
            row.Append(cell);
        }

        table.Append(row);
        return table;
    }

    static Paragraph Para(string text, bool bold = false, bool italic = false, int size = 28, JustificationValues? align = null,
        int spaceBefore = 0, int indent = 0)
    {
        var properties = new ParagraphProperties();
        properties.Append(new SpacingBetweenLines { Before = spaceBefore.ToString(CultureInfo.InvariantCulture), After = "0" });
        if (indent > 0) properties.Append(new Indentation { FirstLine = indent.ToString(CultureInfo.InvariantCulture) });
        if (align is { } a) properties.Append(new Justification { Val = a });
        var run = new RunProperties();
        if (bold) run.Append(new Bold());
        if (italic) run.Append(new Italic());
        run.Append(new FontSize { Val = size.ToString(CultureInfo.InvariantCulture) });
        run.Append(new FontSizeComplexScript { Val = size.ToString(CultureInfo.InvariantCulture) });
        return new Paragraph(properties, new Run(run, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
    }

    /// <summary>A body paragraph: justified, first line indented 1 cm, 6 pt before.</summary>
    static Paragraph Text(string text, bool italic = false) =>
        Para(text, italic: italic, align: JustificationValues.Both, spaceBefore: 120, indent: 567);

    static Paragraph Empty() => new(new ParagraphProperties(new SpacingBetweenLines { Before = "0", After = "0" }));

    /// <summary>The short horizontal line under a header (a bottom border on an empty, indented paragraph).</summary>
    static Paragraph Rule(int width)
    {
        var side = Math.Max(0, (3800 - width) / 2).ToString(CultureInfo.InvariantCulture);
        return new Paragraph(new ParagraphProperties(
            new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 6, Space = 1 }),
            new SpacingBetweenLines { Before = "0", After = "0", Line = "120", LineRule = LineSpacingRuleValues.Exact },
            new Indentation { Left = side, Right = side },
            new Justification { Val = JustificationValues.Center }));
    }

    /// <summary>The police body of a unit, upper case: BỘ CÔNG AN, CÔNG AN TỈNH LAI CHÂU, CÔNG AN XÃ NGHĨA SƠN.</summary>
    public static string Body(UnitTree.UnitTreeVersion unit) =>
        unit.Kind == "Ministry" || unit.Code == "BCA" ? "BỘ CÔNG AN" : $"CÔNG AN {unit.Name.ToUpper(Vi)}";

    /// <summary>The police body of a unit inside a sentence: Bộ Công an, Công an tỉnh Lai Châu, Công an xã Nghĩa Sơn.</summary>
    public static string InSentence(UnitTree.UnitTreeVersion unit)
    {
        if (unit.Kind == "Ministry" || unit.Code == "BCA") return "Bộ Công an";
        var prefix = Kinds.FirstOrDefault(k => unit.Name.StartsWith(k, StringComparison.OrdinalIgnoreCase));
        return prefix is null ? $"Công an {unit.Name}" : $"Công an {prefix.ToLower(Vi)}{unit.Name[prefix.Length..]}";
    }

    static readonly string[] Kinds = ["Thành phố ", "Tỉnh ", "Quận ", "Huyện ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ", "Đặc khu "];

    /// <summary>The place in the date line: the unit's name without its kind (Lai Châu, Nghĩa Sơn).</summary>
    public static string Place(UnitTree.UnitTreeVersion unit)
    {
        if (unit.Kind == "Ministry" || unit.Code == "BCA") return "Hà Nội";
        var prefix = Kinds.FirstOrDefault(k => unit.Name.StartsWith(k, StringComparison.OrdinalIgnoreCase));
        return prefix is null ? unit.Name : unit.Name[prefix.Length..];
    }

    static string Abbreviation(UnitTree.UnitTreeVersion unit)
    {
        if (unit.Kind == "Ministry" || unit.Code == "BCA") return "BCA";
        var prefix = Kinds.FirstOrDefault(k => unit.Name.StartsWith(k, StringComparison.OrdinalIgnoreCase))?.Trim();
        return prefix switch
        {
            "Thành phố" => "CATP",
            "Tỉnh" => "CAT",
            "Quận" => "CAQ",
            "Huyện" => "CAH",
            "Thị xã" => "CATX",
            "Thị trấn" => "CATT",
            "Phường" => "CAP",
            "Đặc khu" => "CAĐK",
            _ => "CAX",
        };
    }
}
