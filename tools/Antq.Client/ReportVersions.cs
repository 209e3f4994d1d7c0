namespace Antq.Client.Reporting;

/// <summary>
/// The version a step acts on (If-Match): a report's ETag is its version, which the report's body also carries. The
/// documents describe the header in words rather than as a parameter, so the generated methods cannot take it; a call
/// made inside <see cref="WithVersionAsync{T}"/> sends it.
/// </summary>
public partial class ReportingClient
{
    static readonly AsyncLocal<string?> IfMatch = new();

    /// <summary>Runs <paramref name="call"/> with If-Match set to <paramref name="version"/> (the report's <c>version</c>).</summary>
    public async Task<T> WithVersionAsync<T>(int version, Func<ReportingClient, Task<T>> call)
    {
        var before = IfMatch.Value;
        IfMatch.Value = $"\"{version}\"";
        try
        {
            return await call(this);
        }
        finally
        {
            IfMatch.Value = before;
        }
    }

    partial void PrepareRequest(HttpClient client, HttpRequestMessage request, string url)
    {
        if (IfMatch.Value is { } version) request.Headers.TryAddWithoutValidation("If-Match", version);
    }
}
