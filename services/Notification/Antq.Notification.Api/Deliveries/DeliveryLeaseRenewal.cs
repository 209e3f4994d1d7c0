using Npgsql;

namespace Antq.Notification.Api.Deliveries;

/// <summary>
/// Keeps a claimed batch of deliveries off other replicas while its sender is alive: every third of the lease it pushes
/// the lease of the rows still in flight (status <c>sending</c>, claimed at that moment) one lease further. A sender that
/// dies stops renewing, and its rows are taken again within one lease, not after the longest a batch could take.
/// Its own connection: the sender's context is busy recording results meanwhile.
/// </summary>
public sealed class DeliveryLeaseRenewal : IAsyncDisposable
{
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    DeliveryLeaseRenewal(string connectionString, long[] ids, DateTimeOffset claimedAt, TimeSpan lease, TimeProvider clock, ILogger logger)
    {
        loop = RenewAsync(connectionString, ids, claimedAt, lease, clock, logger, stop.Token);
    }

    public static DeliveryLeaseRenewal Start(string connectionString, long[] ids, DateTimeOffset claimedAt, TimeSpan lease, TimeProvider clock,
        ILogger logger) => new(connectionString, ids, claimedAt, lease, clock, logger);

    static async Task RenewAsync(string connectionString, long[] ids, DateTimeOffset claimedAt, TimeSpan lease, TimeProvider clock,
        ILogger logger, CancellationToken ct)
    {
        var every = lease / 3;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, ct);
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand(
                    "UPDATE deliveries SET next_attempt_at = $1 WHERE id = ANY($2) AND status = 'sending' AND last_attempt_at = $3", connection);
                command.Parameters.AddWithValue(clock.GetUtcNow() + lease);
                command.Parameters.AddWithValue(ids);
                command.Parameters.AddWithValue(claimedAt);
                if (await command.ExecuteNonQueryAsync(ct) == 0) return; // every result is recorded
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be restarting; the next tick tries again (the results wait for it too).
                logger.LogWarning("Lease of {Count} deliveries in flight not renewed: {Error}", ids.Length, ex.GetBaseException().Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}
