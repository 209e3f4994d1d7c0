using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using static Antq.ServiceDefaults.Problems;

namespace Antq.Reporting.Api.Reports;

/// <summary>
/// The one place where a refused step of a report's life becomes an answer: an illegal transition
/// (<see cref="ReportStateException"/>) is a 409, any other refusal (<see cref="ReportRefusedException"/>) its own
/// status; both as Vietnamese <c>application/problem+json</c>. Nothing was saved: the step's transaction rolled back.
/// </summary>
sealed class ReportProblems : IExceptionHandler
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

        return await WriteAsync(http, status, exception.Message, errors is null ? null : Errors(errors), exception);
    }
}
