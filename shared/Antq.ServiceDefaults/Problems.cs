using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Antq.ServiceDefaults;

/// <summary>
/// The one builder of <c>application/problem+json</c> answers for every service and the gateway: the status's Vietnamese
/// title (<see cref="ProblemDetailsDefaults.TitleFor"/>), the detail a person reads, and the field errors under
/// <c>errors</c> (field → messages), the shape the portal, the client's <c>Problem</c> and the CLI read. Handlers import
/// it (<c>using static Antq.ServiceDefaults.Problems;</c>) and call <see cref="Problem"/>; middleware and exception
/// handlers that write the answer themselves use <see cref="Details"/> and <see cref="WriteAsync"/>. An architecture
/// test (<c>tests/Antq.Architecture.Tests</c>) fails when a problem is built anywhere else.
/// </summary>
public static class Problems
{
    /// <summary>A problem; with <paramref name="field"/>, its detail is also that field's one error.</summary>
    public static ProblemHttpResult Problem(int status, string detail, string? field = null) =>
        TypedResults.Problem(Details(status, detail, field is null ? null : new Dictionary<string, string[]> { [field] = [detail] }));

    /// <summary>A problem with errors by field (a form or a file with several wrong fields or rows).</summary>
    public static ProblemHttpResult Problem<TMessages>(int status, string detail, IEnumerable<KeyValuePair<string, TMessages>> errors)
        where TMessages : IEnumerable<string> =>
        TypedResults.Problem(Details(status, detail, Errors(errors)));

    /// <summary>A 400 with errors by field.</summary>
    public static ProblemHttpResult Invalid<TMessages>(string detail, IEnumerable<KeyValuePair<string, TMessages>> errors)
        where TMessages : IEnumerable<string> => Problem(StatusCodes.Status400BadRequest, detail, errors);

    /// <summary>
    /// A 400 typed as a validation problem, for endpoints whose documents declare <see cref="ValidationProblem"/>
    /// (Identity's forms): the same title, detail and <c>errors</c>.
    /// </summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string detail) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: ValidationTitle);

    /// <summary>The title of a validation problem: the data, not the request, is wrong.</summary>
    public const string ValidationTitle = "Dữ liệu không hợp lệ";

    /// <summary>The problem document itself, for code that writes the answer (middleware, exception handlers, the gateway).</summary>
    public static ProblemDetails Details(int status, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails { Status = status, Title = ProblemDetailsDefaults.TitleFor(status), Detail = detail };
        if (errors is not null) problem.Extensions["errors"] = errors;
        return problem;
    }

    /// <summary>Writes a problem as the answer through the service's <see cref="IProblemDetailsService"/> (trace id and all).</summary>
    public static async ValueTask<bool> WriteAsync(HttpContext http, int status, string detail, IReadOnlyDictionary<string, string[]>? errors = null, Exception? exception = null)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService
                       ?? throw new InvalidOperationException("AddAntqProblemDetails was not called.");
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = Details(status, detail, errors), Exception = exception });
    }

    /// <summary>Field errors in the wire's shape (field → array of messages), from any list of messages.</summary>
    public static IReadOnlyDictionary<string, string[]> Errors<TMessages>(IEnumerable<KeyValuePair<string, TMessages>> errors) where TMessages : IEnumerable<string> =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
