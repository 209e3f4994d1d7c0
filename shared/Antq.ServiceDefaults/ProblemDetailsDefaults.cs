using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Antq.ServiceDefaults;

/// <summary>
/// Every error leaves as application/problem+json with a Vietnamese title, a trace id, and never a stack trace
/// or an internal name.
/// </summary>
public static class ProblemDetailsDefaults
{
    static readonly Dictionary<int, string> VietnameseTitles = new()
    {
        [400] = "Yêu cầu không hợp lệ",
        [401] = "Chưa đăng nhập hoặc phiên đăng nhập đã hết hạn",
        [403] = "Không có quyền thực hiện thao tác này",
        [404] = "Không tìm thấy",
        [405] = "Phương thức không được hỗ trợ cho địa chỉ này",
        [406] = "Định dạng trả về không được hỗ trợ",
        [408] = "Yêu cầu quá thời gian chờ",
        [409] = "Xung đột dữ liệu",
        [412] = "Dữ liệu đã được người khác thay đổi; hãy tải lại trước khi lưu",
        [413] = "Nội dung gửi lên quá lớn",
        [414] = "Địa chỉ yêu cầu quá dài",
        [415] = "Định dạng nội dung không được hỗ trợ",
        [422] = "Dữ liệu không hợp lệ",
        [428] = "Thiếu điều kiện phiên bản (If-Match)",
        [429] = "Quá nhiều yêu cầu; vui lòng thử lại sau",
        [431] = "Phần đầu yêu cầu quá lớn",
        [500] = "Lỗi hệ thống; vui lòng thử lại sau",
        [502] = "Dịch vụ phía sau không phản hồi đúng",
        [503] = "Dịch vụ tạm thời không sẵn sàng",
        [504] = "Dịch vụ phía sau không phản hồi kịp",
    };

    /// <summary>The Vietnamese title for a status code, for handlers that build their own problems.</summary>
    public static string TitleFor(int statusCode) =>
        VietnameseTitles.TryGetValue(statusCode, out var title) ? title : "Không thể xử lý yêu cầu";

    public static IHostApplicationBuilder AddAntqProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options =>
        {
            options.CustomizeProblemDetails = context =>
            {
                var problem = context.ProblemDetails;
                var status = problem.Status ?? context.HttpContext.Response.StatusCode;

                // Framework defaults are English ("Bad Request", "One or more validation errors occurred.");
                // titles set by our handlers are already Vietnamese and stay.
                if (string.IsNullOrEmpty(problem.Title) || IsAscii(problem.Title))
                {
                    problem.Title = TitleFor(status);
                }

                // Framework-generated detail may name internal types; ours is Vietnamese.
                if (problem.Detail is { } detail && IsAscii(detail))
                {
                    problem.Detail = null;
                }

                problem.Type ??= $"https://antq.local/problems/{status}";
                problem.Instance ??= context.HttpContext.Request.Path;
                problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
                problem.Extensions.Remove("exception");
            };
        });
        return builder;
    }

    /// <summary>Vietnamese text always carries diacritics; a pure-ASCII title is a framework default.</summary>
    static bool IsAscii(string text) => text.All(c => c < 128);
}
