using System.CommandLine;

namespace Antq.Cli.Commands;

/// <summary>
/// <c>antq missing CODE PERIOD</c>: the units under a unit that have not submitted the period's report (none at all, a
/// draft, or one returned to them), with their deadline — the list an office calls round. <c>--check</c> makes it a
/// gate for scripts: exit 5 while any unit is missing.
/// </summary>
public static class MissingCommand
{
    /// <summary>What counts as reported: the roll-up counts submitted and accepted reports, nothing else.</summary>
    static readonly HashSet<string> Reported = new(StringComparer.Ordinal) { Output.Statuses.Submitted, Output.Statuses.Accepted };

    public static Command Build(CliEnvironment environment)
    {
        var code = new Argument<string>("code") { Description = "Mã đơn vị cấp trên (tỉnh, xã, …)" };
        var period = new Argument<string>("period") { Description = "Kỳ báo cáo: YYYY-H1 hoặc YYYY-Y" };
        var check = new Option<bool>("--check") { Description = "Trả mã thoát 5 khi còn đơn vị chưa nộp (cho kịch bản)" };
        // The command is named by the status it lists.
        var command = new Command(Output.Statuses.Missing, "Các đơn vị trực thuộc chưa nộp báo cáo của kỳ (chưa có, đang soạn, bị trả lại), kèm hạn nộp") { code, period, check };
        command.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var unit = context.Parse.GetValue(code)!;
            var periodCode = CommandContext.Period(context.Parse.GetValue(period)!);
            var rows = await context.Api.Reporting.GetRollupChildrenAsync(unit, periodCode, ct);
            var missing = rows.Children.Where(c => !Reported.Contains(c.Status)).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
            var answer = new { unit = rows.OrgUnit, period = rows.Period, expected = rows.Children.Count, missingCount = missing.Count, missing };
            context.Output.Show(answer, () =>
            {
                context.Output.Line($"{rows.OrgUnit.Name} ({rows.OrgUnit.Code}), kỳ {rows.Period}: {Output.Number(missing.Count)}/{Output.Number(rows.Children.Count)} đơn vị chưa nộp báo cáo.");
                if (missing.Count == 0) return;
                context.Output.Table(["Mã", "Đơn vị", "Tình trạng", "Hạn nộp"],
                    missing.Select(c => (IReadOnlyList<string?>)[c.Code, c.Name, Output.ReportStatus(c.Status), Output.Date(c.DueAt)]));
            });
            return context.Parse.GetValue(check) && missing.Count > 0 ? ExitCodes.Missing : ExitCodes.Done;
        }));
        return command;
    }
}
