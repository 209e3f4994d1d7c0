using Antq.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Antq.ServiceDefaults.Problems;

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

    /// <summary>How many messages a redrive sent back.</summary>
    public sealed record RedriveResult(int Redriven);

    public static IEndpointRouteBuilder MapAntqDeadLetters(this IEndpointRouteBuilder app)
    {
        // Operation ids are unique across the platform's documents (one client is generated from all of them).
        var service = Bus.ShortName(app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().ApplicationName);
        var name = char.ToUpperInvariant(service[0]) + service[1..];
        var group = app.MapGroup(Path).WithTags("Thư chết (dead letters)")
            .RequireAuthorization(policy => policy.RequireRole(AntqRoles.Admin)).Problems(401, 403);

        group.MapGet("/", async (DeadLetterBook book, CancellationToken cancellationToken) =>
            Results.Ok(await book.ListAsync(cancellationToken)))
            .WithName($"list{name}DeadLetters").Produces<IReadOnlyList<DeadLetter>>()
            .WithSummary("Thư chết của dịch vụ (quản trị)")
            .WithDescription("Các thông điệp không xử lý được của dịch vụ: thông điệp bị chuyển vào hàng đợi `_error` của các bộ tiêu thụ và thông điệp hộp thư đi bị máy chủ thông điệp từ chối nhiều lần (đã tạm giữ). Mỗi mục cho biết là gì, ở đâu, vì sao và từ lúc nào. Qua cổng, danh sách gộp mọi dịch vụ. Chỉ quản trị viên.");

        group.MapPost("/redrive", async (DeadLetterBook book, CancellationToken cancellationToken) =>
            Results.Ok(new RedriveResult(await book.RedriveAllAsync(cancellationToken))))
            .WithName($"redriveAll{name}DeadLetters").Produces<RedriveResult>()
            .WithSummary("Gửi lại mọi thư chết (quản trị)")
            .WithDescription("Gửi lại mọi thư chết của dịch vụ về hàng đợi hoặc hộp thư đi của chúng, sau khi nguyên nhân đã được khắc phục; trả về số thông điệp đã gửi lại. Chỉ quản trị viên.");

        group.MapPost("/{id}/redrive", async (string id, DeadLetterBook book, CancellationToken cancellationToken) =>
            await book.RedriveAsync(id, cancellationToken) switch
            {
                null or 0 => Problem(StatusCodes.Status404NotFound, $"Không có thư chết '{id}' ở dịch vụ {book.Service} (có thể đã được gửi lại)."),
                var redriven => Results.Ok(new RedriveResult(redriven.Value)),
            })
            .WithName($"redrive{name}DeadLetter").Produces<RedriveResult>()
            .WithSummary("Gửi lại một thư chết (quản trị)")
            .WithDescription("Gửi lại thư chết có mã `id` (như trong danh sách) về hàng đợi hoặc hộp thư đi của nó. Không còn thư đó: 404. Chỉ quản trị viên.")
            .Problems(404);

        return app;
    }
}
