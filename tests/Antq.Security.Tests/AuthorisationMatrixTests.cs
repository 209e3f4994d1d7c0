using System.Net;
using System.Text;
using Antq.ServiceDefaults;
using Xunit.Abstractions;

namespace Antq.Security.Tests;

/// <summary>Who may call a route, in terms of the unit named in the route (the case's unit).</summary>
public enum Access
{
    /// <summary>No token needed (the OpenID Connect and login endpoints).</summary>
    Public,
    /// <summary>Any signed-in account; the route names no unit.</summary>
    Authenticated,
    /// <summary>Admin only.</summary>
    Admin,
    /// <summary>The unit's subtree: the account's unit or one below it; Admin everything.</summary>
    ReadSubtree,
    /// <summary>The subtree or the ancestors: the account's unit, one below it, or one above it (never a sibling); Admin everything.</summary>
    ReadSubtreeOrAncestors,
    /// <summary>Data entry: an officer of that very unit; Admin.</summary>
    EnterOwn,
    /// <summary>Review: an officer of the unit's direct parent; Admin.</summary>
    ReviewParent,
    /// <summary>An officer of the unit or of its direct parent; Admin.</summary>
    EnterOrReview,
    /// <summary>Any role, but only for the account's own unit; Admin for any.</summary>
    OwnUnit,
    /// <summary>The caller's own inbox: a notice of someone else's inbox is 404 for every account, Admin included.</summary>
    OwnInbox,
}

/// <summary>A rule: who may call, and what to send (null: no body).</summary>
public sealed record Rule(Access Access, Func<RequestCase, HttpContent?>? Body = null);

/// <summary>One request of the matrix: a role at a home unit, acting on a target unit.</summary>
public sealed record RequestCase(string Role, string Home, string Case, string Target, SecurityPlatform Platform);

[Collection(PlatformCollection.Name)]
public sealed class AuthorisationMatrixTests(SecurityPlatform platform, ITestOutputHelper output)
{
    static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    static readonly Func<RequestCase, HttpContent?> ReportBody = _ => Json("""{"values":{"TIPS_TOTAL":3},"narrative":{"KET_QUA":"Đã triển khai."}}""");

    /// <summary>
    /// The rule table: every route of every service and the gateway's own, "service METHOD pattern". A route the apps answer that is not
    /// here fails <see cref="Every_route_has_a_rule"/>; a rule for a route that no longer exists fails it too.
    /// </summary>
    public static readonly Dictionary<string, Rule> Rules = new()
    {
        // Dead letters (every service with a bus; through the gateway, its merged list): administrators only.
        ["identity GET /api/dead-letters"] = new(Access.Admin),
        ["identity POST /api/dead-letters/redrive"] = new(Access.Admin),
        ["identity POST /api/dead-letters/{id}/redrive"] = new(Access.Admin),
        ["plan GET /api/dead-letters"] = new(Access.Admin),
        ["plan POST /api/dead-letters/redrive"] = new(Access.Admin),
        ["plan POST /api/dead-letters/{id}/redrive"] = new(Access.Admin),
        ["reporting GET /api/dead-letters"] = new(Access.Admin),
        ["reporting POST /api/dead-letters/redrive"] = new(Access.Admin),
        ["reporting POST /api/dead-letters/{id}/redrive"] = new(Access.Admin),
        ["classification GET /api/dead-letters"] = new(Access.Admin),
        ["classification POST /api/dead-letters/redrive"] = new(Access.Admin),
        ["classification POST /api/dead-letters/{id}/redrive"] = new(Access.Admin),
        ["notification GET /api/dead-letters"] = new(Access.Admin),
        ["notification POST /api/dead-letters/redrive"] = new(Access.Admin),
        ["notification POST /api/dead-letters/{id}/redrive"] = new(Access.Admin),
        // The gateway's own routes: the platform's status and its merged dead letters (administrators), its own status,
        // and the API reference at /docs (public, as the documents it shows).
        ["gateway GET /api/status"] = new(Access.Admin),
        ["gateway GET /api/status/self"] = new(Access.Admin),
        ["gateway GET /api/dead-letters"] = new(Access.Admin),
        ["gateway POST /api/dead-letters/redrive"] = new(Access.Admin),
        ["gateway POST /api/dead-letters/{id}/redrive"] = new(Access.Admin),
        ["gateway GET /docs/{documentName?}"] = new(Access.Public),
        ["gateway GET /docs/scalar.js"] = new(Access.Public),
        ["gateway GET /docs/scalar.aspnetcore.js"] = new(Access.Public),
        ["gateway GET /docs/favicon.svg"] = new(Access.Public),
        ["identity GET /api/status/self"] = new(Access.Admin),
        ["plan GET /api/status/self"] = new(Access.Admin),
        ["reporting GET /api/status/self"] = new(Access.Admin),
        ["classification GET /api/status/self"] = new(Access.Admin),
        ["notification GET /api/status/self"] = new(Access.Admin),

        // Identity
        ["identity POST /connect/token"] = new(Access.Public, _ => new FormUrlEncodedContent(new Dictionary<string, string>
            { ["grant_type"] = "password", ["client_id"] = "antq-cli", ["username"] = "khong.ton.tai", ["password"] = "sai-mat-khau" })),
        ["identity GET /connect/authorize"] = new(Access.Public),
        ["identity POST /connect/authorize"] = new(Access.Public),
        ["identity GET /connect/logout"] = new(Access.Public),
        ["identity POST /connect/logout"] = new(Access.Public),
        ["identity GET /account/login"] = new(Access.Public),
        ["identity POST /account/login"] = new(Access.Public),
        ["identity GET /api/users"] = new(Access.Admin),
        ["identity POST /api/users"] = new(Access.Admin, c => Json($$"""{"username":"u{{Guid.NewGuid():N}}","password":"Mat-khau-2026-an","fullName":"Nguyễn Văn Bình","role":"Viewer","orgUnitCode":"{{c.Target}}"}""")),
        ["identity GET /api/users/me"] = new(Access.Authenticated),
        // The test tokens name no stored account: the caller's own password change is a clean 404, never a 403.
        ["identity POST /api/users/me/password"] = new(Access.Authenticated, _ => Json("""{"currentPassword":"Mat-khau-cu-2026","newPassword":"Mat-khau-moi-2026"}""")),
        ["identity GET /api/users/audit"] = new(Access.Admin),
        ["identity GET /api/users/{username}"] = new(Access.Admin),
        // Harmless for the admin account the routes name: the same full name, a password the rules refuse, an unlock.
        ["identity PATCH /api/users/{username}"] = new(Access.Admin, _ => Json("""{"fullName":"Quản trị hệ thống"}""")),
        ["identity POST /api/users/{username}/password"] = new(Access.Admin, _ => Json("""{"password":"ngan"}""")),
        ["identity POST /api/users/{username}/unlock"] = new(Access.Admin),

        // Plan: a unit, and the plans it issued, for the subtree and the ancestors; what lies below a unit (children,
        // lineage, deadlines, the cascade of implementing plans) for the subtree only; searches and lists are filtered.
        ["plan GET /api/org-units"] = new(Access.Authenticated),
        ["plan GET /api/org-units/{code}"] = new(Access.ReadSubtreeOrAncestors),
        ["plan GET /api/org-units/{code}/children"] = new(Access.ReadSubtree),
        ["plan GET /api/org-units/{code}/lineage"] = new(Access.ReadSubtree),
        ["plan POST /api/org-units"] = new(Access.Admin, _ => Json("{}")),
        ["plan POST /api/org-units/import"] = new(Access.Admin, _ => Json("[]")),
        ["plan POST /api/org-units/merges/import"] = new(Access.Admin, _ => Json("[]")),
        ["plan POST /api/plans"] = new(Access.EnterOwn, c => JsonContent(SecurityPlatform.PlanBody(c.Target, $"{Random.Shared.Next(100, 999)}/KH-MT"))),
        ["plan GET /api/plans"] = new(Access.Authenticated),
        ["plan GET /api/plans/{id:guid}"] = new(Access.ReadSubtreeOrAncestors),
        ["plan GET /api/plans/{id:guid}/cascade"] = new(Access.ReadSubtree),
        ["plan POST /api/plans/{id:guid}/issue"] = new(Access.EnterOwn),
        ["plan POST /api/plans/{id:guid}/supersede"] = new(Access.EnterOwn, _ => Json("{}")),
        ["plan POST /api/plans/drafts/from-text"] = new(Access.Authenticated, _ => new StringContent("KẾ HOẠCH số 1/KH-CAT", Encoding.UTF8, "text/plain")),
        ["plan GET /api/deadlines/{code}/{period}"] = new(Access.ReadSubtree),
        ["plan POST /api/deadlines/recompute"] = new(Access.Admin),

        // Reporting
        ["reporting GET /api/indicators"] = new(Access.Authenticated),
        ["reporting PUT /api/indicators/catalogue"] = new(Access.Admin, _ => Json("{}")),
        ["reporting GET /api/reports/{code}/{period}"] = new(Access.ReadSubtree),
        ["reporting PUT /api/reports/{code}/{period}"] = new(Access.EnterOwn, ReportBody),
        ["reporting GET /api/reports/{code}/{period}/template.xlsx"] = new(Access.ReadSubtree),
        ["reporting POST /api/reports/{code}/{period}/reopen"] = new(Access.ReviewParent, _ => Json("""{"reason":"Mở lại để bổ sung"}""")),
        ["reporting POST /api/reports/{code}/{period}/submit"] = new(Access.EnterOwn),
        ["reporting POST /api/reports/{code}/{period}/return"] = new(Access.ReviewParent, _ => Json("""{"reason":"Thiếu số liệu"}""")),
        ["reporting POST /api/reports/{code}/{period}/accept"] = new(Access.ReviewParent),
        ["reporting GET /api/rollups/{code}/{period}"] = new(Access.ReadSubtree),
        ["reporting GET /api/rollups/{code}/{period}/children"] = new(Access.ReadSubtree),
        ["reporting GET /api/rollups/{code}/{period}/children/{indicator}"] = new(Access.ReadSubtree),
        ["reporting GET /api/rollups/{code}/{period}/snapshot"] = new(Access.ReadSubtree),
        ["reporting GET /api/rollups/{code}/{period}/export"] = new(Access.ReadSubtree),
        ["reporting POST /api/rollups/{period}/recompute"] = new(Access.Admin),

        // Classification
        ["classification GET /api/classifications/{code}/{year:int}"] = new(Access.ReadSubtree),
        ["classification PUT /api/classifications/{code}/{year:int}/evaluation"] = new(Access.EnterOwn, _ => Json("""{"selfScores":{"TC1":1}}""")),
        ["classification GET /api/classifications/{code}/{year:int}/summary"] = new(Access.ReadSubtree),
        ["classification GET /api/classifications/{code}/{year:int}/safe"] = new(Access.ReadSubtree),
        ["classification POST /api/classifications/{code}/{year:int}/safe/registration"] = new(Access.EnterOrReview),
        ["classification POST /api/classifications/{code}/{year:int}/safe/recognition"] = new(Access.ReviewParent, _ => Json("""{"criteria":{}}""")),
        ["classification GET /api/classifications/score-sheets/{year:int}/{kind}"] = new(Access.Authenticated),
        ["classification PUT /api/classifications/score-sheets/{year:int}/{kind}"] = new(Access.Admin, _ => Json("{}")),
        ["classification GET /api/classifications/safe-standards/{year:int}/{kind}"] = new(Access.Authenticated),
        ["classification PUT /api/classifications/safe-standards/{year:int}/{kind}"] = new(Access.Admin, _ => Json("{}")),

        // Notification
        ["notification GET /api/notifications"] = new(Access.Authenticated),
        ["notification POST /api/notifications/{id:guid}/read"] = new(Access.OwnInbox),
        ["notification GET /api/notifications/deliveries"] = new(Access.Admin),
        // Each account's own preferences: whoever is signed in reads and sets their own, nobody else's (no unit in the route).
        ["notification GET /api/notifications/preferences"] = new(Access.Authenticated),
        ["notification PUT /api/notifications/preferences"] = new(Access.Authenticated, _ => Json("""{"inApp":true,"digestWindow":"PT1H"}""")),
        ["notification GET /api/notifications/schedule/{code}/{period}"] = new(Access.OwnUnit),
        ["notification GET /api/contact-points/{code}"] = new(Access.EnterOwn),
        ["notification PUT /api/contact-points/{code}"] = new(Access.EnterOwn, _ => Json("""{"emails":["doi.an.ninh@example.vn"]}""")),
    };

    static HttpContent JsonContent(object value) => System.Net.Http.Json.JsonContent.Create(value);

    static string Key(ServiceUnderTest service, string method, string pattern) => $"{service.Name} {method} {pattern}";

    [Fact]
    public void Every_route_has_a_rule()
    {
        var routes = platform.All.Append(platform.GatewayItself).SelectMany(s => s.Routes().Select(r => Key(s, r.Method, r.Pattern))).ToList();
        var missing = routes.Where(r => !Rules.ContainsKey(r)).ToList();
        var stale = Rules.Keys.Where(k => !routes.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "Routes without a rule in the authorisation matrix:\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Rules for routes that no longer exist:\n" + string.Join("\n", stale));
    }

    /// <summary>Roles and the unit each account belongs to. After the 2025 reform there is no district level: the district officer role is held at the province.</summary>
    (string Role, string Home)[] Accounts =>
    [
        (AntqRoles.Admin, SecurityPlatform.ProvinceA),
        (AntqRoles.ProvinceOfficer, SecurityPlatform.ProvinceA),
        (AntqRoles.DistrictOfficer, SecurityPlatform.ProvinceA),
        (AntqRoles.CommuneOfficer, platform.CommuneA1),
        (AntqRoles.Viewer, SecurityPlatform.ProvinceA),
        (AntqRoles.Viewer, platform.CommuneA1),
    ];

    static bool IsOfficer(string role) => role is AntqRoles.ProvinceOfficer or AntqRoles.DistrictOfficer or AntqRoles.CommuneOfficer;

    bool InSubtree(string home, string target)
    {
        for (string? unit = target; unit is not null; unit = platform.Parent.GetValueOrDefault(unit))
        {
            if (unit == home) return true;
        }

        return false;
    }

    bool Allowed(Access access, string role, string home, string target) => access switch
    {
        Access.Public or Access.Authenticated or Access.OwnInbox => true,
        _ when role == AntqRoles.Admin => true,
        Access.Admin => false,
        Access.ReadSubtree => InSubtree(home, target),
        Access.ReadSubtreeOrAncestors => InSubtree(home, target) || InSubtree(target, home),
        Access.EnterOwn => IsOfficer(role) && home == target,
        Access.ReviewParent => IsOfficer(role) && platform.Parent.GetValueOrDefault(target) == home,
        Access.EnterOrReview => IsOfficer(role) && (home == target || platform.Parent.GetValueOrDefault(target) == home),
        Access.OwnUnit => home == target,
        _ => throw new ArgumentOutOfRangeException(nameof(access)),
    };

    string Fill(string pattern, RequestCase c)
    {
        var planIssuer = c.Target;
        return pattern
            .Replace("{code}", c.Target).Replace("{period}", SecurityPlatform.Period).Replace("{year:int}", SecurityPlatform.Year.ToString())
            .Replace("{kind}", "Commune").Replace("{indicator}", "TIPS_TOTAL").Replace("{username}", "admin").Replace("{id}", "notification:queue:khong-co")
            .Replace("{id:guid}", pattern.StartsWith("/api/plans", StringComparison.Ordinal)
                ? platform.DraftPlans[platform.DraftPlans.ContainsKey(planIssuer) ? planIssuer : SecurityPlatform.ProvinceA].ToString()
                : (noticeId ?? Guid.NewGuid()).ToString());
    }

    /// <summary>
    /// The target units of a role's cases: its own unit, a unit below it (a province's account) or above it and a sibling
    /// (a commune's account), another province's commune.
    /// </summary>
    IEnumerable<(string Case, string Target)> Cases(string home)
    {
        yield return ("own unit", home);
        if (home == SecurityPlatform.ProvinceA) yield return ("unit in scope", platform.CommuneA1);
        if (home == platform.CommuneA1)
        {
            yield return ("ancestor", SecurityPlatform.ProvinceA);
            yield return ("sibling", platform.CommuneA2);
        }

        yield return ("unit out of scope", platform.CommuneB1);
    }

    /// <summary>The cases the matrix can have: own, below, ancestor, sibling, out of scope.</summary>
    const int MaxCases = 4;

    /// <summary>A route names a unit in its path, or (plan routes) in the plan it names or the plan it creates.</summary>
    static bool NamesUnit(string pattern, Access access) =>
        pattern.Contains("{code}") || (pattern.StartsWith("/api/plans", StringComparison.Ordinal) && access != Access.Authenticated);

    Guid? noticeId;

    [Fact]
    public async Task Every_route_answers_every_role_and_unit_as_its_rule_says()
    {
        // A real notice, in the inbox of an account that none of the matrix's accounts is.
        noticeId = await platform.Notification.ScalarAsync<Guid?>("SELECT id FROM notices ORDER BY id LIMIT 1");
        var failures = new List<string>();
        var requests = 0;
        var routes = 0;
        foreach (var service in platform.All.Append(platform.GatewayItself))
        {
            // Who must answer: the service itself, through the gateway; the gateway's own routes, the gateway (no service).
            var server = service.Name == ServiceUnderTest.GatewayName ? null : service.Name;
            foreach (var (method, pattern) in service.Routes())
            {
                if (!Rules.TryGetValue(Key(service, method, pattern), out var rule)) continue; // reported by Every_route_has_a_rule
                routes++;
                var unitRoute = NamesUnit(pattern, rule.Access);

                // Anonymous: 401 unless public.
                {
                    var c = new RequestCase("anonymous", "", "anonymous", platform.CommuneA1, platform);
                    using var client = service.CreateClient();
                    var (status, body, servedBy) = await SendAsync(client, method, Fill(pattern, c), rule, c);
                    requests++;
                    if (status >= 500 || (rule.Access != Access.Public && status != 401) || (rule.Access == Access.Public && status == 401))
                        failures.Add($"{Key(service, method, pattern)} anonymous → {status} {Clip(body)}");
                    else if (rule.Access == Access.Public && servedBy != server)
                        failures.Add($"{Key(service, method, pattern)} anonymous → {status} from the gateway itself: it does not route this public route to {service.Name}. {Clip(body)}");
                }

                foreach (var (role, home) in Accounts)
                {
                    using var client = service.As(role, home);
                    foreach (var (caseName, target) in unitRoute ? Cases(home) : [("no unit in route", home)])
                    {
                        var c = new RequestCase(role, home, caseName, target, platform);
                        var (status, body, servedBy) = await SendAsync(client, method, Fill(pattern, c), rule, c);
                        requests++;
                        var allowed = Allowed(rule.Access, role, home, target);
                        var outOfScope = unitRoute && !InSubtree(home, target) && role != AntqRoles.Admin;
                        // The gateway answers the dead letters and the status itself: it merges every service's answer (and
                        // sends a redrive on); a service's own status is asked by the gateway, never routed to it.
                        var gatewayAnswers = pattern.StartsWith("/api/dead-letters", StringComparison.Ordinal) || pattern.StartsWith("/api/status", StringComparison.Ordinal);
                        string? wrong = servedBy != server && !(gatewayAnswers && servedBy is null) ? $"answered by {servedBy ?? "the gateway itself"}, not by {service.Name}: the gateway does not route it"
                            : status >= 500 ? "server error"
                            : status == 401 ? "401 with a valid token"
                            : allowed && status == 403 ? "refused but allowed by the rule"
                            : !allowed && status is >= 200 and < 400 ? "accepted but refused by the rule"
                            : !allowed && outOfScope && status is not (403 or 404) ? "out of scope must be 403 or 404"
                            : !allowed && status is not (403 or 404) && rule.Access == Access.Admin ? "admin-only must be 403"
                            : rule.Access == Access.OwnInbox && noticeId is not null && status != 404 ? "another account's notice must be 404"
                            : null;
                        if (wrong is not null)
                            failures.Add($"{Key(service, method, pattern)} as {role}@{home}, {caseName} ({target}) → {status}: {wrong}. {Clip(body)}");
                    }
                }
            }
        }

        output.WriteLine($"Matrix, through the gateway: {routes} routes × {Accounts.Length} accounts ({Accounts.Select(a => a.Role).Distinct().Count()} roles) × up to {MaxCases} unit cases + anonymous = {requests} requests");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} answers break the rules:\n" + string.Join("\n", failures));
    }

    /// <summary>Sends one request through the gateway; answers the status, the body and which service answered (null: the gateway itself).</summary>
    static async Task<(int Status, string Body, string? ServedBy)> SendAsync(HttpClient client, string method, string path, Rule rule, RequestCase c)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = rule.Body?.Invoke(c) };
        if (request.Content is null && method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var servedBy = response.Headers.TryGetValues(SecurityPlatform.ServedBy, out var values) ? values.FirstOrDefault() : null;
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), servedBy);
    }

    static string Clip(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
