using System.Net;

namespace Antq.Portal.Api;

/// <summary>
/// What an API call gave: the value, or a message to show (Vietnamese, from the service's problem+json) with the
/// per-field messages of its <c>errors</c> map.
/// </summary>
public sealed class ApiResult<T>
{
    public bool Ok { get; init; }
    public HttpStatusCode Status { get; init; }
    public T? Value { get; init; }
    public string? ETag { get; init; }
    public string? Message { get; init; }
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; init; } = new Dictionary<string, string[]>();

    public bool NotFound => Status == HttpStatusCode.NotFound;

    /// <summary>The service behind the route is missing or down (404 from the gateway, 502, 503, 504).</summary>
    public bool Unavailable => Status is HttpStatusCode.NotFound or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    public static ApiResult<T> Success(T? value, HttpStatusCode status, string? etag) => new() { Ok = true, Value = value, Status = status, ETag = etag };

    public static ApiResult<T> Failure(HttpStatusCode status, string message, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new() { Ok = false, Status = status, Message = message, FieldErrors = errors ?? new Dictionary<string, string[]>() };
}
