namespace Antq.Reporting.Tests;

/// <summary>
/// The rules of a report's life, step by step from every status: what each status allows, and the Vietnamese message
/// (a 409 through the API) for what it does not. Nothing changes when a step is refused.
/// </summary>
public sealed class ReportLifecycleTests
{
    static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(7));

    static Report In(ReportStatus status)
    {
        var report = new Report { OrgUnitCode = "00004", Period = "2026-Y", CatalogueVersion = "v1", CreatedBy = "xa", UpdatedBy = "xa" };
        report.SaveDraft(new Dictionary<string, decimal?> { ["TIPS_TOTAL"] = 5 }, new Dictionary<string, string?>(), "v1", "xa", At);
        if (status is ReportStatus.Submitted or ReportStatus.Accepted or ReportStatus.Returned) report.Submit("xa", At, At.AddDays(1));
        if (status == ReportStatus.Accepted) report.Accept("pv01", At);
        if (status == ReportStatus.Returned) report.Return("Sai số liệu", "pv01", At);
        Assert.Equal(status, report.Status);
        return report;
    }

    public enum Step { Save, Submit, Return, Accept }

    static void Do(Report report, Step step)
    {
        switch (step)
        {
            case Step.Save: report.SaveDraft(new Dictionary<string, decimal?> { ["TIPS_TOTAL"] = 7 }, new Dictionary<string, string?>(), "v1", "xa", At); break;
            case Step.Submit: report.Submit("xa", At.AddHours(1), At.AddDays(1)); break;
            case Step.Return: report.Return("Bổ sung số liệu", "pv01", At.AddHours(1)); break;
            case Step.Accept: report.Accept("pv01", At.AddHours(1)); break;
        }
    }

    [Theory]
    [InlineData(ReportStatus.Draft, Step.Save, ReportStatus.Draft)]
    [InlineData(ReportStatus.Draft, Step.Submit, ReportStatus.Submitted)]
    [InlineData(ReportStatus.Returned, Step.Save, ReportStatus.Returned)]
    [InlineData(ReportStatus.Returned, Step.Submit, ReportStatus.Submitted)]
    [InlineData(ReportStatus.Submitted, Step.Return, ReportStatus.Returned)]
    [InlineData(ReportStatus.Submitted, Step.Accept, ReportStatus.Accepted)]
    [InlineData(ReportStatus.Accepted, Step.Return, ReportStatus.Returned)]
    public void An_allowed_step_moves_the_report_and_its_version(ReportStatus from, Step step, ReportStatus to)
    {
        var report = In(from);
        var (version, history) = (report.Version, report.Changes.Count);
        Do(report, step);
        Assert.Equal(to, report.Status);
        Assert.Equal(version + 1, report.Version);
        Assert.True(report.Changes.Count > history, "every step is in the report's history");
    }

    [Theory]
    [InlineData(ReportStatus.Draft, Step.Return, "Chỉ trả lại được báo cáo đã nộp.")]
    [InlineData(ReportStatus.Draft, Step.Accept, "Chỉ tiếp nhận được báo cáo đã nộp.")]
    [InlineData(ReportStatus.Returned, Step.Return, "Chỉ trả lại được báo cáo đã nộp.")]
    [InlineData(ReportStatus.Returned, Step.Accept, "Chỉ tiếp nhận được báo cáo đã nộp.")]
    [InlineData(ReportStatus.Submitted, Step.Save, "Báo cáo đã nộp, không thể sửa. Nếu cần sửa, đề nghị cấp trên trả lại báo cáo.")]
    [InlineData(ReportStatus.Submitted, Step.Submit, "Báo cáo đã được nộp và đang chờ cấp trên tiếp nhận.")]
    [InlineData(ReportStatus.Accepted, Step.Save, "Báo cáo đã được tiếp nhận, không thể sửa.")]
    [InlineData(ReportStatus.Accepted, Step.Submit, "Báo cáo đã được tiếp nhận.")]
    [InlineData(ReportStatus.Accepted, Step.Accept, "Báo cáo đã được tiếp nhận.")]
    public void A_refused_step_says_why_and_changes_nothing(ReportStatus from, Step step, string message)
    {
        var report = In(from);
        var (version, history, values) = (report.Version, report.Changes.Count, report.CurrentValues());
        var refused = Assert.Throws<ReportStateException>(() => Do(report, step));
        Assert.Equal(message, refused.Message);
        Assert.Equal(from, report.Status);
        Assert.Equal(version, report.Version);
        Assert.Equal(history, report.Changes.Count);
        Assert.Equal(values, report.CurrentValues());
    }

    [Fact]
    public void A_late_submission_is_marked_and_a_resubmission_after_a_return_clears_the_decision()
    {
        var report = In(ReportStatus.Returned);
        Assert.Equal("Sai số liệu", report.ReturnReason);
        report.Submit("xa", At.AddDays(2), At.AddDays(1));
        Assert.False(report.OnTime);
        Assert.Null(report.ReturnReason);
        Assert.Null(report.DecidedBy);
        Assert.Equal("nộp muộn", report.Changes[^1].Detail);
    }
}
