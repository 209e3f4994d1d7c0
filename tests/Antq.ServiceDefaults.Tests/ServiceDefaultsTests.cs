using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace Antq.ServiceDefaults.Tests;

/// <summary>What every service inherits: errors as Vietnamese problems with no internals, health, correlation, token checks.</summary>
public sealed class ServiceDefaultsTests : IAsyncLifetime
{
    WebApplication app = null!;
    HttpClient client = null!;

    public sealed record Sample(int Count, string Name);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Configuration["Auth:SigningKeyPem"] = TestTokens.PublicKeyPem;
        builder.AddServiceDefaults();
        app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapPost("/echo", (Sample sample) => TypedResults.Ok(sample)).RequireAuthorization();
        app.MapGet("/boom", string () => throw new InvalidOperationException("Npgsql connection secret-host:5432 failed in Antq.Internal.Thing"));
        app.MapGet("/me", (HttpContext context) => TypedResults.Ok(new { name = context.User.UserName(), unit = context.User.OrgUnitCode() }))
            .RequireAuthorization();
        await app.StartAsync();
        client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("xa.ngocson", AntqRoles.CommuneOfficer, "12345"));
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Malformed_json_is_a_vietnamese_problem_not_a_crash()
    {
        var response = await client.PostAsync("/echo", new StringContent("{\"count\": 1, \"name\": ", Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Wrong_type_in_json_is_a_vietnamese_problem()
    {
        var response = await client.PostAsync("/echo", new StringContent("{\"count\": \"nhiều\", \"name\": \"x\"}", Encoding.UTF8, "application/json"));

        await AssertProblem(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_member_the_endpoint_does_not_know_is_refused_by_name()
    {
        var response = await client.PostAsync("/echo", new StringContent("{\"count\": 1, \"name\": \"x\", \"counts\": 2}", Encoding.UTF8, "application/json"));

        var body = await AssertProblem(response, HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Contains("\"counts\"", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.counts", out _), body);
        Assert.DoesNotContain("Sample", body);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_with_where_it_is()
    {
        var response = await client.PostAsync("/echo", new StringContent("{\"count\": \"nhiều\", \"name\": \"x\"}", Encoding.UTF8, "application/json"));

        var body = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Contains("tại $.count", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain("Int32", body);
    }

    [Fact]
    public async Task An_unknown_address_is_a_vietnamese_not_found()
    {
        await AssertProblem(await client.GetAsync("/khong-co"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unexpected_failure_answers_500_without_the_exception_or_internal_names()
    {
        var response = await client.GetAsync("/boom");

        var body = await AssertProblem(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("Npgsql", body);
        Assert.DoesNotContain("secret-host", body);
        Assert.DoesNotContain("Antq.Internal", body);
        Assert.DoesNotContain("   at ", body);
    }

    [Fact]
    public async Task No_token_is_401_and_an_expired_token_is_401()
    {
        var anonymous = new HttpRequestMessage(HttpMethod.Get, "/me");
        var expired = new HttpRequestMessage(HttpMethod.Get, "/me");
        expired.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("x", AntqRoles.Admin, "BCA", TimeSpan.FromMinutes(-5)));

        await AssertProblem(await app.GetTestClient().SendAsync(anonymous), HttpStatusCode.Unauthorized);
        await AssertProblem(await app.GetTestClient().SendAsync(expired), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_valid_token_carries_the_users_name_and_unit()
    {
        var me = await client.GetFromJsonAsync<JsonElement>("/me");

        Assert.Equal("xa.ngocson", me.GetProperty("name").GetString());
        Assert.Equal("12345", me.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task Liveness_answers_without_a_token_and_every_answer_carries_a_correlation_id()
    {
        var response = await app.GetTestClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(response.Headers.GetValues(Correlation.HeaderName).Single()));
    }

    [Fact]
    public async Task A_correlation_id_with_unsafe_characters_is_replaced()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation(Correlation.HeaderName, "<script>alert(1)</script>");

        var response = await app.GetTestClient().SendAsync(request);

        Assert.DoesNotContain("<", response.Headers.GetValues(Correlation.HeaderName).Single());
    }

    [Theory]
    [InlineData("Antq.Reporting.Api", "reporting")]
    [InlineData("Antq.Gateway", "gateway")]
    [InlineData("Other", "other")]
    public void Queue_prefix_is_the_services_short_name(string application, string expected)
    {
        Assert.Equal(expected, Bus.ShortName(application));
    }

    static async Task<string> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(ProblemDetailsDefaults.TitleFor((int)status), problem.GetProperty("title").GetString());
        Assert.True(problem.TryGetProperty("traceId", out _));
        return body;
    }
}
