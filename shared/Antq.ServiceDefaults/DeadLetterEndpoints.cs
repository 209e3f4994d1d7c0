using Antq.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.ServiceDefaults;

/// <summary>
/// A service's dead letters for administrators (role <c>Admin</c>): <c>GET /api/dead-letters</c> lists its consumers'
/// <c>_error</c> messages and its parked outbox rows (what, where, why, since when);
/// <c>POST /api/dead-letters/{id}/redrive</c> sends one back, <c>POST /api/dead-letters/redrive</c> every one. The
/// gateway asks every service and merges the lists, and sends a redrive to the service its id names.
/// </summary>
public static class DeadLetterEndpoints
{
    public const string Path = "/api/dead-letters";

    public static IEndpointRouteBuilder MapAntqDeadLetters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Thư chết (dead letters)")
            .RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin));

        group.MapGet("/", async (DeadLetterBook book, CancellationToken cancellationToken) =>
            Results.Ok(await book.ListAsync(cancellationToken)));

        group.MapPost("/redrive", async (DeadLetterBook book, CancellationToken cancellationToken) =>
            Results.Ok(new { redriven = await book.RedriveAllAsync(cancellationToken) }));

        group.MapPost("/{id}/redrive", async (string id, DeadLetterBook book, CancellationToken cancellationToken) =>
            await book.RedriveAsync(id, cancellationToken) switch
            {
                null or 0 => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: ProblemDetailsDefaults.TitleFor(404),
                    detail: $"Không có thư chết '{id}' ở dịch vụ {book.Service} (có thể đã được gửi lại)."),
                var redriven => Results.Ok(new { redriven }),
            });

        return app;
    }
}
