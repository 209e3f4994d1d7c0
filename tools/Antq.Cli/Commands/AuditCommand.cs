using System.CommandLine;

namespace Antq.Cli.Commands;

/// <summary>
/// <c>antq audit</c>: the platform's audit trail (Identity gathers every service's administrative acts and the
/// sign-ins), newest first, filtered by action, actor, service or subject — for administrators.
/// </summary>
public static class AuditCommand
{
    public static Command Build(CliEnvironment environment)
    {
        var action = new Option<string?>("--action") { Description = "Loại thao tác, ví dụ user.created, org-units.imported" };
        var actor = new Option<string?>("--actor") { Description = "Người thực hiện (tên đăng nhập)" };
        var service = new Option<string?>("--service") { Description = "Dịch vụ: identity, plan, reporting, classification, notification" };
        var subject = new Option<string?>("--subject") { Description = "Đối tượng, ví dụ reports/14758/2026-Y" };
        var take = new Option<int?>("--take", "-n") { Description = "Số dòng tối đa (mặc định theo nền tảng)" };
        var command = new Command("audit", "Nhật ký kiểm tra của nền tảng: ai làm gì, lúc nào, trên đối tượng nào (quản trị)") { action, actor, service, subject, take };
        command.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var parse = context.Parse;
            if (parse.GetValue(take) is <= 0)
                throw new CliException("--take phải là số dương.", ExitCodes.WrongInput);
            var entries = await context.Api.Identity.GetAuditTrailAsync(parse.GetValue(action), parse.GetValue(actor), parse.GetValue(service), parse.GetValue(subject), parse.GetValue(take), ct);
            context.Output.Show(entries, () =>
            {
                context.Output.Line($"{Output.Number(entries.Count)} mục nhật ký");
                if (entries.Count == 0) return;
                context.Output.Table(["Thời gian", "Dịch vụ", "Người thực hiện", "Thao tác", "Đối tượng", "Chi tiết"],
                    entries.Select(e => (IReadOnlyList<string?>)[Output.Date(e.At), e.Service, e.Actor, e.Action, e.Subject, Shorten(e.Detail)]));
            });
            return ExitCodes.Done;
        }));
        return command;
    }

    static string? Shorten(string? text) => text is { Length: > 80 } ? text[..79] + "…" : text;
}
