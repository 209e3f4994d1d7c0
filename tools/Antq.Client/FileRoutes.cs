using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Antq.Client
{
    /// <summary>A file the platform answered: its bytes, its media type and the name the service gave it.</summary>
    /// <summary>A file as the platform answered it, with the answer's headers (Reporting's export says in <c>X-Antq-Figures</c> which figures it holds).</summary>
    public sealed record DownloadedFile(byte[] Content, string ContentType, string? FileName, IReadOnlyDictionary<string, IEnumerable<string>>? Headers = null)
    {
        /// <summary>The first value of a header of the answer (any case), or null.</summary>
        public string? Header(string name) =>
            Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
    }

    /// <summary>
    /// The routes whose bodies are files, sent and read as bytes. The documents describe them as a media type with no
    /// schema (a workbook, a CSV, a Word document), and NSwag's generated methods serialise such a body as a JSON string
    /// and return nothing for such an answer; these hand-written calls send the bytes with their media type and keep
    /// the answer, with the same <see cref="ApiException"/> on a refusal.
    /// </summary>
    static class FileCalls
    {
        static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

        public static async Task<T> SendAsync<T>(HttpClient http, HttpMethod method, string path, byte[] body, string contentType, Action<HttpRequestMessage>? prepare, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            prepare?.Invoke(request);
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var headers = Headers(response);
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

        public static async Task<DownloadedFile> DownloadAsync(HttpClient http, string path, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            using var response = await http.SendAsync(request, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new ApiException($"The HTTP status code of the response was not expected ({(int)response.StatusCode}).", (int)response.StatusCode,
                    Encoding.UTF8.GetString(bytes), Headers(response), null);
            var disposition = response.Content.Headers.ContentDisposition;
            return new DownloadedFile(bytes, response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream",
                (disposition?.FileNameStar ?? disposition?.FileName)?.Trim('"'), Headers(response));
        }

        static Dictionary<string, IEnumerable<string>> Headers(HttpResponseMessage response) =>
            response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => h.Value);

        public static string Segment(string value) => Uri.EscapeDataString(value);
    }
}

namespace Antq.Client.Plan
{
    public partial class PlanClient
    {
        /// <summary>
        /// <c>importOrgUnits</c> with the file as it is: <c>text/csv</c> for a CSV (code,name,kind,parentCode), or
        /// <c>application/json</c> for a dvhc list.
        /// </summary>
        public Task<ImportResponse> ImportOrgUnitsFileAsync(byte[] file, string contentType, string? effectiveFrom = null, CancellationToken cancellationToken = default) =>
            Antq.Client.FileCalls.SendAsync<ImportResponse>(_httpClient, HttpMethod.Post,
                "api/org-units/import" + (effectiveFrom is null ? "" : "?effectiveFrom=" + Uri.EscapeDataString(effectiveFrom)),
                file, contentType, null, cancellationToken);
    }
}

namespace Antq.Client.Reporting
{
    public partial class ReportingClient
    {
        public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

        /// <summary><c>getReportTemplate</c>: the Excel form of a unit's report, filled with what is saved.</summary>
        public Task<DownloadedFile> DownloadReportTemplateAsync(string code, string period, CancellationToken cancellationToken = default) =>
            Antq.Client.FileCalls.DownloadAsync(_httpClient, $"api/reports/{Antq.Client.FileCalls.Segment(code)}/{Antq.Client.FileCalls.Segment(period)}/template.xlsx", cancellationToken);

        /// <summary><c>uploadReportForm</c>: saves the report from a filled form (the form's version stands for If-Match).</summary>
        public Task<ReportResponse> UploadReportFormFileAsync(string code, string period, byte[] workbook, CancellationToken cancellationToken = default) =>
            Antq.Client.FileCalls.SendAsync<ReportResponse>(_httpClient, HttpMethod.Put,
                $"api/reports/{Antq.Client.FileCalls.Segment(code)}/{Antq.Client.FileCalls.Segment(period)}", workbook, XlsxType, null, cancellationToken);

        /// <summary><c>exportRollup</c>: the period's roll-up as a workbook (<c>xlsx</c>) or a Word report (<c>docx</c>).</summary>
        public Task<DownloadedFile> DownloadRollupExportAsync(string code, string period, string? format = null, string? source = null, CancellationToken cancellationToken = default)
        {
            var query = string.Join("&", new[] { ("format", format), ("source", source) }.Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
            return Antq.Client.FileCalls.DownloadAsync(_httpClient,
                $"api/rollups/{Antq.Client.FileCalls.Segment(code)}/{Antq.Client.FileCalls.Segment(period)}/export" + (query.Length > 0 ? "?" + query : ""), cancellationToken);
        }
    }
}
