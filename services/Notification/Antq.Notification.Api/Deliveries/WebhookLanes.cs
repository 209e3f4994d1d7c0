using System.Collections.Concurrent;
using Antq.Notification.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Antq.Notification.Api.Deliveries;

/// <summary>
/// One lane per webhook endpoint being sent to in this replica: the endpoint's claimed deliveries go in order, each
/// request cut off after <c>Notification:Webhooks:Timeout</c>, each result recorded (in the lane's own scope) as soon as
/// it is known, the claim's lease renewed while the lane lives. The dispatching loop hands a lane its deliveries and goes
/// on: a slow or dead endpoint holds up only its own deliveries, and while its lane runs the loops claim nothing more for
/// it (<see cref="Busy"/>). After a failure the rest of the lane fails with it, and the endpoint's other waiting
/// deliveries wait for the same retry (<see cref="DeliveryResults"/>): a dead endpoint is asked once per back-off step.
/// At most <c>Notification:Webhooks:MaxConcurrentEndpoints</c> lanes send at once; the others wait their turn.
/// </summary>
public sealed class WebhookLanes(IServiceScopeFactory scopes, WebhookChannel webhook, DispatchSignals signals, TimeProvider clock,
    IOptions<NotificationOptions> options, ILogger<WebhookLanes> logger)
{
    readonly ConcurrentDictionary<string, int> busy = new();
    readonly ConcurrentDictionary<Task, bool> running = new();
    readonly SemaphoreSlim slots = new(Math.Max(1, options.Value.Webhooks.MaxConcurrentEndpoints));

    /// <summary>The endpoints this replica is sending to now.</summary>
    public string[] Busy => [.. busy.Where(e => e.Value > 0).Select(e => e.Key)];

    /// <summary>Starts a lane for <paramref name="endpoint"/> with its claimed deliveries (not tracked by any context).</summary>
    public void Start(string endpoint, IReadOnlyList<Outgoing> items)
    {
        busy.AddOrUpdate(endpoint, 1, (_, n) => n + 1);
        var lane = Task.Run(() => RunAsync(endpoint, items));
        running[lane] = true;
        _ = lane.ContinueWith(done => running.TryRemove(done, out _), TaskScheduler.Default);
    }

    /// <summary>Waits for the lanes still sending (a stopping host: what went out is recorded before it goes).</summary>
    public Task DrainAsync() => Task.WhenAll(running.Keys);

    async Task RunAsync(string endpoint, IReadOnlyList<Outgoing> items)
    {
        var settings = options.Value;
        // The lane's results are its own: they wake no loop; its end does, once (below).
        using (signals.Quiet())
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
            foreach (var item in items) db.Attach(item.Delivery);
            // Renewed from the start: a lane waiting for a free slot keeps its claim too.
            await using var renewal = DeliveryLeaseRenewal.Start(db.Database.GetConnectionString()!, items.Select(i => i.Delivery.Id).ToArray(),
                items[0].Delivery.LastAttemptAt!.Value, settings.Dispatcher.DeliveryLease, clock, logger);
            await slots.WaitAsync();
            try
            {
                // A bound on the whole lane, past which its rows are left to the lease (and tried again with the same key).
                using var timeout = new CancellationTokenSource(settings.Webhooks.Timeout * (items.Count + 1));
                string? failed = null;
                foreach (var item in items)
                {
                    var error = failed is null
                        ? await webhook.SendAsync(item, timeout.Token)
                        : $"Không gửi: lần gửi trước tới cùng địa chỉ vừa lỗi ({failed})";
                    failed ??= error;
                    await DeliveryResults.RecordAsync(db, item.Delivery, error, settings.Dispatcher, clock, logger);
                }
            }
            finally
            {
                slots.Release();
            }
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Webhook lane of {Endpoint} stopped; its deliveries are taken up again when their lease runs out", endpoint);
        }
        finally
        {
            busy.AddOrUpdate(endpoint, 0, (_, n) => n - 1);
            busy.TryRemove(KeyValuePair.Create(endpoint, 0));
            // The endpoint is free: a loop that left its waiting deliveries alone looks again.
            signals.Deliveries.Notify();
        }
    }
}
