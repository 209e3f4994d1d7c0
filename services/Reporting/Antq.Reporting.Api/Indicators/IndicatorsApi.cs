using System.Security.Claims;
using System.Text.Json;
using Antq.Audit;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static Antq.Reporting.Api.Units.ApiSupport;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Reporting.Api.Indicators;

public sealed record IndicatorResponse(string Code, string? Section, string Name, string Unit, string ValueType, string Aggregation,
    bool Computed, IReadOnlyList<string>? Numerator, IReadOnlyList<string>? Denominator, decimal? Factor, string? Of, IReadOnlyList<string> Periods);

public sealed record RuleResponse(string Code, string Expression, string Message);

public sealed record NarrativeSectionResponse(string Code, string Name);

public sealed record CatalogueResponse(string Version, string? Description, string? Period, string? PeriodName,
    IReadOnlyList<IndicatorResponse> Indicators, IReadOnlyList<RuleResponse> Rules, IReadOnlyList<NarrativeSectionResponse> NarrativeSections);

/// <summary>The indicator catalogue (danh mục chỉ tiêu): what a period's report asks, and publishing a new version.</summary>
public static class IndicatorsApi
{
    public static RouteGroupBuilder MapIndicatorsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/indicators").WithTags("Danh mục chỉ tiêu").RequireAuthorization().Problems(401, 403);
        group.MapGet("/", GetIndicators).WithName("getIndicators")
            .WithSummary("Danh mục chỉ tiêu của một kỳ")
            .WithDescription("Danh mục chỉ tiêu có hiệu lực cho kỳ `period` (mặc định kỳ hiện tại): các chỉ tiêu, các quy tắc kiểm tra giữa chúng và các mục phần lời của báo cáo.")
            .Problems(400, 404);
        group.MapPut("/catalogue", PublishCatalogue).WithName("publishCatalogue")
            .WithSummary("Công bố phiên bản danh mục chỉ tiêu (quản trị)")
            .WithDescription("Công bố một phiên bản mới của danh mục chỉ tiêu (JSON như GET /api/indicators trả về), có hiệu lực từ kỳ ghi trong danh mục. Phiên bản đã công bố không đổi được (409).")
            .Problems(400, 409)
            .RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin))
            .Accepts<JsonElement>("application/json");
        return group;
    }

    /// <summary>The catalogue in force for a period: the indicators it asks, the rules that can be judged on them, the narrative sections.</summary>
    public static async Task<Results<Ok<CatalogueResponse>, ProblemHttpResult>> GetIndicators(string? period, ReportingDbContext db, CancellationToken ct)
    {
        if (!TryPeriod(period, out var parsed, out var problem)) return problem;
        var catalogue = await db.InForceAsync(ct);
        return TypedResults.Ok(ToResponse(catalogue, parsed));
    }

    /// <summary>Publishes a new version; it applies to reports saved from now on and never rewrites submitted ones.</summary>
    public static async Task<Results<Ok<CatalogueResponse>, ProblemHttpResult>> PublishCatalogue(
        HttpContext http, ReportingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = http.User;
        var request = http.Request;
        Catalogue catalogue;
        try
        {
            using var reader = new StreamReader(request.Body);
            catalogue = Catalogue.Parse(await reader.ReadToEndAsync(ct));
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } path ? $" (tại {path})" : "";
            return Problem(400, $"Danh mục không đúng định dạng JSON hoặc thiếu trường bắt buộc{where}; danh mục chưa được công bố.", "catalogue");
        }
        catch (CatalogueException ex)
        {
            return Invalid($"Danh mục chưa được công bố vì: {string.Join(" ", ex.Errors)}", new Dictionary<string, string[]> { ["catalogue"] = [.. ex.Errors] });
        }

        if (await db.Catalogues.AnyAsync(c => c.Version == catalogue.Version, ct))
            return Problem(409, $"Phiên bản danh mục {catalogue.Version} đã được công bố; hãy đặt một phiên bản mới.", "version");

        db.Catalogues.Add(new PublishedCatalogue
        {
            Version = catalogue.Version, Json = catalogue.ToJson(), PublishedAt = clock.GetUtcNow(), PublishedBy = user.Who(),
        });
        db.AddAdministrativeAct(http, "catalogue.published", $"catalogue/{catalogue.Version}",
            $"Công bố danh mục chỉ tiêu phiên bản {catalogue.Version}: {catalogue.Indicators.Count} chỉ tiêu, {catalogue.Rules.Count} quy tắc kiểm tra.", clock);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problem(409, $"Phiên bản danh mục {catalogue.Version} đã được công bố; hãy đặt một phiên bản mới.", "version");
        }

        return TypedResults.Ok(ToResponse(catalogue, null));
    }

    /// <summary>
    /// The catalogue, or what a period's report asks of it (<see cref="Catalogue.ForPeriod"/>); the portal reads this back as
    /// a <see cref="Catalogue"/> and judges its form with the same rules.
    /// </summary>
    public static CatalogueResponse ToResponse(Catalogue catalogue, ReportingPeriod? period)
    {
        var shown = period is { } p ? catalogue.ForPeriod(p.Kind) : catalogue;
        return new CatalogueResponse(shown.Version, shown.Description, period?.Code, period?.Title,
            [.. shown.Indicators.Select(i => new IndicatorResponse(i.Code, i.Section, i.Name, i.Unit, Camel(i.ValueType.ToString()), Camel(i.Aggregation.ToString()),
                i.Computed, i.Numerator, i.Denominator, i.Factor, i.Of, [.. i.Periods.Select(k => k.ToString())]))],
            [.. shown.Rules.Select(r => new RuleResponse(r.Code, r.Expression, r.Message))],
            [.. shown.NarrativeSections.Select(s => new NarrativeSectionResponse(s.Code, s.Name))]);
    }

    static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
