using Antq.Messaging;
using Antq.UnitTree;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Data;

public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>The Data Protection key ring that encrypts webhook secrets (<see cref="Webhooks.WebhookSecrets"/>), shared by the replicas.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Recipient> Recipients => Set<Recipient>();

    public DbSet<DueReport> DueReports => Set<DueReport>();

    public DbSet<PlanReminderSettings> PlanReminderSettings => Set<PlanReminderSettings>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddUnitTree();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NotificationDbContext).Assembly);
    }
}
