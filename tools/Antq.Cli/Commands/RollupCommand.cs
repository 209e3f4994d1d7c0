using System.CommandLine;

namespace Antq.Cli.Commands;

/// <summary>
/// <c>antq rollup CODE PERIOD</c>: the live roll-up of a unit for a period (Reporting) — who was expected, who has
/// submitted, on time or late, who is missing — and, on request, each direct subordinate's standing and the sums.
/// </summary>
public static class RollupCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var code = new Argument<string>("code") { Description = "Mã đơn vị tổng hợp (tỉnh, huyện trước 2025, …)" };
        var period = new Argument<string>("period") { Description = "Kỳ báo cáo: YYYY-H1 hoặc YYYY-Y" };
        var children = new Option<bool>("--children", "-c") { Description = "Kèm tình trạng nộp của từng đơn vị trực thuộc" };
        var values = new Option<bool>("--values", "-v") { Description = "Kèm số liệu tổng hợp theo chỉ tiêu" };
        var command = new Command("rollup", "Tổng hợp của đơn vị theo kỳ: số đơn vị phải nộp, đã nộp, đúng hạn, muộn, chưa nộp") { code, period, children, values };
        command.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var unit = context.Parse.GetValue(code)!;
            var periodCode = CommandContext.Period(context.Parse.GetValue(period)!);
            var rollup = await context.Api.Reporting.GetRollupAsync(unit, periodCode, cancellationToken: ct);
            var rows = context.Parse.GetValue(children) ? await context.Api.Reporting.GetRollupChildrenAsync(unit, periodCode, ct) : null;
            if (context.Output.Json)
            {
                context.Output.Show(rows is null ? (object)rollup : new { rollup, children = rows.Children }, () => { });
                return ExitCodes.Done;
            }

            var c = rollup.Completeness;
            var output = context.Output;
            output.Line($"Tổng hợp {Antq.Calendar.ReportingPeriod.Parse(periodCode).ReportName} của {rollup.OrgUnit.Name} ({rollup.OrgUnit.Code})");
            output.Table(["Phải nộp", "Đã nộp", "Đúng hạn", "Muộn", "Chưa nộp", "Đã duyệt"],
                [[Output.Number(c.Expected), Output.Number(c.Submitted), Output.Number(c.OnTime), Output.Number(c.Late), Output.Number(c.Missing), Output.Number(c.Accepted)]]);
            if (rollup.Note is { Length: > 0 } note) output.Line("Ghi chú: " + note);

            if (rows is not null)
            {
                output.Line();
                output.Table(["Mã", "Đơn vị trực thuộc", "Tình trạng", "Nộp lúc", "Đúng hạn"],
                    rows.Children.Select(r => (IReadOnlyList<string?>)[r.Code, r.Name, Output.ReportStatus(r.Status), Output.Date(r.SubmittedAt), Output.YesNo(r.OnTime)]));
            }

            if (context.Parse.GetValue(values))
            {
                var catalogue = await context.Api.Reporting.GetIndicatorsAsync(periodCode, ct);
                output.Line();
                output.Table(["Mã chỉ tiêu", "Chỉ tiêu", "Tổng", "Số báo cáo"],
                    catalogue.Indicators.Where(i => rollup.Values.ContainsKey(i.Code))
                        .Select(i => (IReadOnlyList<string?>)[i.Code, i.Name, Output.Number(rollup.Values[i.Code].Value), Output.Number(rollup.Values[i.Code].Reports)]));
            }

            return ExitCodes.Done;
        }));
        return command;
    }
}
