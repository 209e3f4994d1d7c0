using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Antq.Identity.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Antq.Identity.Api.SignIn;

/// <summary>
/// The login page of the authorization-code flow (/account/login): a plain server-rendered form. A good password
/// starts the login session (cookie) and returns to the authorization request that sent the user here.
/// </summary>
public static class AccountApi
{
    public const string ReturnUrlField = "ReturnUrl";
    public const string SessionExpired = "Phiên làm việc của trang đăng nhập đã hết hạn. Vui lòng đăng nhập lại.";

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").WithTags("Account").ExcludeFromDescription();
        account.MapGet("/login", LoginForm).WithName("loginForm");
        // The form is read by hand and its antiforgery token checked explicitly, so no framework form binding applies.
        account.MapPost("/login", Login).DisableAntiforgery().WithName("login");
        return app;
    }

    /// <summary>GET /account/login?ReturnUrl=…</summary>
    public static ContentHttpResult LoginForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        Page(context, antiforgery, StatusCodes.Status200OK, LocalOrRoot(returnUrl), userName: null, error: null);

    /// <summary>POST /account/login (form: username, password, ReturnUrl, antiforgery token).</summary>
    public static async Task<Results<RedirectHttpResult, ContentHttpResult>> Login(
        HttpContext context, IAntiforgery antiforgery, IdentityDbContext db, IPasswordHasher<User> hasher)
    {
        var cancellationToken = context.RequestAborted;
        if (!context.Request.HasFormContentType)
        {
            return Page(context, antiforgery, StatusCodes.Status400BadRequest, "/", null, SessionExpired);
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var returnUrl = LocalOrRoot(form[ReturnUrlField]);
        var userName = form["username"].ToString();

        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return Page(context, antiforgery, StatusCodes.Status400BadRequest, returnUrl, userName, SessionExpired);
        }

        var (user, refusal) = await ConnectApi.CheckPasswordAsync(context, db, hasher, userName, form["password"], cancellationToken);
        if (user is null)
        {
            return Page(context, antiforgery, StatusCodes.Status400BadRequest, returnUrl, userName, refusal);
        }

        var identity = new ClaimsIdentity(LoginCookie.Scheme, AntqClaims.Name, AntqClaims.Role);
        identity.AddClaim(new Claim(AntqClaims.Subject, user.Id.ToString()));
        identity.AddClaim(new Claim(AntqClaims.Name, user.UserName));
        await context.SignInAsync(LoginCookie.Scheme, new ClaimsPrincipal(identity));

        return TypedResults.Redirect(returnUrl);
    }

    /// <summary>Only an address on this site, so the login page cannot be used to send a user elsewhere.</summary>
    internal static string LocalOrRoot(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/') return "/";
        if (url.Length > 1 && (url[1] == '/' || url[1] == '\\')) return "/";
        if (url.Any(char.IsControl)) return "/";
        return url;
    }

    /// <summary>Escapes markup characters but leaves Vietnamese letters readable in the page source.</summary>
    static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    static ContentHttpResult Page(HttpContext context, IAntiforgery antiforgery, int status, string returnUrl, string? userName, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers["X-Frame-Options"] = "DENY";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
        headers["Referrer-Policy"] = "no-referrer";

        var html = Html;
        var errorBlock = error is null ? "" : $"""<p class="error" role="alert">{html.Encode(error)}</p>""";
        var body = $$"""
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Đăng nhập – Hệ thống báo cáo ANTQ</title>
            <style>
            body { font-family: system-ui, "Segoe UI", Arial, sans-serif; background: #f3f4f6; margin: 0; }
            main { max-width: 360px; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
            h1 { font-size: 1.25rem; margin-top: 0; color: #7f1d1d; }
            label { display: block; margin-top: 1rem; font-weight: 600; }
            input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; }
            button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #991b1b; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
            .error { color: #b91c1c; background: #fef2f2; padding: .5rem; border-radius: 4px; }
            </style>
            </head>
            <body>
            <main>
            <h1>Đăng nhập hệ thống báo cáo ANTQ</h1>
            {{errorBlock}}
            <form method="post" action="{{html.Encode(context.Request.PathBase + "/account/login")}}">
            <input type="hidden" name="{{html.Encode(tokens.FormFieldName)}}" value="{{html.Encode(tokens.RequestToken ?? "")}}">
            <input type="hidden" name="{{ReturnUrlField}}" value="{{html.Encode(returnUrl)}}">
            <label for="username">Tên đăng nhập</label>
            <input id="username" name="username" type="text" autocomplete="username" required autofocus value="{{html.Encode(userName ?? "")}}">
            <label for="password">Mật khẩu</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Đăng nhập</button>
            </form>
            </main>
            </body>
            </html>
            """;
        return TypedResults.Content(body, "text/html; charset=utf-8", statusCode: status);
    }
}
