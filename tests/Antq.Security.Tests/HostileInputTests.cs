using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Antq.ServiceDefaults;
using Xunit.Abstractions;

namespace Antq.Security.Tests;

/// <summary>One hostile request: where, as whom, what, and whether a 2xx is a legitimate answer to it.</summary>
public sealed record HostileRequest(string Label, ServiceUnderTest Service, string Method, string Path, string Role, string Unit,
    Func<HttpContent?> Body, bool MayBeAccepted = false);

[Collection(PlatformCollection.Name)]
public sealed class HostileInputTests(SecurityPlatform platform, ITestOutputHelper output)
{
    const string P = SecurityPlatform.Period;

    static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    static string Deep(int levels, string open, string close, string inner = "1") =>
        string.Concat(Enumerable.Repeat(open, levels)) + inner + string.Concat(Enumerable.Repeat(close, levels));

    /// <summary>The JSON routes under attack, each with a legitimate body shape to twist.</summary>
    IEnumerable<(string Name, ServiceUnderTest Service, string Method, string Path, string Role, string Unit, Func<string, string> Wrap)> JsonRoutes()
    {
        var a1 = platform.CommuneA1;
        yield return ("report draft", platform.Reporting, "PUT", $"/api/reports/{a1}/{P}", AntqRoles.CommuneOfficer, a1,
            v => $$$"""{"values":{"TIPS_TOTAL":{{{v}}}},"narrative":{"KET_QUA":"ổn"}}""");
        yield return ("report return", platform.Reporting, "POST", $"/api/reports/{a1}/{P}/return", AntqRoles.ProvinceOfficer, SecurityPlatform.ProvinceA,
            v => $$$"""{"reason":{{{v}}}}""");
        yield return ("user", platform.Identity, "POST", "/api/users", AntqRoles.Admin, SecurityPlatform.ProvinceA,
            v => $$$"""{"username":{{{v}}},"password":"Mat-khau-2026-an","fullName":"Lò Văn Sơn","role":"Viewer","orgUnitCode":"{{{a1}}}"}""");
        yield return ("contact point", platform.Notification, "PUT", $"/api/contact-points/{a1}", AntqRoles.CommuneOfficer, a1,
            v => $$$"""{"emails":[{{{v}}}]}""");
        yield return ("evaluation", platform.Classification, "PUT", $"/api/classifications/{a1}/{SecurityPlatform.Year}/evaluation", AntqRoles.CommuneOfficer, a1,
            v => $$$"""{"selfScores":{"TC1":{{{v}}}}}""");
        yield return ("plan", platform.Plan, "POST", "/api/plans", AntqRoles.ProvinceOfficer, SecurityPlatform.ProvinceA,
            v => $$$"""{"number":"9/KH","title":"Kế hoạch","issuedOn":"2026-01-15","issuerCode":"12","year":{{{v}}},"deadlines":{"2026-Y":"2026-12-15"}}""");
        yield return ("score sheet", platform.Classification, "PUT", $"/api/classifications/score-sheets/{SecurityPlatform.Year}/Commune", AntqRoles.Admin, SecurityPlatform.ProvinceA,
            v => $$$"""{"criteria":[{"code":"TC1","name":"Tiêu chí","maxScore":{{{v}}}}]}""");
        yield return ("org unit", platform.Plan, "POST", "/api/org-units", AntqRoles.Admin, SecurityPlatform.ProvinceA,
            v => $$$"""{"code":{{{v}}},"name":"Xã thử","kind":"Commune","parentCode":"12","validFrom":"2026-01-01"}""");
        yield return ("catalogue", platform.Reporting, "PUT", "/api/indicators/catalogue", AntqRoles.Admin, SecurityPlatform.ProvinceA,
            v => $$$"""{"indicators":[{"code":"X","name":"Chỉ tiêu","max":{{{v}}}}]}""");
        yield return ("recognition", platform.Classification, "POST", $"/api/classifications/{a1}/{SecurityPlatform.Year}/safe/recognition", AntqRoles.ProvinceOfficer, SecurityPlatform.ProvinceA,
            v => $$$"""{"criteria":{"AT1":{{{v}}}}}""");
        yield return ("user change", platform.Identity, "PATCH", $"/api/users/{SecurityPlatform.TargetUser}", AntqRoles.Admin, SecurityPlatform.ProvinceA,
            v => $$$"""{"fullName":{{{v}}}}""");
    }

    /// <summary>Routes whose twisted field is free text (a user name, a reason, a unit code, a full name), where a string is a legitimate value.</summary>
    static readonly HashSet<string> TextFields = ["user", "report return", "org unit", "user change"];

    /// <summary>The account routes added with the account administration: changes, passwords, lists, unlocks.</summary>
    IEnumerable<HostileRequest> AccountCorpus()
    {
        var target = $"/api/users/{SecurityPlatform.TargetUser}";
        var id = platform.Identity;
        const string admin = AntqRoles.Admin;
        const string home = SecurityPlatform.ProvinceA;
        string huge = new('x', 10_000), megabyte = "a1" + new string('b', 1024 * 1024);
        foreach (var body in new[]
                 {
                     """{"active":"yes"}""", """{"active":1}""", """{"active":[true]}""", """{"email":123}""", """{"email":"a@b"}""",
                     """{"orgUnitCode":["12"]}""", """{"orgUnitCode":"12'; --"}""", """{"fullName":{"a":1}}""", """{"fullName":"Lò\u202EVăn"}""",
                     """{"role":"SuperAdmin"}""", """{"role":"admin"}""", """{"role":"ADMIN"}""", """{"role":" Admin"}""", """{"role":"Admin\u0000"}""",
                     """{"role":"<script>alert(1)</script>"}""", """{"role":"' OR 1=1 --"}""", """{"role":["Admin"]}""", """{"role":1}""", "{}",
                     $$"""{"role":"{{huge}}"}""", $$"""{"email":"{{huge}}@example.vn"}""", $$"""{"orgUnitCode":"{{huge}}"}""",
                     $$"""{"fullName":"{{new string('ệ', 1024 * 1024)}}"}""",
                 })
        {
            yield return new($"user change {Show(body)}", id, "PATCH", target, admin, home, () => Json(body));
        }

        foreach (var value in new[] { "123", "true", "[]", "{}", "null", "\"\"", "\"ngan1\"", "\"12345678901\"", "\"Password@123\"", "\"Matkhau@123\"",
                     $"\"{SecurityPlatform.TargetUser}-2026\"", $"\"{megabyte}\"", $"\"{new string('9', 200)}x\"", "\"\\ud800abcdefgh12\"" })
        {
            yield return new($"user password {Show(value)}", id, "POST", $"{target}/password", admin, home, () => Json($$"""{"password":{{value}}}"""));
        }

        foreach (var body in new[] { """{"currentPassword":123}""", """{"newPassword":[]}""", "{}", "[]", "null", """{"currentPassword":"x","newPassword":"y"}""",
                     $$"""{"currentPassword":"{{megabyte}}","newPassword":"{{megabyte}}"}""" })
        {
            yield return new($"own password {Show(body)}", id, "POST", "/api/users/me/password", AntqRoles.CommuneOfficer, platform.CommuneA1, () => Json(body));
        }

        foreach (var query in new[] { "role=SuperAdmin", "active=perhaps", "pageSize=99999999999", "page=abc", "search=" + new string('a', 10_000), "role=%27--" })
            yield return new($"user list {Show(query)}", id, "GET", "/api/users?" + query, admin, home, () => null);
        yield return new("user list with SQL in search", id, "GET", "/api/users?search=%25%27%20OR%201%3D1%20--", admin, home, () => null, MayBeAccepted: true);
        foreach (var query in new[] { "take=abc", "take=99999999999", "service=" + new string('s', 10_000) })
            yield return new($"audit {Show(query)}", id, "GET", "/api/users/audit?" + query, admin, home, () => null, MayBeAccepted: query.StartsWith("service="));
    }

    IEnumerable<HostileRequest> Corpus()
    {
        var a1 = platform.CommuneA1;
        string[] malformed = ["{", "}", "[", "{\"values\":", "{'values':{}}", "{\"values\":{},}", "{\"values\":{\"TIPS_TOTAL\":}}", "nul", "{\"a\" 1}",
            "\u0000", "{\"values\":{\"TIPS_TOTAL\":01}}", "{\"values\":{\"TIPS_TOTAL\":1.}}", "/* c */ {}", "{\"values\":{\"TIPS_TOTAL\":0x10}}"];
        string[] topLevel = ["123", "true", "null", "\"texte\"", "[]", "[1,2,3]", "-1", "1e400"];
        string[] wrongValues = ["\"12\"", "true", "[1]", "{\"a\":1}", "null", "\"\"", "\"abc\""];
        string[] hugeValues = ["1e400", "-1e400", "9999999999999999999999", "-9999999999999999999999", "1e-400", "123456789012345678901234567890.5",
            "-1", "-2147483649", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "NaN", "Infinity", "0.000000000000000000000000000001"];

        foreach (var route in JsonRoutes())
        {
            foreach (var body in malformed.Concat(topLevel))
                yield return new($"{route.Name}: malformed/top-level {Show(body)}", route.Service, route.Method, route.Path, route.Role, route.Unit, () => Json(body));
            foreach (var value in wrongValues.Concat(hugeValues))
            {
                // Legitimate: null (the field left out), a number so small it is zero, and any string where the field is text.
                var legitimate = value == "null" || value.Contains("e-400") || value.StartsWith("0.0000", StringComparison.Ordinal)
                    || (TextFields.Contains(route.Name) && value.StartsWith('"') && value.Length > 2);
                yield return new($"{route.Name}: value {value}", route.Service, route.Method, route.Path, route.Role, route.Unit, () => Json(route.Wrap(value)), legitimate);
            }
            yield return new($"{route.Name}: 5000 nested arrays", route.Service, route.Method, route.Path, route.Role, route.Unit, () => Json(route.Wrap(Deep(5000, "[", "]"))));
            yield return new($"{route.Name}: 5000 nested objects", route.Service, route.Method, route.Path, route.Role, route.Unit, () => Json(Deep(5000, "{\"a\":", "}")));
            yield return new($"{route.Name}: 10k-char string", route.Service, route.Method, route.Path, route.Role, route.Unit, () => Json(route.Wrap(JsonSerializer.Serialize(new string('9', 10_000)))));
            yield return new($"{route.Name}: 12 MB body", route.Service, route.Method, route.Path, route.Role, route.Unit, () => Json(route.Wrap(JsonSerializer.Serialize(new string('A', 12 * 1024 * 1024)))));
            yield return new($"{route.Name}: wrong content type", route.Service, route.Method, route.Path, route.Role, route.Unit,
                () => new StringContent(route.Wrap("1"), Encoding.UTF8, "application/xml"));
            // In a free-text field the statement is only text, stored as typed.
            yield return new($"{route.Name}: SQL in value", route.Service, route.Method, route.Path, route.Role, route.Unit, () => Json(route.Wrap("\"1; DROP TABLE reports; --\"")),
                MayBeAccepted: TextFields.Contains(route.Name));
            yield return new($"{route.Name}: lone surrogate", route.Service, route.Method, route.Path, route.Role, route.Unit, () => Json(route.Wrap("\"\\ud800\"")));
        }

        // Wrong periods and codes in the route, on reading and writing routes of every service.
        string[] badPeriods = ["2026-X", "2026-H3", "26-Y", "0000-Y", "99999-Y", "2026-y", "2026-H1-Y", "%2500", "2026-Y%27--", "'%20OR%201=1--", "..%2F..%2Fetc"];
        string[] badCodes = ["99999", "12%27--", "%27%20OR%20%271%27=%271", "..%2F12", new string('1', 10_000), "%E2%80%AE21", "12%2500", "%3Cscript%3E", "12%20", "ＡＢＣ"];
        foreach (var period in badPeriods)
        {
            yield return new($"report GET period {period}", platform.Reporting, "GET", $"/api/reports/{a1}/{period}", AntqRoles.CommuneOfficer, a1, () => null);
            yield return new($"report PUT period {period}", platform.Reporting, "PUT", $"/api/reports/{a1}/{period}", AntqRoles.CommuneOfficer, a1,
                () => Json("""{"values":{"TIPS_TOTAL":1}}"""));
            yield return new($"rollup period {period}", platform.Reporting, "GET", $"/api/rollups/12/{period}", AntqRoles.ProvinceOfficer, "12", () => null);
            yield return new($"schedule period {period}", platform.Notification, "GET", $"/api/notifications/schedule/{a1}/{period}", AntqRoles.CommuneOfficer, a1, () => null);
            yield return new($"deadline period {period}", platform.Plan, "GET", $"/api/deadlines/{a1}/{period}", AntqRoles.CommuneOfficer, a1, () => null,
                MayBeAccepted: period == "2026-y"); // reading is lenient about the letter's case
        }

        foreach (var code in badCodes)
        {
            yield return new($"report PUT code {Show(code)}", platform.Reporting, "PUT", $"/api/reports/{code}/{P}", AntqRoles.Admin, "12",
                () => Json("""{"values":{"TIPS_TOTAL":1}}"""));
            yield return new($"report submit code {Show(code)}", platform.Reporting, "POST", $"/api/reports/{code}/{P}/submit", AntqRoles.Admin, "12", () => null);
            yield return new($"classification code {Show(code)}", platform.Classification, "GET", $"/api/classifications/{code}/{SecurityPlatform.Year}", AntqRoles.Admin, "12", () => null);
            yield return new($"contact point code {Show(code)}", platform.Notification, "PUT", $"/api/contact-points/{code}", AntqRoles.Admin, "12",
                () => Json("""{"emails":["a@example.vn"]}"""), MayBeAccepted: code == "99999"); // a well-formed code the service has not heard of yet
            yield return new($"org unit code {Show(code)}", platform.Plan, "GET", $"/api/org-units/{code}", AntqRoles.Admin, "12", () => null);
            yield return new($"user name {Show(code)}", platform.Identity, "GET", $"/api/users/{code}", AntqRoles.Admin, "12", () => null);
            yield return new($"user change name {Show(code)}", platform.Identity, "PATCH", $"/api/users/{code}", AntqRoles.Admin, "12", () => Json("""{"fullName":"Lò Văn Sơn"}"""));
            yield return new($"user unlock name {Show(code)}", platform.Identity, "POST", $"/api/users/{code}/unlock", AntqRoles.Admin, "12", () => null);
        }

        // Years, kinds and ids out of range.
        foreach (var year in new[] { "0", "-1", "99999999999", "2026.5", "1e3" })
            yield return new($"classification year {year}", platform.Classification, "GET", $"/api/classifications/{a1}/{year}", AntqRoles.CommuneOfficer, a1, () => null);
        foreach (var kind in new[] { "X", "%2500", "Commune%27--", new string('k', 5000) })
            yield return new($"score sheet kind {Show(kind)}", platform.Classification, "GET", $"/api/classifications/score-sheets/2026/{kind}", AntqRoles.Admin, "12", () => null);
        foreach (var id in new[] { "not-a-guid", "00000000-0000-0000-0000-000000000000", Guid.NewGuid().ToString() })
        {
            yield return new($"plan issue id {id}", platform.Plan, "POST", $"/api/plans/{id}/issue", AntqRoles.Admin, "12", () => null);
            yield return new($"notice read id {id}", platform.Notification, "POST", $"/api/notifications/{id}/read", AntqRoles.CommuneOfficer, a1, () => null);
        }

        // Unknown fields: ignored, so the request is legitimately accepted.
        yield return new("report draft with unknown fields", platform.Reporting, "PUT", $"/api/reports/{a1}/{P}", AntqRoles.CommuneOfficer, a1,
            () => Json("""{"values":{"TIPS_TOTAL":2},"narrative":{},"status":"Accepted","__proto__":{"admin":true},"orgUnitCode":"11"}"""), MayBeAccepted: true);
        yield return new("contact point with unknown fields", platform.Notification, "PUT", $"/api/contact-points/{a1}", AntqRoles.CommuneOfficer, a1,
            () => Json("""{"emails":["cong.an.xa@example.vn"],"owner":"11","isAdmin":true}"""), MayBeAccepted: true);

        // Unknown indicator codes, negative counts and narrative keys out of the catalogue.
        foreach (var values in new[] { """{"KHONG_CO":1}""", """{"TIPS_TOTAL":-5}""", """{"TIPS_TOTAL":1.5}""", """{"":1}""", $$"""{"{{new string('X', 10_000)}}":1}""",
                     """{"TIPS_TOTAL":1,"tips_total":2}""", """{"TIPS_TOTAL\u0000":1}""", """{"' OR 1=1 --":1}""" })
        {
            yield return new($"report values {Show(values)}", platform.Reporting, "PUT", $"/api/reports/{a1}/{P}", AntqRoles.CommuneOfficer, a1,
                () => Json($$"""{"values":{{values}}}"""));
        }

        yield return new("report narrative over 100 000 characters (1 MB)", platform.Reporting, "PUT", $"/api/reports/{a1}/{P}", AntqRoles.CommuneOfficer, a1,
            () => Json(JsonSerializer.Serialize(new { values = new { TIPS_TOTAL = 1 }, narrative = new { KET_QUA = new string('ệ', 1024 * 1024) } })));
        foreach (var (name, text) in new[] { ("RTL override", "\u202Edcba\u202C"), ("zero-width", "an\u200Bninh\uFEFF"), ("combining marks", "a\u0301\u0302\u0303\u0304\u0323"),
                     ("script", "<script>fetch('//x')</script>"), ("SQL", "'); DELETE FROM reports; --") })
        {
            yield return new($"report narrative with {name}", platform.Reporting, "PUT", $"/api/reports/{a1}/{P}", AntqRoles.CommuneOfficer, a1,
                () => Json(JsonSerializer.Serialize(new Dictionary<string, object> { ["values"] = new Dictionary<string, int> { ["TIPS_TOTAL"] = 1 }, ["narrative"] = new Dictionary<string, string> { ["KET_QUA"] = text } })),
                MayBeAccepted: true);
        }

        yield return new("report narrative with NUL", platform.Reporting, "PUT", $"/api/reports/{a1}/{P}", AntqRoles.CommuneOfficer, a1,
            () => Json("""{"values":{"TIPS_TOTAL":1},"narrative":{"KET_QUA":"a\u0000b"}}"""));
        yield return new("user with NUL in full name", platform.Identity, "POST", "/api/users", AntqRoles.Admin, "12",
            () => Json($$"""{"username":"nul.user","password":"Mat-khau-2026-an","fullName":"Lò\u0000Văn","role":"Viewer","orgUnitCode":"{{a1}}"}"""));
        yield return new("user with RTL override name", platform.Identity, "POST", "/api/users", AntqRoles.Admin, "12",
            () => Json($$"""{"username":"admin\u202Egpj","password":"Mat-khau-2026-an","fullName":"Lò Văn","role":"Viewer","orgUnitCode":"{{a1}}"}"""));
        yield return new("user with zero-width name", platform.Identity, "POST", "/api/users", AntqRoles.Admin, "12",
            () => Json($$"""{"username":"ad\u200Bmin","password":"Mat-khau-2026-an","fullName":"Lò Văn","role":"Viewer","orgUnitCode":"{{a1}}"}"""));
        yield return new("user with role Admin from script", platform.Identity, "POST", "/api/users", AntqRoles.Admin, "12",
            () => Json($$"""{"username":"x","password":"1","fullName":"<script>alert(1)</script>","role":"SuperAdmin","orgUnitCode":"{{a1}}"}"""));
        yield return new("user with SQL name", platform.Identity, "POST", "/api/users", AntqRoles.Admin, "12",
            () => Json($$"""{"username":"a'; DROP TABLE users; --","password":"Mat-khau-2026-an","fullName":"Lò Văn","role":"Viewer","orgUnitCode":"{{a1}}"}"""));
        yield return new("return with empty reason", platform.Reporting, "POST", $"/api/reports/{a1}/{P}/return", AntqRoles.ProvinceOfficer, "12", () => Json("""{"reason":""}"""));
        yield return new("return with 1 MB reason", platform.Reporting, "POST", $"/api/reports/{a1}/{P}/return", AntqRoles.ProvinceOfficer, "12",
            () => Json(JsonSerializer.Serialize(new { reason = new string('x', 1024 * 1024) })));
        yield return new("webhook to a file address", platform.Notification, "PUT", $"/api/contact-points/{a1}", AntqRoles.CommuneOfficer, a1,
            () => Json("""{"webhookUrl":"file:///etc/passwd"}"""));
        yield return new("webhook with script scheme", platform.Notification, "PUT", $"/api/contact-points/{a1}", AntqRoles.CommuneOfficer, a1,
            () => Json("""{"webhookUrl":"javascript:alert(1)"}"""));
        yield return new("plan text of 2 MB", platform.Plan, "POST", "/api/plans/drafts/from-text", AntqRoles.ProvinceOfficer, "12",
            () => new StringContent(new string('Đ', 2 * 1024 * 1024), Encoding.UTF8, "text/plain"), MayBeAccepted: true);
        yield return new("plan text with NUL and RTL", platform.Plan, "POST", "/api/plans/drafts/from-text", AntqRoles.ProvinceOfficer, "12",
            () => new StringContent("KẾ HOẠCH\u0000 số \u202E1/KH", Encoding.UTF8, "text/plain"), MayBeAccepted: true);
        yield return new("org unit import garbage", platform.Plan, "POST", "/api/org-units/import", AntqRoles.Admin, "12", () => Json("""[{"Code":null,"Wards":"x"}]"""));
        yield return new("org unit import bad date", platform.Plan, "POST", "/api/org-units/import?effectiveFrom=2026-02-30", AntqRoles.Admin, "12", () => Json("[]"));
        yield return new("org units search 10k", platform.Plan, "GET", "/api/org-units?search=" + new string('%', 1) + "25" + new string('a', 10_000), AntqRoles.Admin, "12", () => null, MayBeAccepted: true);
        yield return new("plans year overflow", platform.Plan, "GET", "/api/plans?year=99999999999", AntqRoles.Admin, "12", () => null);
        foreach (var mapTo in new[] { "2026-13-45", "hôm-nay", "99999-01-01", "0001-01-01%27--", new string('9', 10_000) })
            yield return new($"rollup mapTo {Show(mapTo)}", platform.Reporting, "GET", $"/api/rollups/12/{P}?mapTo={mapTo}", AntqRoles.ProvinceOfficer, "12", () => null);
        yield return new("export format", platform.Reporting, "GET", $"/api/rollups/12/{P}/export?format=exe", AntqRoles.ProvinceOfficer, "12", () => null);
        yield return new("asOf garbage", platform.Plan, "GET", "/api/org-units/12?asOf=2026-13-45", AntqRoles.ProvinceOfficer, "12", () => null);

        foreach (var request in AccountCorpus()) yield return request;
    }

    static string Show(string text) => text.Length > 40 ? text[..40] + $"…({text.Length})" : text.Replace("\u0000", "\\0");

    [Fact]
    public async Task Hostile_requests_are_refused_cleanly_and_change_nothing()
    {
        await QuiesceAsync();
        var failures = new List<string>();
        var count = 0;
        var clients = new Dictionary<string, HttpClient>();
        foreach (var request in Corpus())
        {
            count++;
            var key = $"{request.Service.Name}|{request.Role}|{request.Unit}";
            if (!clients.TryGetValue(key, out var client)) clients[key] = client = request.Service.As(request.Role, request.Unit);

            var before = await request.Service.SnapshotAsync();
            using var message = Message(request);
            using var response = await client.SendAsync(message);
            var status = (int)response.StatusCode;
            var contentType = response.Content.Headers.ContentType?.MediaType;
            var text = await response.Content.ReadAsStringAsync();

            if (status >= 500) failures.Add($"{request.Label} → {status} {Clip(text)}");
            else if (status < 400 && !request.MayBeAccepted) failures.Add($"{request.Label} → {status} accepted {Clip(text)}");
            else if (status >= 400)
            {
                if (contentType != "application/problem+json") failures.Add($"{request.Label} → {status} with {contentType ?? "no body"}");
                if (text.Contains(" at Antq.", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal) || text.Contains("Npgsql", StringComparison.Ordinal))
                    failures.Add($"{request.Label} → {status} shows internals: {Clip(text)}");
                var changed = await ChangedSinceAsync(request.Service, before);
                if (changed.Count > 0)
                {
                    // Background work (a period closing, an event from another service) may have written meanwhile:
                    // let it settle and send the same request again; a refusal that writes does so every time.
                    await QuiesceAsync();
                    before = await request.Service.SnapshotAsync();
                    using var again = Message(request);
                    using var second = await client.SendAsync(again);
                    changed = (int)second.StatusCode >= 400 ? await ChangedSinceAsync(request.Service, before) : [];
                    if (changed.Count > 0) failures.Add($"{request.Label} → {status} but changed {string.Join(", ", changed)}");
                }
            }
        }

        foreach (var client in clients.Values) client.Dispose();
        output.WriteLine($"Hostile corpus: {count} requests");
        Assert.True(count >= 300, $"only {count} hostile requests");
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} hostile requests were mishandled:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Script_in_narrative_is_stored_verbatim_and_returned_json_escaped()
    {
        const string script = "<script>alert('ANTQ')</script><img src=x onerror=alert(1)> \u202Eevil\u202C \u200Bzero\u200D e\u0301\u0302\u0323 Ệ '; DROP TABLE reports; -- \"quoted\" \\";
        var unit = platform.CommuneA2;
        using var officer = platform.Reporting.As(AntqRoles.CommuneOfficer, unit);
        var saved = await officer.PutAsync($"/api/reports/{unit}/{P}", Json(JsonSerializer.Serialize(new { values = new { TIPS_TOTAL = 4 }, narrative = new { KET_QUA = script } })));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());

        using var province = platform.Reporting.As(AntqRoles.ProvinceOfficer, SecurityPlatform.ProvinceA);
        var read = await province.GetAsync($"/api/reports/{unit}/{P}");
        var raw = await read.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
        // Returned as a JSON string (never as HTML): the browser does not sniff it into a page.
        Assert.StartsWith("{", raw.TrimStart());
        Assert.False(raw.Contains('\0', StringComparison.Ordinal));
        var narrative = JsonDocument.Parse(raw).RootElement.GetProperty("narrative").GetProperty("KET_QUA").GetString();
        Assert.Equal(script, narrative);
        Assert.Equal("nosniff", read.Headers.TryGetValues("X-Content-Type-Options", out var sniff) ? sniff.Single() : null);
    }

    [Fact]
    public async Task Repeated_submits_change_the_report_once()
    {
        var unit = platform.CommuneB1;
        using var officer = platform.Reporting.As(AntqRoles.CommuneOfficer, unit);
        var saved = await officer.PutAsync($"/api/reports/{unit}/{P}", Json("""{"values":{"TIPS_TOTAL":7}}"""));
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        var first = await officer.PostAsync($"/api/reports/{unit}/{P}/submit", null);
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());

        for (var i = 0; i < 5; i++)
        {
            await QuiesceAsync();
            var before = await platform.Reporting.SnapshotAsync();
            var again = await officer.PostAsync($"/api/reports/{unit}/{P}/submit", null);
            Assert.InRange((int)again.StatusCode, 400, 499);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
            Assert.Equal(before, await platform.Reporting.SnapshotAsync());
        }
    }

    /// <summary>
    /// The request as HTTP clients send an upload: a body waits for the server's 100 Continue, so that a refusal the
    /// gateway answers before reading it (413) is read, not lost in the connection the server closes on the rest.
    /// </summary>
    static HttpRequestMessage Message(HostileRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path) { Content = request.Body() };
        if (message.Content is not null) message.Headers.ExpectContinue = true;
        return message;
    }

    static async Task<List<string>> ChangedSinceAsync(ServiceUnderTest service, Dictionary<string, string> before)
    {
        var after = await service.SnapshotAsync();
        return [.. before.Where(t => after.GetValueOrDefault(t.Key) != t.Value).Select(t => t.Key)];
    }

    /// <summary>Waits until the background work set off by earlier tests (events between services) has settled.</summary>
    async Task QuiesceAsync()
    {
        var previous = new Dictionary<string, string>();
        for (var i = 0; i < 40; i++)
        {
            var now = new Dictionary<string, string>();
            foreach (var service in platform.All)
                foreach (var (table, print) in await service.SnapshotAsync()) now[$"{service.Name}.{table}"] = print;
            if (now.Count == previous.Count && now.All(t => previous.GetValueOrDefault(t.Key) == t.Value)) return;
            previous = now;
            await Task.Delay(500);
        }
    }

    static string Clip(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
