using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Antq.Reporting.Api.Reports;

/// <summary>
/// The one place where a refused step of a report's life becomes an answer: an illegal transition
/// (<see cref="ReportStateException"/>) is a 409, any other refusal (<see cref="ReportRefusedException"/>) its own
/// status; both as Vietnamese <c>application/problem+json</c>. Nothing was saved: the step's transaction rolled back.
/// </summary>
sealed class ReportProblems(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, errors) = exception switch
        {
            ReportStateException => (StatusCodes.Status409Conflict, null),
            ReportRefusedException refused => (refused.Status, refused.Errors),
            _ => (0, (IReadOnlyDictionary<string, List<string>>?)null),
        };
        if (status == 0) return false;

        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = ProblemDetailsDefaults.TitleFor(status), Detail = exception.Message };
        if (errors is not null) problem.Extensions["errors"] = errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }
}
