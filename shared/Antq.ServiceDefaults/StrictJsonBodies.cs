using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.ServiceDefaults;

/// <summary>
/// A request body is read strictly: a member the endpoint does not know is refused with a 400 that names it, instead of
/// being dropped in silence (a plan posted with <c>reminders</c> beside <c>reminderPolicy</c> instead of inside it would
/// otherwise be issued with the default policy). A body or parameter the endpoint cannot read is a 400 that says where.
/// </summary>
public static partial class StrictJsonBodies
{
    public static IServiceCollection AddAntqStrictJsonBodies(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow);
        // Binding failures become exceptions, so that the problem below can say what failed; without this the framework
        // answers a bare 400 and keeps the reason in its log.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblems>();
        return services;
    }

    /// <summary>The problem for a request the endpoint could not bind; null when the exception is not such a failure.</summary>
    public static (int Status, string Detail, string? Member)? Describe(Exception exception)
    {
        if (exception is not BadHttpRequestException bad) return null;
        if (bad.InnerException is JsonException json)
        {
            var path = json.Path is { Length: > 0 } p ? p : "$";
            if (UnmappedMember().Match(json.Message) is { Success: true } unmapped)
            {
                var member = unmapped.Groups[1].Value;
                var where = path.EndsWith("." + member, StringComparison.Ordinal) || path.EndsWith($"['{member}']", StringComparison.Ordinal)
                    ? path : $"{path}.{member}";
                return (400, $"Nội dung gửi lên có thành phần \"{member}\" (tại {where}) mà địa chỉ này không nhận; hãy bỏ đi hoặc sửa lại tên và vị trí theo tài liệu API (/docs).", where);
            }

            return (400, $"Nội dung JSON gửi lên không đọc được tại {path}: sai cú pháp hoặc sai kiểu giá trị.", path);
        }

        return bad.StatusCode == StatusCodes.Status400BadRequest
            ? (400, "Thiếu hoặc sai tham số, hoặc nội dung gửi lên không đúng định dạng mà địa chỉ này nhận.", null)
            : (bad.StatusCode, ProblemDetailsDefaults.TitleFor(bad.StatusCode) + ".", null);
    }

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();

    sealed class BadRequestProblems : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (Describe(exception) is not { } problem) return false;
            return await Problems.WriteAsync(http, problem.Status, problem.Detail,
                problem.Member is { } member ? new Dictionary<string, string[]> { [member] = [problem.Detail] } : null, exception);
        }
    }
}
