using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Antq.ServiceDefaults.Problems;

namespace Antq.ServiceDefaults;

/// <summary>
/// Moving a running process's clock forward, for the demo season that <c>deploy/antq up</c> plays in local mode:
/// <c>GET /local/clock</c> says what time the process reads, <c>POST /local/clock</c> with <c>{"to": instant}</c> moves
/// it forward (never back). Mapped only when <c>Clock:ControlKey</c> is set, which the start refuses outside local mode
/// and tests (<see cref="PlatformClock.FromConfiguration"/>); every call must carry that key in
/// <c>X-Antq-Clock-Key</c>. The key is made up by <c>up</c> for the processes it starts, and never set in production.
/// </summary>
public static class ClockControl
{
    public const string KeySetting = "Clock:ControlKey";
    public const string KeyHeader = "X-Antq-Clock-Key";
    public const string Path = "/local/clock";

    public sealed record ClockState(DateTimeOffset Now, bool Adjusted);

    public sealed record MoveRequest(DateTimeOffset? To);

    public static void MapClockControl(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        var key = configuration[KeySetting];
        if (string.IsNullOrWhiteSpace(key)) return;
        var expected = Encoding.UTF8.GetBytes(key);

        app.MapGet(Path, Results<Ok<ClockState>, ProblemHttpResult> (HttpContext http, PlatformClock clock) =>
            Allowed(http, expected) ? TypedResults.Ok(new ClockState(clock.GetUtcNow(), clock.IsAdjusted)) : Refused()).AllowAnonymous().ExcludeFromDescription();

        app.MapPost(Path, Results<Ok<ClockState>, ProblemHttpResult> (HttpContext http, MoveRequest? request, PlatformClock clock) =>
        {
            if (!Allowed(http, expected)) return Refused();
            if (request?.To is not { } to)
                return Problem(400, "Thiếu thời điểm cần chuyển đồng hồ tới (to).", "to");
            var now = clock.GetUtcNow();
            if (to < now)
            {
                return Problem(409, $"Đồng hồ của hệ thống không lùi lại được: bây giờ là {now:O}, không thể chuyển về {to:O}.");
            }

            clock.AdvanceTo(to);
            return TypedResults.Ok(new ClockState(clock.GetUtcNow(), clock.IsAdjusted));
        }).AllowAnonymous().ExcludeFromDescription();
    }

    static bool Allowed(HttpContext http, byte[] expected) =>
        http.Request.Headers[KeyHeader].ToString() is { Length: > 0 } given
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);

    static ProblemHttpResult Refused() => Problem(403, "Không được chỉnh đồng hồ của hệ thống: thiếu hoặc sai khóa điều khiển đồng hồ.");
}
