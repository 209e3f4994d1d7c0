using System.Collections.Concurrent;
using System.Text.Json;
using Antq.Notification.Api.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Antq.Notification.IntegrationTests.Infrastructure;

/// <summary>One webhook call as the receiver saw it.</summary>
public sealed record WebhookCall(string Path, string? IdempotencyKey, bool SignatureValid, JsonElement Body, int AnsweredStatus);

/// <summary>
/// A webhook receiver on a real loopback port (Kestrel): records every call, checks its signature with the secret of
/// its path, answers 500 to the first calls of a path told to fail, and 307 (a redirect) on a path told to redirect.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<WebhookCall> calls = new();
    readonly ConcurrentDictionary<string, string> secrets = new();
    readonly ConcurrentDictionary<string, int> failuresLeft = new();
    readonly ConcurrentDictionary<string, Func<Task>> holds = new();
    readonly ConcurrentDictionary<string, string> redirects = new();

    WebhookReceiver(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<WebhookCall> Calls => calls.ToList();

    public IReadOnlyList<WebhookCall> CallsTo(string path) => calls.Where(c => c.Path == path).ToList();

    /// <summary>
    /// The URL of <paramref name="path"/>, whose calls are checked against <paramref name="secret"/>; each call is answered
    /// once <paramref name="hold"/> has run (a slow receiver, or one the test lets answer when it chooses).
    /// </summary>
    public string Url(string path, string secret, int failFirst = 0, Func<Task>? hold = null, string? redirectTo = null)
    {
        if (redirectTo is not null) redirects[path] = redirectTo;
        secrets[path] = secret;
        failuresLeft[path] = failFirst;
        holds[path] = hold ?? (() => Task.CompletedTask);
        return BaseUrl + path;
    }

    /// <summary>Starts a receiver on a free port of <paramref name="address"/> (any of 127.0.0.0/8 is loopback on Linux).</summary>
    public static async Task<WebhookReceiver> StartAsync(string address = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{address}:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", (Delegate)receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    async Task<IResult> ReceiveAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var path = http.Request.Path.Value ?? "";
        if (holds.TryGetValue(path, out var hold)) await hold();
        var valid = secrets.TryGetValue(path, out var secret) &&
                    WebhookSignature.Verify(bytes, secret, http.Request.Headers[WebhookSignature.Header].ToString(), DateTimeOffset.UtcNow);
        var status = redirects.ContainsKey(path) ? 307 : TakeFailure(path) ? 500 : 200;
        calls.Enqueue(new WebhookCall(path, http.Request.Headers["Idempotency-Key"].ToString(), valid,
            JsonDocument.Parse(bytes).RootElement.Clone(), status));
        return status == 307 ? Results.Redirect(redirects[path], preserveMethod: true) : Results.StatusCode(status);
    }

    bool TakeFailure(string path)
    {
        lock (failuresLeft)
        {
            if (!failuresLeft.TryGetValue(path, out var left) || left <= 0) return false;
            failuresLeft[path] = left - 1;
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
