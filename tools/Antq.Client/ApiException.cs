using System.Text.Json;

namespace Antq.Client;

/// <summary>
/// A refusal of the platform, thrown by every generated client (one type for all services, so that a caller catches
/// every refusal in one place): the status, the body as sent and, where the body is <c>application/problem+json</c>,
/// its Vietnamese title, detail and errors by field.
/// </summary>
public class ApiException(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, Exception? innerException)
    : Exception(message, innerException)
{
    public int StatusCode { get; } = statusCode;

    public string? Response { get; } = response;

    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; } = headers;

    /// <summary>The problem details of the answer, or null where the body is not one (a proxy's page, an empty body).</summary>
    public Problem? Problem { get; } = Problem.TryParse(response);

    public override string ToString() => $"HTTP {StatusCode}: {Problem?.ToString() ?? Response}\n{base.ToString()}";
}

/// <summary>A refusal whose body was read as the operation's documented error type.</summary>
public class ApiException<TResult>(string message, int statusCode, string? response, IReadOnlyDictionary<string, IEnumerable<string>> headers, TResult result, Exception? innerException)
    : ApiException(message, statusCode, response, headers, innerException)
{
    public TResult Result { get; } = result;
}

/// <summary>An RFC 7807 problem as every service writes it: a title, a detail in Vietnamese, and errors by field.</summary>
public sealed record Problem(string? Title, string? Detail, int? Status, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    public static Problem? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || !body.TrimStart().StartsWith('{')) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (!root.TryGetProperty("title", out _) && !root.TryGetProperty("detail", out _)) return null;
            var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (root.TryGetProperty("errors", out var found) && found.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in found.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString()).ToList()
                        : [field.Value.ToString()];
                }
            }

            return new Problem(
                root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString() : null,
                root.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null,
                root.TryGetProperty("status", out var status) && status.TryGetInt32(out var code) ? code : null,
                errors);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => string.Join(": ", new[] { Title, Detail }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
