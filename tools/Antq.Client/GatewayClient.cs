using System.Net.Http.Json;
using System.Text.Json;
using Antq.Client.Reporting;

namespace Antq.Client;

/// <summary>The platform's dead letters merged by the gateway: every service's list, and the services that did not answer.</summary>
public sealed class DeadLetterList
{
    public IReadOnlyList<DeadLetter> Items { get; init; } = [];

    public IReadOnlyList<string> Unreachable { get; init; } = [];
}

/// <summary>How many dead letters were sent back, and the services that did not answer.</summary>
public sealed class RedriveAnswer
{
    public int Redriven { get; init; }

    public IReadOnlyList<string> Unreachable { get; init; } = [];
}

/// <summary>
/// The routes the gateway answers itself rather than passing to one service: <c>/api/dead-letters</c> asks every
/// service and merges their answers into <c>{items, unreachable}</c>, which is not the shape each service documents
/// for the same route (a plain list), and the gateway has no OpenAPI document of its own to generate from. Hand-written,
/// on the generated <see cref="DeadLetter"/> (the items are each service's, unchanged), with the same
/// <see cref="ApiException"/> on a refusal.
/// </summary>
public sealed class GatewayClient(HttpClient http)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<DeadLetterList> ListDeadLettersAsync(CancellationToken cancellationToken = default) =>
        SendAsync<DeadLetterList>(HttpMethod.Get, "api/dead-letters", cancellationToken);

    public Task<RedriveAnswer> RedriveAllDeadLettersAsync(CancellationToken cancellationToken = default) =>
        SendAsync<RedriveAnswer>(HttpMethod.Post, "api/dead-letters/redrive", cancellationToken);

    /// <summary>Sends one dead letter back; the gateway passes it to the service its id begins with (<c>reporting:…</c>).</summary>
    public Task<RedriveAnswer> RedriveDeadLetterAsync(string id, CancellationToken cancellationToken = default) =>
        SendAsync<RedriveAnswer>(HttpMethod.Post, $"api/dead-letters/{Uri.EscapeDataString(id)}/redrive", cancellationToken);

    async Task<T> SendAsync<T>(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => h.Value);
        if (!response.IsSuccessStatusCode)
            throw new ApiException($"The HTTP status code of the response was not expected ({(int)response.StatusCode}).", (int)response.StatusCode, text, headers, null);
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json) ?? throw new JsonException("empty body");
        }
        catch (JsonException ex)
        {
            throw new ApiException($"Could not deserialize the response body as {typeof(T).Name}.", (int)response.StatusCode, text, headers, ex);
        }
    }
}
