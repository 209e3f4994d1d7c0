using Antq.Calendar;

namespace Antq.Calendar.Tests;

/// <summary>Period codes as the API takes them, and their Vietnamese names.</summary>
public sealed class ReportingPeriodTests
{
    [Theory]
    [InlineData("2026-H1", 2026, PeriodKind.H1, "2026-H1")]
    [InlineData("2026-Y", 2026, PeriodKind.Y, "2026-Y")]
    [InlineData("2026-y", 2026, PeriodKind.Y, "2026-Y")]
    [InlineData(" 2025-h1 ", 2025, PeriodKind.H1, "2025-H1")]
    [InlineData("2000-Y", 2000, PeriodKind.Y, "2000-Y")]
    [InlineData("2100-H1", 2100, PeriodKind.H1, "2100-H1")]
    public void Codes_are_read_whatever_their_case(string text, int year, PeriodKind kind, string code)
    {
        Assert.True(ReportingPeriod.TryParse(text, out var period));
        Assert.Equal(new ReportingPeriod(year, kind), period);
        Assert.Equal(code, period.Code);
        Assert.Equal(code, period.ToString());
        Assert.Equal(period, ReportingPeriod.Parse(text));
    }

    [Theory]
    [InlineData("2026-H2")]
    [InlineData("26-H1")]
    [InlineData("2026H1")]
    [InlineData("2026-")]
    [InlineData("2026-Y1")]
    [InlineData("1999-Y")]
    [InlineData("2101-H1")]
    [InlineData("+026-H1")]
    [InlineData("٢٠٢٦-H1")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_refused_with_a_Vietnamese_message(string? text)
    {
        Assert.False(ReportingPeriod.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => ReportingPeriod.Parse(text));
        Assert.Equal("Kỳ báo cáo phải có dạng YYYY-H1 (sơ kết 6 tháng) hoặc YYYY-Y (tổng kết năm), ví dụ 2026-H1.", error.Message);
    }

    [Theory]
    [InlineData("2026-H1", true)]
    [InlineData("2026-Y", true)]
    [InlineData("2026-y", false)]
    [InlineData("2026-h1", false)]
    [InlineData(" 2026-H1", false)]
    [InlineData("2026-H1 ", false)]
    [InlineData("２０２６-H1", false)]
    [InlineData("2026-H2", false)]
    [InlineData("2026", false)]
    [InlineData("26-H1", false)]
    [InlineData("1999-Y", false)]
    [InlineData("", false)]
    public void An_exact_code_is_only_the_one_the_platform_writes(string text, bool read)
    {
        Assert.Equal(read, ReportingPeriod.TryParseExact(text, out var period));
        if (read) Assert.Equal(text, period.Code);
    }

    [Fact]
    public void The_message_for_a_field_names_what_was_typed()
    {
        Assert.Equal("Kỳ báo cáo \"2026-H2\" không hợp lệ; dùng YYYY-H1 (6 tháng) hoặc YYYY-Y (năm), ví dụ 2026-H1.", ReportingPeriod.InvalidMessage("2026-H2"));
        Assert.Equal("Kỳ báo cáo \"H1\" không hợp lệ; dùng YYYY-H1 (6 tháng) hoặc YYYY-Y (năm), ví dụ 2024-H1.", ReportingPeriod.InvalidMessage("H1", 2024));
    }

    [Fact]
    public void Periods_are_named_in_Vietnamese()
    {
        var h1 = ReportingPeriod.SixMonth(2026);
        var y = ReportingPeriod.Annual(2026);
        Assert.Equal("6 tháng đầu năm 2026", h1.Name);
        Assert.Equal("năm 2026", y.Name);
        Assert.Equal("Sơ kết 6 tháng đầu năm 2026", h1.Title);
        Assert.Equal("Tổng kết năm 2026", y.Title);
        Assert.Equal("báo cáo sơ kết 6 tháng đầu năm 2026", h1.ReportName);
        Assert.Equal("báo cáo tổng kết năm 2026", y.ReportName);
        Assert.Equal("sơ kết 6 tháng", ReportingPeriod.KindName(PeriodKind.H1));
        Assert.Equal("tổng kết năm", ReportingPeriod.KindName(PeriodKind.Y));
        Assert.Equal("Sơ kết 6 tháng đầu năm 2026", ReportingPeriod.TitleOf("2026-H1"));
        Assert.Equal("2026-Q3", ReportingPeriod.TitleOf("2026-Q3"));
    }

    [Fact]
    public void A_year_has_the_six_month_period_then_the_annual_one()
    {
        Assert.Equal(["2027-H1", "2027-Y"], ReportingPeriod.OfYear(2027).Select(p => p.Code));
        Assert.True(ReportingPeriod.SixMonth(2027).IsSixMonth);
        Assert.False(ReportingPeriod.Annual(2027).IsSixMonth);
    }
}
