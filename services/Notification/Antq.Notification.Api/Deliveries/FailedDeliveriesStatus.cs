using Antq.Notification.Api.Data;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Deliveries;

/// <summary>
/// The last deliveries given up on (<c>failedDeliveries</c> of <c>GET /api/status</c>): the channel, to whom, how many
/// attempts and the last error. A webhook is shown by its host only: its address may carry a token in its path or query.
/// </summary>
public sealed class FailedDeliveriesStatus(IServiceScopeFactory scopes) : IStatusSection
{
    public const int Count = 10;

    public sealed record FailedDelivery(long Id, string Channel, string Recipient, string? OrgUnitCode, string NoticeKind, int Attempts,
        DateTimeOffset? LastAttemptAt, string? LastError);

    public string Name => "failedDeliveries";

    public async Task<IReadOnlyList<object>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationDbContext>();
        var rows = await (from d in db.Set<Delivery>().AsNoTracking()
                          join n in db.Set<Notice>() on d.NoticeId equals n.Id
                          where d.Status == DeliveryStatuses.Failed
                          orderby d.LastAttemptAt descending
                          select new { d.Id, d.Channel, d.Recipient, d.OrgUnitCode, n.Kind, d.Attempts, d.LastAttemptAt, d.LastError })
            .Take(Count).ToListAsync(cancellationToken);
        return rows.Select(r => (object)new FailedDelivery(r.Id, r.Channel, Shown(r.Channel, r.Recipient), r.OrgUnitCode, r.Kind, r.Attempts,
            r.LastAttemptAt, r.LastError is { Length: > 300 } error ? error[..300] + "…" : r.LastError)).ToList();
    }

    static string Shown(string channel, string recipient) =>
        channel == DeliveryChannels.Webhook && Uri.TryCreate(recipient, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/…" : recipient;
}
