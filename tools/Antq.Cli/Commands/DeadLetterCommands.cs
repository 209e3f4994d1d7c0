using System.CommandLine;
using Antq.Client.Gateway;

namespace Antq.Cli.Commands;

/// <summary>
/// <c>antq dead-letters list|redrive</c> (administrators): the messages that failed for their own reasons in every
/// service. The gateway answers these routes itself (it merges every service's list and sends a redrive to the
/// service that holds the message), through <see cref="Antq.Client.Gateway.GatewayClient"/>, generated from the
/// gateway's own document.
/// </summary>
public static class DeadLetterCommands
{
    public static Command Build(CliEnvironment environment)
    {
        var deadLetters = new Command("dead-letters", "Thư chết (quản trị): thông điệp không xử lý được của mọi dịch vụ");

        var list = new Command("list", "Liệt kê thư chết: là gì, ở đâu, vì sao, từ lúc nào");
        list.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var answer = await context.Api.Gateway.ListPlatformDeadLettersAsync(ct);
            var letters = answer.Items;
            context.Output.Show(answer, () =>
            {
                context.Output.Line(letters.Count == 0 ? "Không có thư chết nào." : $"{letters.Count} thư chết");
                if (letters.Count > 0)
                    context.Output.Table(["Mã", "Dịch vụ", "Loại", "Ở đâu", "Thông điệp", "Số lần", "Từ lúc", "Lý do"],
                        letters.Select(l => (IReadOnlyList<string?>)[l.Id, l.Service, l.Kind, l.Where, l.MessageType, l.Attempts?.ToString(System.Globalization.CultureInfo.InvariantCulture), Output.Date(l.Since), l.Reason]));
                Unreachable(context.Output, answer.Unreachable);
            });
            return ExitCodes.Done;
        }));

        var id = new Argument<string?>("id") { Description = "Mã thư chết (cột Mã của dead-letters list)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Gửi lại tất cả" };
        var redrive = new Command("redrive", "Gửi lại thư chết sau khi đã khắc phục nguyên nhân: một thư (ID) hoặc tất cả (--all)") { id, all };
        redrive.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var one = context.Parse.GetValue(id);
            var everything = context.Parse.GetValue(all);
            if ((one is null) == !everything)
                throw new CliException("Cần đúng một trong hai: mã thư chết, hoặc --all.", ExitCodes.WrongInput);
            // One dead letter goes to the service holding it, whose answer has no list of services not reached.
            var result = everything
                ? await context.Api.Gateway.RedriveAllPlatformDeadLettersAsync(ct)
                : new PlatformRedrive { Redriven = (await context.Api.Gateway.RedrivePlatformDeadLetterAsync(one!, ct)).Redriven, Unreachable = [] };
            context.Output.Show(result, () =>
            {
                context.Output.Line($"Đã gửi lại {result.Redriven} thư.");
                Unreachable(context.Output, result.Unreachable);
            });
            return result.Unreachable.Count == 0 ? ExitCodes.Done : ExitCodes.Unreachable;
        }));

        deadLetters.Subcommands.Add(list);
        deadLetters.Subcommands.Add(redrive);
        return deadLetters;
    }

    static void Unreachable(Output output, IReadOnlyList<string> services)
    {
        if (services.Count > 0) output.Line($"Chưa hỏi được các dịch vụ: {string.Join(", ", services)} (không phản hồi); danh sách có thể chưa đủ.");
    }
}
