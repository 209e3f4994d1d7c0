using System.CommandLine;
using Antq.Cli.SignIn;
using Antq.Client;

namespace Antq.Cli;

/// <summary>What one command works with: its output, the gateway, the kept session and the typed client on it.</summary>
public sealed class CommandContext(CliEnvironment environment, ParseResult parse) : IDisposable
{
    AntqApi? api;

    public CliEnvironment Environment => environment;

    public ParseResult Parse => parse;

    public Output Output { get; } = new(environment.Out, parse.GetValue(AntqCli.Json));

    public SessionStore Store { get; } = new(environment.ConfigDirectory);

    public TimeProvider Clock { get; } = TimeProvider.System;

    /// <summary>--gateway, else ANTQ_GATEWAY, else the gateway of the kept session, else the local platform's.</summary>
    public Uri GatewayAddress
    {
        get
        {
            var text = parse.GetValue(AntqCli.Gateway) is { Length: > 0 } given ? given
                : environment.Variable("ANTQ_GATEWAY") is { Length: > 0 } variable ? variable
                : new SessionStore(environment.ConfigDirectory).Load()?.Gateway ?? AntqCli.DefaultGateway;
            if (!Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
                throw new CliException($"Địa chỉ cổng \"{text}\" không hợp lệ: cần dạng http(s)://máy:cổng/.", ExitCodes.WrongInput);
            return address;
        }
    }

    public TokenEndpoint Tokens => new(GatewayAddress, Clock);

    /// <summary>The typed client through the gateway, signed in (<see cref="Session"/>).</summary>
    public AntqApi Api
    {
        get
        {
            if (api is not null) return api;
            var gateway = GatewayAddress;
            var session = new Session(Store, new TokenEndpoint(gateway, Clock), gateway, Environment.Variable, Clock);
            return api = new AntqApi(new HttpClient(session.Handler()) { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) });
        }
    }

    public void Dispose() => api?.Http.Dispose();

    /// <summary>Checks a period's code here, so that a typo is told at once in the platform's words.</summary>
    public static string Period(string text) =>
        Antq.Calendar.ReportingPeriod.TryParse(text, out var period)
            ? period.Code
            : throw new CliException(Antq.Calendar.ReportingPeriod.FormatMessage, ExitCodes.WrongInput);
}
