using System.Text;
using System.Text.Json;
using Antq.Plan.Api.PlanText;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Antq.Plan.Tests.PlanText;

/// <summary>POST /api/plans/drafts/from-text, its handler called directly and its route as mapped.</summary>
public sealed class PlanDraftsApiTests
{
    static HttpRequest Request(byte[] body, string? contentType = "text/plain; charset=utf-8")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        return context.Request;
    }

    static async Task<ProblemHttpResult> ProblemFor(byte[] body, string? contentType = "text/plain; charset=utf-8")
    {
        var result = await PlanDraftsApi.DraftFromText(Request(body, contentType), CancellationToken.None);
        return Assert.IsType<ProblemHttpResult>(result.Result);
    }

    [Fact]
    public async Task Empty_body_is_a_400_in_Vietnamese()
    {
        var problem = await ProblemFor(Encoding.UTF8.GetBytes(" \n "));
        Assert.Equal(400, problem.StatusCode);
        Assert.Equal("Chưa có nội dung: gửi văn bản thuần (text/plain, UTF-8) của kế hoạch.", problem.ProblemDetails.Detail);
        Assert.Equal("Yêu cầu không hợp lệ", problem.ProblemDetails.Title);
    }

    [Fact]
    public async Task Body_over_one_megabyte_is_a_400_in_Vietnamese()
    {
        var problem = await ProblemFor(Encoding.UTF8.GetBytes(new string('a', PlanDraftsApi.MaxTextBytes + 1)));
        Assert.Equal(400, problem.StatusCode);
        Assert.Equal("Văn bản kế hoạch quá lớn: tối đa 1 MB.", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task Body_of_exactly_one_megabyte_is_read()
    {
        var result = await PlanDraftsApi.DraftFromText(Request(Encoding.UTF8.GetBytes(new string('a', PlanDraftsApi.MaxTextBytes))), CancellationToken.None);
        Assert.IsType<Ok<PlanDraftResponse>>(result.Result);
    }

    [Fact]
    public async Task Text_that_is_not_UTF8_is_a_400()
    {
        var problem = await ProblemFor([0x4B, 0xC3, 0x28, 0xFF]);
        Assert.Equal(400, problem.StatusCode);
        Assert.StartsWith("Nội dung không phải văn bản UTF-8", problem.ProblemDetails.Detail);
    }

    [Fact]
    public async Task A_json_body_is_refused_with_415()
    {
        var problem = await ProblemFor(Encoding.UTF8.GetBytes("{\"text\": \"KẾ HOẠCH\"}"), "application/json");
        Assert.Equal(415, problem.StatusCode);
    }

    [Theory]
    [MemberData(nameof(PlanFixture.All), MemberType = typeof(PlanFixture))]
    public async Task Response_json_has_every_field_of_the_expected_file(string name)
    {
        var fixture = PlanFixture.Of(name);
        var result = await PlanDraftsApi.DraftFromText(Request([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(fixture.Text)]), CancellationToken.None);
        var ok = Assert.IsType<Ok<PlanDraftResponse>>(result.Result);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(ok.Value, new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        foreach (var field in fixture.Expected.EnumerateObject().Where(p => p.Name != "note"))
        {
            Assert.True(json.RootElement.TryGetProperty(field.Name, out var actual), $"{name}: no {field.Name}");
            AssertJsonCovers(field.Value, actual, $"{name}.{field.Name}");
        }
    }

    [Fact]
    public async Task Found_gives_the_span_of_each_deadline_and_target_in_the_text_sent()
    {
        var fixture = PlanFixture.Of(PlanFixture.BinhThuan2024);
        var result = await PlanDraftsApi.DraftFromText(Request(Encoding.UTF8.GetBytes(fixture.Text)), CancellationToken.None);
        var draft = Assert.IsType<Ok<PlanDraftResponse>>(result.Result).Value!;

        var h1 = draft.Found.Deadlines["2024-H1"];
        Assert.Equal("trước \n\nngày 15/6/2024", fixture.Text.Substring(h1.Start, h1.Length));
        Assert.Equal(draft.Targets.Count, draft.Found.Targets.Count);
        Assert.StartsWith("Phấn đấu trên", draft.Found.Targets[0].Snippet);
        Assert.Null(draft.Found.Number);
        Assert.Equal("năm 2024", draft.Found.Year?.Snippet);
    }

    [Fact]
    public async Task The_draft_returns_the_place_of_the_date_line_with_its_span()
    {
        const string text = """
            ỦY BAN NHÂN DÂN XÃ NGHĨA SƠN
            Số: 12/KH-UBND
            Nghĩa Sơn, ngày 15 tháng 01 năm 2025
            KẾ HOẠCH
            Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025
            """;
        var result = await PlanDraftsApi.DraftFromText(Request(Encoding.UTF8.GetBytes(text)), CancellationToken.None);
        var draft = Assert.IsType<Ok<PlanDraftResponse>>(result.Result).Value!;

        Assert.Equal("Nghĩa Sơn", draft.Place);
        Assert.NotNull(draft.Found.Place);
        Assert.Equal("Nghĩa Sơn", text.Substring(draft.Found.Place.Start, draft.Found.Place.Length));
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(draft, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        Assert.Equal("Nghĩa Sơn", json.RootElement.GetProperty("place").GetString());
    }

    [Fact]
    public void Route_is_a_post_under_api_plans_drafts_and_requires_a_signed_in_user()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        app.MapPlanDraftsApi();
        var endpoint = Assert.Single(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>());
        Assert.Equal("/api/plans/drafts/from-text", "/" + endpoint.RoutePattern.RawText!.TrimStart('/'));
        Assert.Equal(["POST"], endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods);
        Assert.NotEmpty(endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>());
    }

    /// <summary>
    /// Every value of the expected JSON is in the actual JSON; the actual may add only null properties
    /// (a target without scope), not keys with values (a deadline that should not be there).
    /// </summary>
    static void AssertJsonCovers(JsonElement expected, JsonElement actual, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.Equal(JsonValueKind.Object, actual.ValueKind);
                foreach (var p in expected.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(p.Name, out var a), $"{path}: no {p.Name}");
                    AssertJsonCovers(p.Value, a, $"{path}.{p.Name}");
                }

                foreach (var extra in actual.EnumerateObject().Where(p => !expected.TryGetProperty(p.Name, out _)))
                    Assert.True(extra.Value.ValueKind == JsonValueKind.Null, $"{path}: unexpected {extra.Name} = {extra.Value}");
                break;
            case JsonValueKind.Array:
                Assert.Equal(JsonValueKind.Array, actual.ValueKind);
                Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
                for (var i = 0; i < expected.GetArrayLength(); i++) AssertJsonCovers(expected[i], actual[i], $"{path}[{i}]");
                break;
            case JsonValueKind.Number:
                Assert.Equal(expected.GetDecimal(), actual.GetDecimal());
                break;
            default:
                Assert.Equal(expected.ToString(), actual.ToString());
                break;
        }
    }
}
