using System.Net.Http.Headers;

namespace Antq.Cli.SignIn;

/// <summary>
/// The signed-in account of a command: the kept session when it belongs to the gateway asked for, renewed with its
/// refresh token shortly before the access token expires; or, for scripts, a new sign-in from ANTQ_USER and
/// ANTQ_PASSWORD when there is none or it cannot be renewed. Otherwise the person is told to run <c>antq login</c>.
/// </summary>
public sealed class Session(SessionStore store, TokenEndpoint tokens, Uri gateway, Func<string, string?> variable, TimeProvider clock)
{
    /// <summary>Renewed this long before it expires, so that a command never starts with a token about to lapse.</summary>
    static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);

    SavedSession? current;

    public Uri Gateway => gateway;

    public async Task<SavedSession> CurrentAsync(CancellationToken ct)
    {
        current ??= store.Load() is { } saved && SameGateway(saved) ? saved : null;
        if (current is not null && current.ExpiresAt - Margin > clock.GetUtcNow()) return current;

        if (current?.RefreshToken is not null)
        {
            try
            {
                current = await tokens.RefreshAsync(current, ct);
                store.Save(current);
                return current;
            }
            catch (CliException ex) when (ex.ExitCode == ExitCodes.NotSignedIn)
            {
                // The refresh token expired or was revoked: sign in again below, when the environment allows it.
            }
        }

        if (variable("ANTQ_USER") is { Length: > 0 } user && variable("ANTQ_PASSWORD") is { Length: > 0 } password)
        {
            current = await tokens.PasswordAsync(user, password, ct);
            store.Save(current);
            return current;
        }

        throw new CliException(current is null
            ? "Chưa đăng nhập. Hãy chạy: antq login --user TÊN_ĐĂNG_NHẬP (hoặc đặt biến ANTQ_USER và ANTQ_PASSWORD)."
            : "Phiên đăng nhập đã hết hạn. Hãy chạy lại: antq login", ExitCodes.NotSignedIn);
    }

    bool SameGateway(SavedSession saved) =>
        Uri.TryCreate(saved.Gateway, UriKind.Absolute, out var address) && Uri.Compare(address, gateway, UriComponents.HttpRequestUrl, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>The handler that puts the current access token on every request of the typed client.</summary>
    public DelegatingHandler Handler() => new Bearer(this) { InnerHandler = new HttpClientHandler() };

    sealed class Bearer(Session session) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var signedIn = await session.CurrentAsync(cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", signedIn.AccessToken);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw TokenEndpoint.Unreachable(session.Gateway, ex);
            }
        }
    }
}
