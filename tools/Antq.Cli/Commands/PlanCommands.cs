using System.CommandLine;

namespace Antq.Cli.Commands;

/// <summary><c>antq plans list</c>: the plans the account may see, with their deadlines (Plan).</summary>
public static class PlanCommands
{
    public static Command Build(CliEnvironment environment)
    {
        var plans = new Command("plans", "Kế hoạch thực hiện phong trào");
        var issuer = new Option<string?>("--issuer") { Description = "Mã đơn vị ban hành" };
        var year = new Option<int?>("--year") { Description = "Năm của kế hoạch, ví dụ 2026" };
        var status = new Option<string?>("--status") { Description = "Trạng thái (draft, issued, superseded)" };
        var list = new Command("list", "Liệt kê kế hoạch: số hiệu, năm, đơn vị ban hành, trạng thái, hạn nộp") { issuer, year, status };
        list.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var found = await context.Api.Plan.ListPlansAsync(context.Parse.GetValue(issuer), context.Parse.GetValue(year), context.Parse.GetValue(status), ct);
            context.Output.Show(found, () =>
            {
                context.Output.Line($"{found.Plans.Count} kế hoạch");
                context.Output.Table(["Số hiệu", "Năm", "Ban hành", "Ngày", "Trạng thái", "Hạn nộp", "Tiêu đề"],
                    found.Plans.Select(p => (IReadOnlyList<string?>)[
                        p.Number, p.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), p.IssuerCode, Output.Day(p.IssuedOn), p.StatusText,
                        string.Join(", ", p.Deadlines.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}: {Antq.Calendar.DueDate.Describe(d.Value.DueAt)}")),
                        p.Title]));
            });
            return ExitCodes.Done;
        }));
        plans.Subcommands.Add(list);
        return plans;
    }
}
