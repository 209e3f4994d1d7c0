using Antq.Contracts.Reporting;
using Antq.Notification.Api.Deliveries;
using Antq.Notification.IntegrationTests.Infrastructure;
using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.IntegrationTests;

/// <summary>A world whose delivery lease (2 s) is far shorter than a slow receiver takes to answer.</summary>
public sealed class ShortLeaseWorld : NotificationWorld
{
    protected override void Configure(NotificationService service)
    {
        base.Configure(service);
        service.Settings["Notification:Dispatcher:DeliveryLease"] = "00:00:02";
        service.Settings["Notification:Dispatcher:SendTimeout"] = "00:00:15";
        // The other replica looks for work often, as a survivor would: nothing but the lease keeps it off a delivery in flight.
        service.Settings["Notification:Dispatcher:PollInterval"] = "00:00:00.200";
    }
}

/// <summary>The lease on a delivery in flight: kept while its sender lives, so another replica never sends it too.</summary>
public sealed class LeaseTests(ShortLeaseWorld world) : IClassFixture<ShortLeaseWorld>
{
    const string Province = "48";

    [Fact]
    public async Task A_delivery_that_takes_longer_than_its_lease_is_sent_once_while_another_replica_looks_for_work()
    {
        await using var replica = await world.StartReplicaAsync();
        await world.UnitsAsync(Province, "Thành phố Đà Nẵng", ("20194", "Phường Hải Châu"));
        await world.UserAsync("cb.haichau", AntqRoles.CommuneOfficer, "20194");
        await world.WaitForCopiesAsync(units: 2, users: 1);
        // The receiver answers after 5 s: two and a half leases. Without renewal the other replica would take the
        // delivery after 2 s and call the webhook a second time.
        await world.PutContactPointAsync("20194", new
        {
            webhookUrl = world.Webhooks.Url("/hook/haichau", "khoa-bi-mat-hai-chau", hold: () => Task.Delay(TimeSpan.FromSeconds(5))),
            webhookSecret = "khoa-bi-mat-hai-chau",
        });

        await world.PublishAsync(new ReportAccepted
        {
            ReportId = Guid.NewGuid(), OrgUnitCode = "20194", ReportsToCode = Province, Period = "2026-H1", AcceptedBy = "pv01.danang",
            OccurredAt = world.Clock.GetUtcNow(),
        });

        var delivered = await Eventually.UntilAsync(
            () => world.InDbAsync(db => db.Set<Delivery>().Where(d => d.Channel == DeliveryChannels.Webhook && d.OrgUnitCode == "20194").ToListAsync()),
            d => d.Count == 1 && d[0].Status == DeliveryStatuses.Delivered, "the slow webhook delivered", TimeSpan.FromSeconds(40));
        await Task.Delay(TimeSpan.FromSeconds(3)); // both replicas look again after the result

        var calls = world.Webhooks.CallsTo("/hook/haichau");
        Assert.Single(calls);
        Assert.Equal(1, delivered[0].Attempts);
        Assert.True(calls[0].SignatureValid);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DatabaseRestarts
{
    /// <summary>Tests that stop the local PostgreSQL server: they run alone, after the others of this project.</summary>
    public const string Name = "database restarts";
}

/// <summary>A result that arrives while the database is down is recorded when it is back, and nothing is sent twice.</summary>
[Collection(DatabaseRestarts.Name)]
public sealed class DatabaseRestartTests(ShortLeaseWorld world) : IClassFixture<ShortLeaseWorld>
{
    [Fact]
    public async Task A_webhook_answered_while_postgresql_is_down_is_recorded_once_it_is_back_and_never_called_again()
    {
        await world.UnitsAsync("49", "Tỉnh Quảng Ngãi", ("21010", "Phường Trương Quang Trọng"));
        await world.UserAsync("cb.tqt", AntqRoles.CommuneOfficer, "21010");
        await world.WaitForCopiesAsync(units: 2, users: 1);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await world.PutContactPointAsync("21010", new
        {
            webhookUrl = world.Webhooks.Url("/hook/tqt", "khoa-bi-mat-tqt-2026", hold: async () => { arrived.TrySetResult(); await answer.Task; }),
            webhookSecret = "khoa-bi-mat-tqt-2026",
        });
        await world.PublishAsync(new ReportAccepted
        {
            ReportId = Guid.NewGuid(), OrgUnitCode = "21010", ReportsToCode = "49", Period = "2026-Y", AcceptedBy = "pv01.quangngai",
            OccurredAt = world.Clock.GetUtcNow(),
        });
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The call is in flight; the database goes away, then the receiver answers: the result has nowhere to go.
        await Antq.Testing.LocalServers.StopPostgresAsync();
        try
        {
            answer.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(4)); // two leases: long enough for a lost result to be taken up again
        }
        finally
        {
            await Antq.Testing.LocalServers.StartPostgresAsync();
        }

        var delivery = await Eventually.UntilAsync(
            () => world.InDbAsync(db => db.Set<Delivery>().SingleAsync(d => d.Channel == DeliveryChannels.Webhook && d.OrgUnitCode == "21010")),
            d => d.Status == DeliveryStatuses.Delivered, "the webhook's result recorded after the restart", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3)); // more than a lease: a result left unrecorded would have been sent again

        Assert.Single(world.Webhooks.CallsTo("/hook/tqt"));
        Assert.Equal(1, delivery.Attempts);
    }
}
