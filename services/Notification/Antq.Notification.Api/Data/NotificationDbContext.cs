using Antq.Messaging;
using Antq.Notification.Api.Domain;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Data;

public sealed class NotificationDbContext(DbContextOptions<NotificationDbContext> options) : DbContext(options)
{
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
