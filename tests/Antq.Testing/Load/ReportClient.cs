using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Antq.Testing.Load;

/// <summary>How a submission ended, as the person submitting it knows it.</summary>
public enum SubmitOutcome
{
    /// <summary>The submit request itself was answered 2xx.</summary>
    Submitted,
    /// <summary>A request failed without an answer (or with 5xx), and reloading the report then showed it submitted: an earlier attempt went through.</summary>
    FoundSubmitted,
    /// <summary>Given up, or refused with a 4xx that retrying does not change.</summary>
    Failed,
}

/// <summary>
/// Saves and submits commune reports through the gateway the way a person at the portal does: save the form
/// (<c>PUT</c>), then submit it with the version just saved (<c>If-Match</c>). When a request fails without an answer,
/// or with 502/503/500 or 429, the person waits a little, reloads the report (<c>GET</c>) and carries on from what it
/// shows: an already submitted report is not submitted again. A 401 (the token expired) means logging in again.
/// </summary>
public sealed class ReportClient(HttpClient http, Func<CancellationToken, Task<string>> login)
{
    string? token;
    readonly SemaphoreSlim loginGate = new(1, 1);

    /// <summary>How long one submission keeps trying before the person gives up.</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Retries are counted here (requests answered with a failure, or not at all).</summary>
    public long Retries => Interlocked.Read(ref retries);

    long retries;

    public async Task<SubmitOutcome> SubmitAsync(string code, string period, string body, bool retry = true, CancellationToken ct = default)
    {
        var path = $"api/reports/{Uri.EscapeDataString(code)}/{Uri.EscapeDataString(period)}";
        var giveUpAt = DateTime.UtcNow + Patience;
        var reload = false;
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                if (!retry || DateTime.UtcNow > giveUpAt) return SubmitOutcome.Failed;
                Interlocked.Increment(ref retries);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 * Math.Pow(2, Math.Min(attempt, 5))) * (0.5 + Random.Shared.NextDouble())), ct);
            }

            try
            {
                string? etag = null;
                if (reload)
                {
                    using var current = await SendAsync(HttpMethod.Get, path, null, null, ct);
                    if (current.StatusCode == HttpStatusCode.OK)
                    {
                        var status = await StatusOfAsync(current, ct);
                        if (status is "submitted" or "accepted") return SubmitOutcome.FoundSubmitted;
                        etag = current.Headers.ETag?.Tag;
                    }
                    else if (current.StatusCode != HttpStatusCode.NotFound)
                    {
                        continue; // the reload itself failed: wait and reload again
                    }
                }

                using (var save = await SendAsync(HttpMethod.Put, path, body, etag, ct))
                {
                    if (save.IsSuccessStatusCode) etag = save.Headers.ETag?.Tag;
                    else if (save.StatusCode is HttpStatusCode.PreconditionRequired or HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
                    {
                        // It exists already (an earlier attempt saved it, or was even submitted): reload at once.
                        reload = true;
                        Interlocked.Increment(ref retries);
                        if (attempt < 20) { attempt--; continue; }
                        return SubmitOutcome.Failed;
                    }
                    else if (Transient(save.StatusCode)) { reload = true; continue; }
                    else return SubmitOutcome.Failed;
                }

                using var submit = await SendAsync(HttpMethod.Post, path + "/submit", null, etag, ct);
                if (submit.IsSuccessStatusCode) return SubmitOutcome.Submitted;
                if (submit.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed || Transient(submit.StatusCode))
                {
                    reload = true;
                    continue;
                }

                return SubmitOutcome.Failed;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
            {
                reload = true; // no answer, or logging in again failed (Identity down)
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                reload = true; // the request timed out
            }
        }
    }

    /// <summary>
    /// A script's submission: the form and the submission in one request (<c>POST …/submit</c> with the body), for a
    /// report that does not exist yet; no retry. True when answered 2xx.
    /// </summary>
    public async Task<bool> SubmitInOneStepAsync(string code, string period, string body, CancellationToken ct = default)
    {
        try
        {
            using var response = await SendAsync(HttpMethod.Post, $"api/reports/{Uri.EscapeDataString(code)}/{Uri.EscapeDataString(period)}/submit", body, null, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The report's status ("draft", "submitted", …; lower case), or null when there is none or it cannot be read now.</summary>
    public async Task<string?> StatusAsync(string code, string period, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Get, $"api/reports/{Uri.EscapeDataString(code)}/{Uri.EscapeDataString(period)}", null, null, ct);
        return response.IsSuccessStatusCode ? await StatusOfAsync(response, ct) : null;
    }

    static bool Transient(HttpStatusCode status) => (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout;

    static async Task<string?> StatusOfAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.TryGetProperty("status", out var status) ? status.GetString()?.ToLowerInvariant() : null;
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, string? etag, CancellationToken ct)
    {
        string? refused = null;
        for (var login = 0; ; login++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            if (etag is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
            var used = await TokenAsync(refused, ct);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", used);
            var response = await http.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.Unauthorized || login > 0) return response;
            refused = used;
            response.Dispose();
        }
    }

    /// <summary>The current token; a new one when <paramref name="refused"/> is the current one (many requests refused at once log in once).</summary>
    async Task<string> TokenAsync(string? refused, CancellationToken ct)
    {
        if (token is not null && token != refused) return token;
        await loginGate.WaitAsync(ct);
        try
        {
            if (token is null || token == refused) token = await login(ct);
            return token;
        }
        finally
        {
            loginGate.Release();
        }
    }
}
