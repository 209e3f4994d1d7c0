using System.Text;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Plan.Api.PlanText;

/// <summary>
/// Drafts of plans read from their text: a person pastes the plain text of a plan (Kế hoạch), gets back what the
/// reader found with the span of the text each value came from, corrects it, and creates the plan from it.
/// </summary>
public static class PlanDraftsApi
{
    /// <summary>A plan's text is tens of kilobytes; a megabyte is far more than any plan.</summary>
    public const int MaxTextBytes = 1024 * 1024;

    public static RouteGroupBuilder MapPlanDraftsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/plans/drafts").WithTags("Kế hoạch").RequireAuthorization().Problems(401, 403);
        group.MapPost("/from-text", DraftFromText).WithName("draftPlanFromText")
            .WithSummary("Soạn dự thảo kế hoạch từ văn bản")
            .WithDescription("Đọc văn bản kế hoạch (text/plain, UTF-8, tối đa 1 MB) và trả về dự thảo: số hiệu, đơn vị, năm, hạn nộp, chỉ tiêu, nhiệm vụ, mỗi mục kèm vị trí trong văn bản để người dùng kiểm tra trước khi lập kế hoạch. Không lưu gì.")
            .Problems(400, 415)
            .Accepts<string>("text/plain")
            .DisableAntiforgery();
        return group;
    }

    /// <summary>
    /// Body: the plan's text, <c>text/plain</c> in UTF-8. Spans are offsets in UTF-16 code units into that text
    /// (after a byte order mark, if any, is dropped).
    /// </summary>
    public static async Task<Results<Ok<PlanDraftResponse>, ProblemHttpResult>> DraftFromText(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType is { Length: > 0 } type && !type.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
            return Problem(415, $"Định dạng \"{type}\" không được hỗ trợ: gửi văn bản thuần (text/plain, UTF-8) của kế hoạch.", "text");

        var bytes = await ReadAtMostAsync(request.Body, MaxTextBytes + 1, ct);
        if (bytes.Length > MaxTextBytes)
            return Problem(400, "Văn bản kế hoạch quá lớn: tối đa 1 MB.", "text");

        string text;
        try
        {
            var start = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            return Problem(400, "Nội dung không phải văn bản UTF-8; hãy lưu văn bản kế hoạch dưới dạng UTF-8 rồi gửi lại.", "text");
        }

        if (string.IsNullOrWhiteSpace(text))
            return Problem(400, "Chưa có nội dung: gửi văn bản thuần (text/plain, UTF-8) của kế hoạch.", "text");

        var draft = PlanTextReader.Read(text, IndicatorCatalogue.Default);
        return TypedResults.Ok(PlanDraftResponse.From(draft));
    }

    static async Task<byte[]> ReadAtMostAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

}

/// <summary>
/// A draft plan read from text. Field names follow the plan request (deadlines per period code, targets against
/// catalogue codes); <see cref="Found"/> gives, for each field found, where in the text it came from.
/// </summary>
public sealed record PlanDraftResponse(
    string? Number,
    DateOnly? IssuedOn,
    string? Place,
    string? IssuerName,
    string? IssuerLevel,
    int? Year,
    IReadOnlyList<string> ParentReferences,
    IReadOnlyDictionary<string, DateOnly> Deadlines,
    DateOnly? ImplementingPlansDue,
    string? ReportTo,
    IReadOnlyList<PlanDraftTargetResponse> Targets,
    PlanDraftFoundResponse Found)
{
    public static PlanDraftResponse From(PlanDraft d) => new(
        d.Number?.Value,
        d.IssuedOn?.Value,
        d.Place?.Value,
        d.IssuerName?.Value,
        d.IssuerLevel?.Value.ToString().ToLowerInvariant(),
        d.Year?.Value,
        [.. d.ParentReferences.Select(p => p.Value)],
        d.Deadlines.ToDictionary(p => p.Key, p => p.Value.Value),
        d.ImplementingPlansDue?.Value,
        d.ReportTo?.Value,
        [.. d.Targets.Select(t => new PlanDraftTargetResponse(t.Indicator, t.Comparator, t.Value, t.Scope, t.Text))],
        new PlanDraftFoundResponse(
            SpanResponse.From(d.Number?.Span),
            SpanResponse.From(d.IssuedOn?.Span),
            SpanResponse.From(d.Place?.Span),
            SpanResponse.From(d.IssuerName?.Span),
            SpanResponse.From(d.IssuerLevel?.Span),
            SpanResponse.From(d.Year?.Span),
            [.. d.ParentReferences.Select(p => SpanResponse.From(p.Span)!)],
            d.Deadlines.ToDictionary(p => p.Key, p => SpanResponse.From(p.Value.Span)!),
            SpanResponse.From(d.ImplementingPlansDue?.Span),
            SpanResponse.From(d.ReportTo?.Span),
            [.. d.Targets.Select(t => SpanResponse.From(t.Span)!)]));
}

/// <summary>A target read from the text; <c>comparator</c> is one of &gt;, &gt;=, =, &lt;=, &lt;.</summary>
public sealed record PlanDraftTargetResponse(string Indicator, string Comparator, decimal Value, string? Scope, string Text);

/// <summary>The span of each field found, in the same shape as the draft (null where nothing was found).</summary>
public sealed record PlanDraftFoundResponse(
    SpanResponse? Number,
    SpanResponse? IssuedOn,
    SpanResponse? Place,
    SpanResponse? IssuerName,
    SpanResponse? IssuerLevel,
    SpanResponse? Year,
    IReadOnlyList<SpanResponse> ParentReferences,
    IReadOnlyDictionary<string, SpanResponse> Deadlines,
    SpanResponse? ImplementingPlansDue,
    SpanResponse? ReportTo,
    IReadOnlyList<SpanResponse> Targets);

/// <summary>Offsets in UTF-16 code units into the text sent, and the text there.</summary>
public sealed record SpanResponse(int Start, int Length, string Snippet)
{
    public static SpanResponse? From(TextSpan? span) => span is null ? null : new(span.Start, span.Length, span.Snippet);
}
