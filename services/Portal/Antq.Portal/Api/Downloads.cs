using Antq.Portal.Auth;
using Microsoft.AspNetCore.Authentication;

namespace Antq.Portal.Api;

/// <summary>
/// Documents of the API (exports) behind a plain link: the browser holds only the portal's session cookie, so the
/// portal fetches the document with the user's token and streams it on.
/// </summary>
public static class Downloads
{
    static readonly HashSet<string> Formats = new(StringComparer.Ordinal) { "xlsx", "docx" };

    /// <summary>What a download needs besides its route: the request, the user's session and the API client.</summary>
    public sealed record DownloadServices(HttpContext Context, UserSession Session, AntqApiClient Api)
    {
        public CancellationToken Aborted => Context.RequestAborted;

        /// <summary>The user's tokens from the session cookie, for the API client.</summary>
        public async Task CaptureTokensAsync() => Session.Capture(TokenSet.From((await Context.AuthenticateAsync()).Properties));
    }

    public static WebApplication MapDownloads(this WebApplication app)
    {
        app.MapGet("/tai-xuong/tong-hop/{code}/{period}", async (string code, string period, string? format, [AsParameters] DownloadServices services) =>
        {
            if (format is null || !Formats.Contains(format)) return Results.BadRequest();
            await services.CaptureTokensAsync();
            var ct = services.Aborted;
            using var response = await services.Api.DownloadAsync(AntqApiClient.ExportPath(code, period, format), ct);
            if (response is null) return Results.Challenge();
            if (!response.IsSuccessStatusCode)
            {
                return Results.Content($"<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><p>Không tải được tệp ({(int)response.StatusCode}): {System.Net.WebUtility.HtmlEncode(AntqApiClient.StatusMessage(response.StatusCode))}</p><p><a href=\"/tong-hop\">Quay lại</a></p></html>",
                    "text/html; charset=utf-8", statusCode: (int)response.StatusCode);
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            var type = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
            var name = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"')
                ?? $"tong-hop-{code}-{period}.{format}";
            return Results.File(bytes, type, name);
        }).RequireAuthorization();

        // The unit's report form as an Excel workbook, to fill offline and upload back on the report page.
        app.MapGet("/tai-xuong/mau-bao-cao/{code}/{period}", async (string code, string period, [AsParameters] DownloadServices services) =>
        {
            await services.CaptureTokensAsync();
            var ct = services.Aborted;
            using var response = await services.Api.DownloadAsync($"api/reports/{Uri.EscapeDataString(code)}/{Uri.EscapeDataString(period)}/template.xlsx", ct);
            if (response is null) return Results.Challenge();
            if (!response.IsSuccessStatusCode)
            {
                return Results.Content($"<!DOCTYPE html><html lang=\"vi\"><meta charset=\"utf-8\"><p>Không tải được mẫu báo cáo ({(int)response.StatusCode}): {System.Net.WebUtility.HtmlEncode(AntqApiClient.StatusMessage(response.StatusCode))}</p><p><a href=\"/bao-cao\">Quay lại</a></p></html>",
                    "text/html; charset=utf-8", statusCode: (int)response.StatusCode);
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            return Results.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"mau-bao-cao-{code}-{period}.xlsx");
        }).RequireAuthorization();
        return app;
    }
}
