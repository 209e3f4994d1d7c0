namespace Antq.Identity.Api.Tokens;

/// <summary>The Identity service's own sign-in session, used only by the authorization endpoint and the login page.</summary>
public static class LoginCookie
{
    public const string Scheme = "antq-login";
    public const string CookieName = "antq_login";
}
