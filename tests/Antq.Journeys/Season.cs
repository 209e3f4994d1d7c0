using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Antq.Testing;
using Antq.Testing.Load;
using MimeKit;

namespace Antq.Journeys;

/// <summary>What officers do in a season, each step through the gateway as the portal or a script would do it.</summary>
public static class Season
{
    static readonly FullReport Full = new();

    /// <summary>A full, valid report for the period (the load generator's, by seed) with <paramref name="overrides"/> set.</summary>
    public static JsonObject Report(string period, int seed, IReadOnlyDictionary<string, decimal>? overrides = null)
    {
        var body = JsonNode.Parse(Full.Body(period, seed))!.AsObject();
        var values = body["values"]!.AsObject();
        foreach (var (code, value) in overrides ?? new Dictionary<string, decimal>()) values[code] = value;
        return body;
    }

    /// <summary>
    /// An annual report whose figures Classification scores: residential areas in all and recognised safe, effective
    /// models, mediation cases and successes; the rules of the catalogue kept (organisations and festival venues fixed,
    /// class counts left to Classification).
    /// </summary>
    public static JsonObject Annual(int year, int seed, int kdcTotal, int kdcSafe, int modelsEffective, int mediationCases, int mediationSuccess) =>
        Report($"{year}-Y", seed, new Dictionary<string, decimal>
        {
            ["KDC_TOTAL"] = kdcTotal, ["KDC_REGISTERED"] = kdcTotal, ["KDC_SAFE"] = kdcSafe,
            ["ORG_TOTAL"] = 20, ["ORG_SAFE"] = 15, ["FESTIVAL_UNITS_HELD"] = 5,
            ["CLS_XUAT_SAC"] = 0, ["CLS_KHA"] = 0, ["CLS_TRUNG_BINH"] = 0, ["CLS_YEU"] = 0,
            ["MODELS_ACTIVE"] = Math.Max(modelsEffective, 1), ["MODELS_EFFECTIVE"] = modelsEffective,
            ["MEDIATION_CASES"] = mediationCases, ["MEDIATION_SUCCESS"] = mediationSuccess,
        });

    /// <summary>Saves and submits in one step (the submit endpoint's body form); answers the report.</summary>
    public static async Task<JsonElement> SubmitAsync(HttpClient officer, string code, string period, JsonObject report)
    {
        using var response = await officer.PostAsync($"api/reports/{code}/{period}/submit", JsonContent.Create(report));
        return await OkAsync(response, $"submit {code} {period}");
    }

    /// <summary>
    /// Submits the report as it was last saved (after a return, or a consolidated draft), with its version. When the
    /// report changed meanwhile (412: Classification filling in its class counts, say), the officer reloads it and
    /// submits again, as the portal asks them to.
    /// </summary>
    public static async Task<JsonElement> ResubmitAsync(HttpClient officer, string code, string period)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (_, etag) = await ReportAsync(officer, code, period);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/reports/{code}/{period}/submit");
            request.Headers.TryAddWithoutValidation("If-Match", etag);
            using var response = await officer.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.PreconditionFailed && attempt < 5) continue;
            return await OkAsync(response, $"resubmit {code} {period}");
        }
    }

    public static async Task<(JsonElement Report, string ETag)> ReportAsync(HttpClient client, string code, string period)
    {
        using var response = await client.GetAsync($"api/reports/{code}/{period}");
        var body = await OkAsync(response, $"read {code} {period}");
        return (body, response.Headers.ETag!.Tag);
    }

    public static async Task<JsonElement> ReturnAsync(HttpClient reviewer, string code, string period, string reason)
    {
        using var response = await reviewer.PostAsJsonAsync($"api/reports/{code}/{period}/return", new { reason });
        return await OkAsync(response, $"return {code} {period}");
    }

    public static async Task<JsonElement> AcceptAsync(HttpClient reviewer, string code, string period)
    {
        using var response = await reviewer.PostAsync($"api/reports/{code}/{period}/accept", null);
        return await OkAsync(response, $"accept {code} {period}");
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await OkAsync(response, "GET " + path);
    }

    public static async Task<JsonElement> PutAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body);
        return await OkAsync(response, "PUT " + path);
    }

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object? body)
    {
        using var response = body is null ? await client.PostAsync(path, null) : await client.PostAsJsonAsync(path, body);
        return await OkAsync(response, "POST " + path);
    }

    public static async Task<JsonElement> OkAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The unit's roll-up value of an indicator (0 where no report gave one yet).</summary>
    public static decimal Value(JsonElement rollup, string indicator) =>
        rollup.GetProperty("values").TryGetProperty(indicator, out var cell) && cell.GetProperty("value").ValueKind == JsonValueKind.Number
            ? cell.GetProperty("value").GetDecimal()
            : 0m;

    /// <summary>Waits for a notice of <paramref name="kind"/> about <paramref name="unit"/> in the caller's inbox, and answers it.</summary>
    public static async Task<JsonElement> NoticeAsync(HttpClient reader, string kind, string unit, string period, Func<JsonElement, bool>? also = null)
    {
        JsonElement found = default;
        await Eventually.UntilAsync(async () =>
        {
            var inbox = await GetAsync(reader, "api/notifications");
            foreach (var notice in inbox.EnumerateArray())
            {
                if (notice.GetProperty("kind").GetString() == kind && notice.GetProperty("orgUnitCode").GetString() == unit
                    && notice.GetProperty("period").GetString() == period && (also?.Invoke(notice) ?? true))
                {
                    found = notice;
                    return true;
                }
            }

            return false;
        }, TimeSpan.FromSeconds(60), $"a '{kind}' notice about {unit} {period} in the inbox");
        return found;
    }

    /// <summary>Waits for an e-mail to <paramref name="username"/>'s address whose subject or text contains <paramref name="text"/>.</summary>
    public static async Task<MimeMessage> MailAsync(SmtpSink smtp, string username, string text)
    {
        MimeMessage? found = null;
        await Eventually.UntilAsync(() =>
        {
            found = smtp.To(JourneyPlatform.EmailOf(username)).FirstOrDefault(m =>
                (m.Subject ?? "").Contains(text, StringComparison.Ordinal) || (m.TextBody ?? "").Contains(text, StringComparison.Ordinal));
            return found is not null;
        }, TimeSpan.FromSeconds(60), $"an e-mail to {username} about '{text}'");
        return found!;
    }

    /// <summary>Waits for the period's closing at <paramref name="unit"/> and answers its frozen snapshot.</summary>
    public static async Task<JsonElement> SnapshotAsync(HttpClient reader, string unit, string period)
    {
        JsonElement snapshot = default;
        await Eventually.UntilAsync(async () =>
        {
            using var response = await reader.GetAsync($"api/rollups/{unit}/{period}/snapshot");
            if (!response.IsSuccessStatusCode) return false;
            snapshot = await Season.OkAsync(response, "snapshot");
            return true;
        }, TimeSpan.FromSeconds(60), $"the closing of {period} at {unit}");
        return snapshot;
    }
}
