using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Antq.ServiceDefaults;

/// <summary>
/// Each service's OpenAPI document (/openapi/v1.json, gathered by the gateway under /docs; the gateway's own, for the
/// routes it answers itself, too): what every document says
/// the same way. The service's name and what it does, the bearer token and which operations need it, the address
/// through the gateway (a relative one, so that the document is the same wherever it is served). What each endpoint
/// does and answers is written next to it (WithName, WithSummary, WithDescription, ProducesProblem); the committed
/// copies are in docs/openapi/ and Redocly lints them (deploy/openapi/redocly.yaml).
/// </summary>
public static class OpenApiDefaults
{
    public const string BearerScheme = "Bearer";

    static readonly Dictionary<string, (string Title, string Description)> Services = new()
    {
        ["Antq.Identity.Api"] = ("AntqPlatform · Identity", "Tài khoản, vai trò và đơn vị của người dùng; đổi và đặt lại mật khẩu; nhật ký kiểm tra (audit) của toàn nền tảng. Mã truy cập (access token) cấp tại /connect/token theo OpenID Connect."),
        ["Antq.Plan.Api"] = ("AntqPlatform · Plan", "Đơn vị hành chính và đơn vị cơ sở theo ngày hiệu lực (qua cải cách 2025), kế hoạch với chỉ tiêu, nhiệm vụ và chính sách nhắc hạn, chuỗi hạn nộp báo cáo của từng đơn vị, soạn dự thảo kế hoạch từ văn bản."),
        ["Antq.Reporting.Api"] = ("AntqPlatform · Reporting", "Danh mục chỉ tiêu, báo cáo phong trào toàn dân bảo vệ an ninh Tổ quốc của từng đơn vị (soạn, nộp, trả lại, duyệt), tổng hợp trực tiếp theo cấp, chốt số liệu và xuất văn bản."),
        ["Antq.Classification.Api"] = ("AntqPlatform · Classification", "Bảng điểm và ngưỡng xếp loại phong trào, tự chấm và chấm duyệt, tiêu chí an toàn về an ninh, trật tự, mức đạt chỉ tiêu của kế hoạch."),
        ["Antq.Notification.Api"] = ("AntqPlatform · Notification", "Hộp thư thông báo, nhắc hạn, quá hạn và chuyển cấp; đầu mối nhận thư điện tử và webhook."),
        ["Antq.Gateway"] = ("AntqPlatform · Gateway", "Cổng duy nhất của nền tảng: chuyển mỗi yêu cầu tới dịch vụ của nó, và tự trả lời những gì cần hỏi mọi dịch vụ: tình trạng của toàn nền tảng, thư chết của mọi dịch vụ (xem, gửi lại)."),
    };

    /// <summary>What the parameters the services share mean, where the endpoint does not say it itself.</summary>
    static readonly Dictionary<string, string> Parameters = new()
    {
        ["code"] = "Mã đơn vị: mã đơn vị hành chính (dvhc, ví dụ 38 Thanh Hóa, 14758 Phường Hàm Rồng) hoặc mã đơn vị dưới cấp xã.",
        ["period"] = "Kỳ báo cáo: YYYY-H1 (sơ kết 6 tháng) hoặc YYYY-Y (tổng kết năm), ví dụ 2026-H1.",
        ["year"] = "Năm, ví dụ 2026.",
        ["asOf"] = "Ngày xem dữ liệu (YYYY-MM-DD, giờ Việt Nam); mặc định hôm nay.",
        ["effectiveFrom"] = "Ngày có hiệu lực (YYYY-MM-DD); mặc định tuỳ loại tệp, xem mô tả.",
        ["id"] = "Mã định danh (GUID).",
        ["username"] = "Tên đăng nhập.",
        ["limit"] = "Số kết quả tối đa.",
        ["take"] = "Số dòng tối đa.",
        ["page"] = "Trang, bắt đầu từ 1.",
        ["pageSize"] = "Số dòng mỗi trang.",
        ["search"] = "Chuỗi tìm kiếm, không phân biệt dấu.",
        ["unit"] = "Mã đơn vị để lọc.",
        ["role"] = "Vai trò để lọc: Admin, ProvinceOfficer, DistrictOfficer, CommuneOfficer, Viewer.",
        ["issuer"] = "Mã đơn vị ban hành để lọc.",
        ["status"] = "Trạng thái để lọc (xem mô tả của thao tác).",
        ["kind"] = "Loại đơn vị (xem mô tả của thao tác).",
        ["mapTo"] = "Ngày quy đổi (YYYY-MM-DD): số liệu quy về các đơn vị có hiệu lực vào ngày đó.",
        ["format"] = "Định dạng xuất: xlsx (mặc định) hoặc docx.",
        ["source"] = "Nguồn số liệu: snapshot (số liệu chốt, mặc định) hoặc live (trực tiếp).",
        ["unread"] = "true: chỉ thông báo chưa đọc.",
        ["channel"] = "Kênh gửi để lọc: email hoặc webhook.",
        ["noticeId"] = "Mã thông báo để lọc.",
        ["action"] = "Loại thao tác để lọc, ví dụ user.created.",
        ["actor"] = "Người thực hiện để lọc (tên đăng nhập).",
        ["subject"] = "Đối tượng của thao tác để lọc.",
        ["service"] = "Dịch vụ ghi nhận thao tác để lọc: identity, plan, reporting, classification, notification.",
        ["active"] = "true: chỉ tài khoản đang hoạt động; false: chỉ tài khoản đã vô hiệu hoá.",
    };

    /// <summary>What each group of operations (its tag) is about.</summary>
    static readonly Dictionary<string, string> Tags = new()
    {
        ["Users"] = "Tài khoản người dùng và nhật ký kiểm tra.",
        ["Tình trạng hệ thống"] = "Tình trạng của dịch vụ, và qua cổng, của toàn nền tảng: sẵn sàng, phiên bản, hộp thư đi, thư chết, hàng đợi. Chỉ quản trị viên.",
        ["Thư chết (dead letters)"] = "Thông điệp không xử lý được của dịch vụ (hàng đợi lỗi, hộp thư đi bị tạm giữ): xem và gửi lại. Chỉ quản trị viên.",
        ["Đơn vị"] = "Đơn vị theo ngày hiệu lực, nhập danh sách, lịch sử sáp nhập.",
        ["Kế hoạch"] = "Kế hoạch năm của các cấp: dự thảo, ban hành, thay thế, triển khai xuống cấp dưới.",
        ["Hạn nộp"] = "Hạn nộp báo cáo của từng đơn vị theo kế hoạch các cấp.",
        ["Báo cáo"] = "Báo cáo của đơn vị trong từng kỳ: soạn, nộp, trả lại, duyệt, mở lại.",
        ["Tổng hợp"] = "Số liệu tổng hợp theo cây đơn vị, bản chốt khi khoá sổ, xuất văn bản.",
        ["Danh mục chỉ tiêu"] = "Các chỉ tiêu báo cáo và quy tắc kiểm tra, theo phiên bản.",
        ["Phân loại phong trào"] = "Chấm điểm, xếp loại phong trào và tiêu chuẩn \"An toàn về an ninh, trật tự\" của đơn vị.",
        ["Bảng chấm điểm"] = "Bảng chấm điểm phong trào và ngưỡng xếp loại theo năm.",
        ["Tiêu chuẩn an toàn về ANTT"] = "Bộ tiêu chí xét công nhận \"An toàn về an ninh, trật tự\" theo năm.",
        ["Thông báo"] = "Hộp thư, nhật ký gửi và lịch nhắc hạn.",
        ["Đầu mối nhận thông báo"] = "Địa chỉ thư điện tử và webhook nhận thông báo của từng đơn vị.",
    };

    static readonly Dictionary<string, string> Answers = new()
    {
        ["200"] = "Thành công",
        ["201"] = "Đã tạo",
        ["204"] = "Thành công, không có nội dung trả về",
    };

    public static IServiceCollection AddAntqOpenApi(this IServiceCollection services, IHostEnvironment environment)
    {
        var (title, description) = Services.TryGetValue(environment.ApplicationName, out var known)
            ? known : (environment.ApplicationName, "Dịch vụ của AntqPlatform.");
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = title,
                    Version = "v1",
                    Description = description + "\n\nMọi lỗi trả về `application/problem+json` với `detail` tiếng Việt; lỗi theo từng trường nằm trong `errors`. " +
                        "Nội dung JSON có thành phần mà địa chỉ không nhận bị từ chối (400) và thành phần đó được nêu tên.",
                    License = new OpenApiLicense { Name = "Nội bộ Bộ Công an", Identifier = "LicenseRef-internal" },
                };
                document.Servers = [new OpenApiServer { Url = "/", Description = "Qua cổng (gateway) của nền tảng" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "Mã truy cập do Identity cấp (POST /connect/token), gửi trong tiêu đề Authorization: Bearer …",
                };
                foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                    if (tag.Description is null && tag.Name is { } name && Tags.TryGetValue(name, out var about)) tag.Description = about;
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
                }

                foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
                    if (parameter.Description is null && parameter.Name is { } name && Parameters.TryGetValue(name, out var meaning)) parameter.Description = meaning;
                foreach (var (status, response) in operation.Responses ?? [])
                {
                    if (response is not OpenApiResponse answer) continue;
                    if (Answers.TryGetValue(status, out var text)) answer.Description = text;
                    else if (int.TryParse(status, out var code) && code >= 400) answer.Description = ProblemDetailsDefaults.TitleFor(code);
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>One problem+json answer per status code the endpoint can give.</summary>
    public static TBuilder Problems<TBuilder>(this TBuilder builder, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes) builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        return builder;
    }

    /// <summary>
    /// Documents a body the handler reads itself (a file), in the given media types. Only the document changes: unlike
    /// <c>Accepts</c>, no request is turned away for its content type (scripts send files with none, or text/plain).
    /// </summary>
    public static TBuilder WithFileBody<TBuilder>(this TBuilder builder, string description, params string[] contentTypes) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = description,
                Content = contentTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } }),
            };
            return Task.CompletedTask;
        });

    /// <summary>
    /// Declares the <c>If-Match</c> header that the handler reads itself (the version from the resource's ETag), so that
    /// the document and the clients made from it carry it as a parameter, not only in prose.
    /// </summary>
    public static TBuilder WithIfMatch<TBuilder>(this TBuilder builder, bool required, string description) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = required,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>An example of the JSON body the endpoint takes, shown in the document.</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, object example) where TBuilder : IEndpointConventionBuilder
    {
        var node = JsonSerializer.SerializeToNode(example, JsonSerializerOptions.Web);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody?.Content is { } content)
                foreach (var media in content.Values.OfType<OpenApiMediaType>()) media.Example = node?.DeepClone();
            return Task.CompletedTask;
        });
    }

    /// <summary>An example of the JSON the endpoint answers with <paramref name="status"/>, shown in the document.</summary>
    public static TBuilder WithResponseExample<TBuilder>(this TBuilder builder, int status, object example) where TBuilder : IEndpointConventionBuilder
    {
        var node = JsonSerializer.SerializeToNode(example, JsonSerializerOptions.Web);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true && response.Content is { } content)
                foreach (var media in content.Values.OfType<OpenApiMediaType>()) media.Example = node?.DeepClone();
            return Task.CompletedTask;
        });
    }
}
