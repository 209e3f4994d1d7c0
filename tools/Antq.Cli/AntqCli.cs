using System.CommandLine;
using Antq.Cli.Commands;

namespace Antq.Cli;

/// <summary>
/// The <c>antq</c> command line: its commands, their options, and what every command shares: the gateway's address,
/// <c>--json</c> for scripts, and one place where failures become a Vietnamese message and an exit code
/// (<see cref="ExitCodes"/>).
/// </summary>
public static class AntqCli
{
    public const string DefaultGateway = "http://127.0.0.1:8080/";

    public static readonly Option<string?> Gateway = new("--gateway")
    {
        Description = "Địa chỉ cổng (gateway) của nền tảng; mặc định biến ANTQ_GATEWAY, rồi địa chỉ đã đăng nhập, rồi " + DefaultGateway,
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "In câu trả lời của API dưới dạng JSON (cho kịch bản), không in bảng",
        Recursive = true,
    };

    /// <summary>Runs one command line; answers the exit code. The process's entry point and the tests call only this.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("antq: công cụ dòng lệnh của nền tảng báo cáo phong trào toàn dân bảo vệ an ninh Tổ quốc (ANTQ)");
        root.Options.Add(Gateway);
        root.Options.Add(Json);
        foreach (var command in new[]
                 {
                     SignInCommands.Login(environment), SignInCommands.Logout(environment), SignInCommands.Me(environment),
                     UnitCommands.Build(environment), ReportCommands.Build(environment), RollupCommand.Build(environment),
                     PlanCommands.Build(environment), DeadLetterCommands.Build(environment),
                     PeriodCommands.Build(environment), MissingCommand.Build(environment), AuditCommand.Build(environment),
                 })
            root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) await environment.Error.WriteLineAsync($"Lệnh không hợp lệ: {error.Message}");
            await environment.Error.WriteLineAsync("Xem hướng dẫn: antq --help (hoặc antq LỆNH --help).");
            return ExitCodes.WrongInput;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = environment.Out, Error = environment.Error }, cancellationToken);
    }

    /// <summary>
    /// The action of a command: builds its context (output, gateway, session, client) and turns every failure into a
    /// Vietnamese message on standard error and an exit code, never a stack trace.
    /// </summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Action(CliEnvironment environment, Func<CommandContext, CancellationToken, Task<int>> run) =>
        async (parse, ct) =>
        {
            try
            {
                using var context = new CommandContext(environment, parse);
                return await run(context, ct);
            }
            catch (CliException ex)
            {
                await environment.Error.WriteLineAsync("Lỗi: " + ex.Message);
                foreach (var detail in ex.Details) await environment.Error.WriteLineAsync("  - " + detail);
                return ex.ExitCode;
            }
            catch (Antq.Client.ApiException ex)
            {
                await WriteRefusalAsync(environment.Error, ex);
                return ex.StatusCode == 401 ? ExitCodes.NotSignedIn : ExitCodes.Refused;
            }
            catch (HttpRequestException ex)
            {
                await environment.Error.WriteLineAsync("Lỗi: " + TokenEndpointMessage(environment, parse, ex));
                return ExitCodes.Unreachable;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                await environment.Error.WriteLineAsync("Lỗi: nền tảng không trả lời kịp (quá thời gian chờ).");
                return ExitCodes.Unreachable;
            }
        };

    static string TokenEndpointMessage(CliEnvironment environment, ParseResult parse, HttpRequestException ex) =>
        SignIn.TokenEndpoint.Unreachable(new CommandContext(environment, parse).GatewayAddress, ex).Message;

    /// <summary>
    /// A refusal as the platform worded it: the problem's Vietnamese title and detail, then each field's errors. A body
    /// that is no problem document (a proxy's page) is described by its status.
    /// </summary>
    static async Task WriteRefusalAsync(TextWriter error, Antq.Client.ApiException ex)
    {
        foreach (var line in Refusal(ex)) await error.WriteLineAsync(line);
    }

    /// <summary>The lines that tell a refusal: <c>Lỗi 409: title: detail</c>, then <c>  - field: message</c> for each field error.</summary>
    public static IReadOnlyList<string> Refusal(Antq.Client.ApiException ex)
    {
        if (ex.Problem is { } problem)
            return [$"Lỗi {ex.StatusCode}: {problem}", .. problem.Errors.SelectMany(e => e.Value.Select(message => $"  - {e.Key}: {message}"))];

        return [ex.StatusCode switch
        {
            >= 200 and < 300 => $"Lỗi: không đọc được câu trả lời của nền tảng ({ex.Message} {ex.InnerException?.Message}).",
            401 => "Lỗi 401: phiên đăng nhập không còn hiệu lực. Hãy chạy lại: antq login",
            403 => "Lỗi 403: tài khoản không có quyền thực hiện thao tác này.",
            404 => "Lỗi 404: không tìm thấy.",
            429 => "Lỗi 429: gửi quá nhiều yêu cầu; hãy thử lại sau ít phút.",
            >= 500 => $"Lỗi {ex.StatusCode}: nền tảng gặp sự cố khi xử lý yêu cầu.",
            _ => $"Lỗi {ex.StatusCode}: yêu cầu bị từ chối.",
        }];
    }
}
