using System.Reflection;
using Antq.Messaging;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Antq.ServiceDefaults;

/// <summary>
/// A part of the status page that only one service knows (Reporting's last closings, Notification's last failed
/// deliveries): registered as a singleton by the service, read on each <c>GET /api/status/self</c>, and lifted by the
/// gateway to the top of <c>GET /api/status</c> under <see cref="Name"/>.
/// </summary>
public interface IStatusSection
{
    /// <summary>The section's key in the answer (camelCase, e.g. <c>closings</c>).</summary>
    string Name { get; }

    /// <summary>A short list, newest first, serialised as it is.</summary>
    Task<IReadOnlyList<object>> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One service's own status for administrators (role <c>Admin</c>): <c>GET /api/status/self</c> answers its readiness
/// (the checks of <c>/health/ready</c>), its version and commit, its outbox backlog with the age of the oldest unsent
/// row, its dead letters, its queues on the broker and its own sections (<see cref="IStatusSection"/>). Each part is
/// read on its own: a part that fails (the broker's management API away, say) is named in <c>problems</c> and the
/// others are still answered. The gateway asks every service and merges the answers (<c>GET /api/status</c>).
/// </summary>
public static class ServiceStatusEndpoints
{
    public const string Path = "/api/status/self";

    /// <summary>The service's version as built: the informational version, and the commit after its '+' where the build knew it.</summary>
    public sealed record BuildVersion(string? Version, string? Commit);

    /// <param name="Ready">Whether <c>/health/ready</c> would answer 200 (healthy or degraded): its database and the broker answer.</param>
    /// <param name="Checks">Each readiness check's status (Healthy, Degraded, Unhealthy).</param>
    /// <param name="DeadLetters">Messages in this service's <c>_error</c> queues plus its parked outbox rows; null when it has no bus or they could not be counted.</param>
    /// <param name="Queues">This service's queues on the broker; null when it has no bus or the management API did not answer.</param>
    /// <param name="Problems">The parts that could not be read, in Vietnamese.</param>
    public sealed record ServiceStatus(
        string Service, string? Version, string? Commit, DateTimeOffset StartedAt, DateTimeOffset CheckedAt,
        bool Ready, IReadOnlyDictionary<string, string> Checks,
        IReadOnlyList<OutboxStatus> Outboxes, long? DeadLetters, IReadOnlyList<BrokerQueue>? Queues,
        IReadOnlyDictionary<string, IReadOnlyList<object>> Sections, IReadOnlyList<string> Problems);

    /// <param name="OldestUnsentAgeSeconds">How long the oldest waiting row has waited, on the platform's clock.</param>
    public sealed record OutboxStatus(string Outbox, long Unsent, long Parked, DateTimeOffset? OldestUnsentAt, double? OldestUnsentAgeSeconds);

    static readonly DateTimeOffset StartedAt = DateTimeOffset.UtcNow;

    /// <summary>The version of <paramref name="assembly"/> (the application's, not this library's).</summary>
    public static BuildVersion VersionOf(Assembly? assembly)
    {
        var informational = assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly?.GetName().Version?.ToString();
        if (informational is null) return new BuildVersion(null, null);
        var plus = informational.IndexOf('+');
        return plus < 0 ? new BuildVersion(informational, null) : new BuildVersion(informational[..plus], informational[(plus + 1)..]);
    }

    /// <summary>The application's own assembly, by the host's application name.</summary>
    public static Assembly? ApplicationAssembly(IHostEnvironment environment)
    {
        try { return Assembly.Load(new AssemblyName(environment.ApplicationName)); }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException) { return Assembly.GetEntryAssembly(); }
    }

    public static IEndpointRouteBuilder MapAntqServiceStatus(this IEndpointRouteBuilder app)
    {
        var service = Bus.ShortName(app.ServiceProvider.GetRequiredService<IHostEnvironment>().ApplicationName);
        var name = char.ToUpperInvariant(service[0]) + service[1..];

        app.MapGet(Path, async (IServiceProvider services, CancellationToken cancellationToken) => TypedResults.Ok(await ReadSelfAsync(services, cancellationToken)))
            // The bearer token whatever the process's default scheme (the portal's is its cookie): the gateway asks with the caller's token.
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(AntqRoles.Admin))
            .WithTags("Tình trạng hệ thống")
            .WithName($"get{name}Status")
            .WithSummary("Tình trạng của dịch vụ (quản trị)")
            .WithDescription("Tình trạng của riêng dịch vụ này: sẵn sàng hay không (cơ sở dữ liệu, máy chủ thông điệp), phiên bản, hộp thư đi chưa gửi và tuổi của thông điệp cũ nhất, số thư chết, các hàng đợi của dịch vụ trên máy chủ thông điệp, và các mục riêng (kỳ khóa sổ gần nhất, lần gửi thông báo thất bại gần nhất). Cổng gộp tình trạng mọi dịch vụ ở `GET /api/status`. Chỉ quản trị viên.")
            .Problems(401, 403);
        return app;
    }

    /// <summary>This process's status, as <c>GET /api/status/self</c> answers it (the gateway reads its own this way).</summary>
    public static Task<ServiceStatus> ReadSelfAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var environment = services.GetRequiredService<IHostEnvironment>();
        return ReadAsync(Bus.ShortName(environment.ApplicationName), VersionOf(ApplicationAssembly(environment)), services,
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILoggerFactory>().CreateLogger("Antq.ServiceDefaults.ServiceStatus"),
            cancellationToken);
    }

    static async Task<ServiceStatus> ReadAsync(string service, BuildVersion version, IServiceProvider services, TimeProvider clock,
        ILogger logger, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var now = clock.GetUtcNow();

        // Readiness: the same checks as /health/ready.
        var health = await services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Tags.Contains("live") || r.Tags.Contains(ServiceDefaultsExtensions.ReadyTag), cancellationToken);
        var checks = health.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString());

        var outboxes = new List<OutboxStatus>();
        foreach (var backlog in services.GetServices<IOutboxBacklog>())
        {
            try
            {
                var figures = await backlog.ReadAsync(cancellationToken);
                outboxes.Add(new OutboxStatus(figures.Outbox, figures.Unsent, figures.Parked, figures.OldestUnsentAt,
                    figures.OldestUnsentAt is { } oldest ? Math.Max(0, Math.Round((now - oldest).TotalSeconds, 1)) : null));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Status: the outbox backlog of {Service} could not be read", service);
                problems.Add("Không đọc được hộp thư đi (cơ sở dữ liệu không phản hồi).");
            }
        }

        IReadOnlyList<BrokerQueue>? queues = null;
        if (services.GetService<BrokerQueues>() is { } broker)
        {
            try { queues = await broker.ReadAsync(cancellationToken); }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Status: the broker's management API at {Url} did not answer", broker.ManagementUrl);
                problems.Add($"Không đọc được hàng đợi từ API quản trị của máy chủ thông điệp ({broker.ManagementUrl}); kiểm tra thiết lập Bus:ManagementUrl.");
            }
        }

        // Dead letters: the _error queues' messages (from the management API, cheap) and the parked rows; without the
        // management API, the dead-letter book walks the _error queues itself.
        long? deadLetters = null;
        if (services.GetService<DeadLetterBook>() is { } book)
        {
            if (queues is not null && outboxes.Count == services.GetServices<IOutboxBacklog>().Count())
            {
                deadLetters = queues.Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal)).Sum(q => q.Ready + q.Unacknowledged)
                    + outboxes.Sum(o => o.Parked);
            }
            else
            {
                try { deadLetters = (await book.ListAsync(cancellationToken)).Count; }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Status: the dead letters of {Service} could not be counted", service);
                    problems.Add("Không đếm được thư chết.");
                }
            }
        }

        var sections = new Dictionary<string, IReadOnlyList<object>>();
        foreach (var section in services.GetServices<IStatusSection>())
        {
            try { sections[section.Name] = await section.ReadAsync(cancellationToken); }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Status: section {Section} of {Service} could not be read", section.Name, service);
                problems.Add($"Không đọc được mục '{section.Name}'.");
            }
        }

        return new ServiceStatus(service, version.Version, version.Commit, StartedAt, now, health.Status != HealthStatus.Unhealthy, checks,
            outboxes, deadLetters, queues, sections, problems);
    }
}
