using System.CommandLine;

namespace Antq.Cli.Commands;

/// <summary><c>antq login</c>, <c>antq logout</c>, <c>antq me</c>: the session kept between commands.</summary>
public static class SignInCommands
{
    public static Command Login(CliEnvironment environment)
    {
        var user = new Option<string?>("--user", "-u") { Description = "Tên đăng nhập; mặc định biến ANTQ_USER" };
        var command = new Command("login", "Đăng nhập và giữ phiên (mật khẩu hỏi tại chỗ, hoặc lấy từ biến ANTQ_PASSWORD)") { user };
        command.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var username = context.Parse.GetValue(user) is { Length: > 0 } given ? given
                : environment.Variable("ANTQ_USER") is { Length: > 0 } variable ? variable
                : throw new CliException("Cần tên đăng nhập: antq login --user TÊN_ĐĂNG_NHẬP (hoặc biến ANTQ_USER).", ExitCodes.WrongInput);
            var password = environment.Variable("ANTQ_PASSWORD") is { Length: > 0 } fromVariable ? fromVariable
                : environment.ReadPassword($"Mật khẩu của {username}: ") is { Length: > 0 } typed ? typed
                : throw new CliException("Chưa có mật khẩu: nhập khi được hỏi, hoặc đặt biến ANTQ_PASSWORD.", ExitCodes.WrongInput);

            var session = await context.Tokens.PasswordAsync(username, password, ct);
            context.Store.Save(session);
            context.Output.Show(new { session.Gateway, session.Username, session.ExpiresAt }, () =>
                context.Output.Line($"Đã đăng nhập {session.Gateway} với tài khoản {session.Username}. Phiên được lưu tại {context.Store.FilePath}."));
            return ExitCodes.Done;
        }));
        return command;
    }

    public static Command Logout(CliEnvironment environment)
    {
        var command = new Command("logout", "Đăng xuất: thu hồi phiên đang giữ và xóa tệp phiên");
        command.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            if (context.Store.Load() is { } session)
            {
                try
                {
                    await context.Tokens.RevokeAsync(session, ct);
                }
                catch (HttpRequestException)
                {
                    // The gateway is away: the local session is deleted all the same; the refresh token lapses by itself.
                }

                context.Store.Delete();
                context.Output.Line($"Đã đăng xuất tài khoản {session.Username}.");
            }
            else
            {
                context.Output.Line("Không có phiên đăng nhập nào.");
            }

            return ExitCodes.Done;
        }));
        return command;
    }

    public static Command Me(CliEnvironment environment)
    {
        var command = new Command("me", "Tài khoản đang đăng nhập: tên, vai trò, đơn vị");
        command.SetAction(AntqCli.Action(environment, async (context, ct) =>
        {
            var me = await context.Api.Identity.GetMeAsync(ct);
            context.Output.Show(me, () =>
            {
                context.Output.Line($"Tài khoản: {me.Username} ({me.FullName})");
                context.Output.Line($"Vai trò:   {me.Role}");
                context.Output.Line($"Đơn vị:    {me.OrgUnitCode}");
            });
            return ExitCodes.Done;
        }));
        return command;
    }
}
