using Antq.Reporting.Api.Data;
using Antq.UnitTree;

namespace Antq.Reporting.Tests;

/// <summary>The Excel report form read back, Vietnamese numbers and names in the documents, the consolidated report's rules.</summary>
public sealed class DocumentTests
{
    static readonly Catalogue Catalogue = Catalogues.Default;
    static readonly ReportingPeriod Period = new(2026, PeriodKind.Y);

    static PeriodUnit Commune(string code = "00004") => new(Period, new DateOnly(2026, 12, 14),
        new UnitTreeVersion { Code = code, Name = "Phường Ba Đình", Kind = "Commune", ParentCode = "01" },
        [new UnitTreeVersion { Code = "01", Name = "Thành phố Hà Nội", Kind = "Province", ParentCode = "BCA" }]);

    static Report Report() => new()
    {
        OrgUnitCode = "00004", Period = Period.Code, CatalogueVersion = Catalogue.Version, CreatedBy = "a", UpdatedBy = "a", Version = 7,
        Values = [new ReportValue { Indicator = "FORUMS", Value = 12 }, new ReportValue { Indicator = "PLAN_ISSUED", Value = 1 },
            new ReportValue { Indicator = "EXPLOSIVES_KG", Value = 2.5m }],
        Narrative = new Dictionary<string, string> { ["KET_QUA"] = "Tổ chức 12 diễn đàn." },
    };

    [Fact]
    public void A_downloaded_form_read_back_unchanged_gives_the_reports_values_narrative_and_version()
    {
        var bytes = ReportTemplate.Write(Catalogue, Commune(), Report(), DateTimeOffset.UtcNow);
        var form = ReportTemplate.Read(new MemoryStream(bytes), Catalogue, Commune());
        Assert.Empty(form.Errors);
        Assert.Equal(7, form.Version);
        Assert.Equal(12, form.Values["FORUMS"]);
        Assert.Equal(1, form.Values["PLAN_ISSUED"]);
        Assert.Equal(2.5m, form.Values["EXPLOSIVES_KG"]);
        Assert.Null(form.Values["CONF_BRIEFINGS"]); // empty cell: no value
        Assert.Equal(Catalogue.AskedIn(PeriodKind.Y).Count(i => i.IsEntered), form.Values.Count);
        Assert.DoesNotContain("PCT_TIPS_VALUABLE", form.Values.Keys); // computed indicators are not in the form
        Assert.Equal("Tổ chức 12 diễn đàn.", form.Narrative["KET_QUA"]);
        Assert.Null(form.Narrative["KIEN_NGHI"]);
    }

    [Fact]
    public void A_form_of_another_unit_or_not_a_workbook_is_refused()
    {
        var bytes = ReportTemplate.Write(Catalogue, Commune(), Report(), DateTimeOffset.UtcNow);
        var other = ReportTemplate.Read(new MemoryStream(bytes), Catalogue, Commune("00008"));
        Assert.Contains(other.Errors["file"], e => e.StartsWith("Ô B3: biểu mẫu này của đơn vị có mã 00004", StringComparison.Ordinal));
        var garbage = ReportTemplate.Read(new MemoryStream("không phải Excel"u8.ToArray()), Catalogue, Commune());
        Assert.Equal("Tệp gửi lên không phải tệp Excel (.xlsx) hợp lệ.", Assert.Single(garbage.Errors["file"]));
    }

    [Theory]
    [InlineData(1234.5, "1.234,5")]
    [InlineData(1250, "1.250")]
    [InlineData(0.25, "0,25")]
    [InlineData(3, "3")]
    public void Numbers_in_documents_use_Vietnamese_separators(double value, string shown) =>
        Assert.Equal(shown, ReportDocument.FormatNumber((decimal)value, 4));

    [Fact]
    public void Ratios_in_documents_show_two_decimals_and_a_missing_value_a_dash()
    {
        var ratio = Catalogue.ByCode["PCT_UNITS_SAFE"];
        Assert.Equal("87,50", ReportDocument.FormatValue(ratio, 87.5m));
        Assert.Equal("66,67", ReportDocument.FormatValue(ratio, 66.6667m));
        Assert.Equal("–", ReportDocument.FormatValue(Catalogue.ByCode["FORUMS"], null));
    }

    [Theory]
    [InlineData("BCA", "Bộ Công an", "Ministry", "BỘ CÔNG AN", "Bộ Công an", "Hà Nội")]
    [InlineData("12", "Tỉnh Lai Châu", "Province", "CÔNG AN TỈNH LAI CHÂU", "Công an tỉnh Lai Châu", "Lai Châu")]
    [InlineData("01", "Thành phố Hà Nội", "Province", "CÔNG AN THÀNH PHỐ HÀ NỘI", "Công an thành phố Hà Nội", "Hà Nội")]
    [InlineData("00004", "Phường Ba Đình", "Commune", "CÔNG AN PHƯỜNG BA ĐÌNH", "Công an phường Ba Đình", "Ba Đình")]
    public void The_issuing_body_and_place_are_written_as_in_official_documents(string code, string name, string kind, string body, string inSentence, string place)
    {
        var unit = new UnitTreeVersion { Code = code, Name = name, Kind = kind };
        Assert.Equal(body, ReportDocument.Body(unit));
        Assert.Equal(inSentence, ReportDocument.InSentence(unit));
        Assert.Equal(place, ReportDocument.Place(unit));
    }

    [Fact]
    public void A_consolidated_draft_keeps_its_values_and_records_the_closing_and_a_reopening_in_the_history()
    {
        var report = Report();
        var at = new DateTimeOffset(2026, 12, 5, 0, 0, 5, TimeSpan.Zero);
        report.Consolidate(new Dictionary<string, decimal?> { ["FORUMS"] = 40 }, Catalogue.Version, "system", at);
        Assert.True(report.Consolidated);
        Assert.Equal(40, report.CurrentValues()["FORUMS"]);
        Assert.Equal(["consolidated", "value"], report.Changes.SelectMany(c => c.Lines()).Select(l => l.Action));

        report.Submit("cb", at, null);
        report.Reopen("Sai số liệu diễn đàn.", "pv01", at.AddHours(1));
        Assert.Equal(ReportStatus.Returned, report.Status);
        Assert.Contains(report.Changes, c => c.Action == "reopened" && c.Detail == "Sai số liệu diễn đàn." && c.By == "pv01");
        Assert.True(report.IsEditable);
    }

    [Fact]
    public void A_childs_standing_reads_in_Vietnamese()
    {
        ChildLine Line(string status, bool? onTime) => new("1", "Xã A", status, onTime, null, new Dictionary<string, Api.Rollups.AggregateValue>());
        Assert.Equal("Nộp muộn", Line("submitted", false).StandingText);
        Assert.Equal("Đúng hạn, đã tiếp nhận", Line("accepted", true).StandingText);
        Assert.Equal("Chưa nộp", Line("draft", null).StandingText);
        Assert.Equal("Bị trả lại, chưa nộp lại", Line("returned", true).StandingText);
        Assert.False(Line("returned", true).Counted);
    }
}
