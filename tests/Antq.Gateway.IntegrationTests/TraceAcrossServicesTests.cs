using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Antq.Identity.Api.Data;
using Antq.Notification.Api.Data;
using Antq.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Antq.Gateway.IntegrationTests;

/// <summary>
/// The gateway, the Identity service and the Notification service on real sockets, the real broker and real
/// databases: one request's trace must continue through each hop: the gateway, the service that handles it, the
/// outbox and the broker, and the consumer in another service.
/// </summary>
public sealed class TraceAcrossServicesTests : IAsyncLifetime
{
    const string AdminPassword = "Quan-tri-2026-thu";

    readonly SpanCollector collector = new();
    readonly RSA signingKey = RSA.Create(2048);
    TestDatabase identityDb = null!, notificationDb = null!;
    TestVirtualHost vhost = null!;
    ServiceFactory<IdentityDbContext> identity = null!;
    ServiceFactory<NotificationDbContext> notification = null!;
    GatewayFactory gateway = null!;

    public async Task InitializeAsync()
    {
        identityDb = await TestDatabase.CreateAsync("trace-identity");
        notificationDb = await TestDatabase.CreateAsync("trace-notification");
        vhost = await TestVirtualHost.CreateAsync("trace");
        var publicKey = signingKey.ExportSubjectPublicKeyInfoPem();

        identity = new ServiceFactory<IdentityDbContext>("identity", identityDb, vhost);
        identity.Settings["Identity:SigningKeyPem"] = signingKey.ExportPkcs8PrivateKeyPem();
        identity.Settings["Auth:SigningKeyPem"] = publicKey;
        identity.Settings["ANTQ_ADMIN_PASSWORD"] = AdminPassword;
        identity.UseKestrel(0);
        identity.StartServer();

        notification = new ServiceFactory<NotificationDbContext>("notification", notificationDb, vhost);
        notification.Settings["Auth:SigningKeyPem"] = publicKey;
        notification.StartServer();

        // Spans are recorded by one tracer provider; its listeners see every host in this process, and what links
        // the spans into one trace is only what crossed the wire (HTTP headers, message headers).
        gateway = new GatewayFactory(
            new Dictionary<string, string> { ["identity"] = AddressOf(identity.Services) },
            builder =>
            {
                builder.UseSetting("Auth:SigningKeyPem", publicKey);
                builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(
                    tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(collector))));
            });
    }

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        await notification.DisposeAsync();
        await identity.DisposeAsync();
        await vhost.DisposeAsync();
        await notificationDb.DisposeAsync();
        await identityDb.DisposeAsync();
    }

    [Fact]
    public async Task Creating_a_user_is_one_trace_from_the_gateway_through_the_broker_to_the_notification_service()
    {
        var client = gateway.CreateClient();
        var token = await TokenAsync(client, "admin", AdminPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var created = await client.PostAsJsonAsync("/api/users", new
        {
            username = "xa.nghiason",
            password = "Nghia-Son-2026",
            fullName = "Nguyễn Văn An",
            role = "CommuneOfficer",
            orgUnitCode = "10105",
            email = "an.nv@example.vn",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await Eventually(async () =>
        {
            await using var scope = notification.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            return await db.Recipients.AnyAsync(r => r.UserName == "xa.nghiason" && r.OrgUnitCode == "10105");
        }, "the Notification service never received the new user");

        var root = collector.Spans.Single(s => s.Kind == ActivityKind.Server && s.Parent is null && s.ParentSpanId == default
            && (s.GetTagItem("url.path") as string) == "/api/users" && (s.GetTagItem("http.request.method") as string) == "POST");
        var trace = root.TraceId;

        await Eventually(() => Task.FromResult(collector.Spans.Any(s => s.TraceId == trace && s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer)),
            "no consumer span in the request's trace");
        var inTrace = collector.Spans.Where(s => s.TraceId == trace).ToList();

        // The gateway forwarded the request: its client span is the parent of the Identity service's server span.
        var forward = Assert.Single(inTrace, s => s.Kind == ActivityKind.Client && s.ParentSpanId == root.SpanId);
        Assert.Single(inTrace, s => s.Kind == ActivityKind.Server && s.ParentSpanId == forward.SpanId
            && (s.GetTagItem("url.path") as string) == "/api/users");
        // The outbox published the event as part of the same trace, and the consumer continued it.
        Assert.Contains(inTrace, s => s.Source.Name == "Antq.Messaging" && s.DisplayName.Contains("UserChanged"));
        Assert.Contains(inTrace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
        var consume = inTrace.Where(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer).ToList();
        Assert.Contains(consume, s => s.Tags.Any(t => t.Value?.Contains("UserChanged") == true) || s.DisplayName.Contains("user-changed"));
    }

    static async Task<string> TokenAsync(HttpClient client, string username, string password)
    {
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "antq-cli",
            ["username"] = username,
            ["password"] = password,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("access_token").GetString()!;
    }

    static string AddressOf(IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";

    static async Task Eventually(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }

        Assert.Fail(failure);
    }
}
