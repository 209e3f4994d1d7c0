using Antq.Messaging;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Data;

public sealed class ReportingDbContext(DbContextOptions<ReportingDbContext> options) : DbContext(options)
{
    public DbSet<PublishedCatalogue> Catalogues => Set<PublishedCatalogue>();

    public DbSet<Report> Reports => Set<Report>();

    public DbSet<ReportValue> ReportValues => Set<ReportValue>();

    public DbSet<ReportChange> ReportChanges => Set<ReportChange>();

    public DbSet<RollupCellShard> RollupCellShards => Set<RollupCellShard>();

    public DbSet<Deadline> Deadlines => Set<Deadline>();

    public DbSet<ClassCounts.ClassificationCount> ClassificationCounts => Set<ClassCounts.ClassificationCount>();

    public DbSet<PeriodClosing> Closings => Set<PeriodClosing>();

    public DbSet<ClosingChild> ClosingChildren => Set<ClosingChild>();

    public DbSet<PlanTargetCopy> PlanTargets => Set<PlanTargetCopy>();

    public DbSet<UnitTreeVersion> Units => Set<UnitTreeVersion>();

    public DbSet<UnitLineage> Lineage => Set<UnitLineage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddUnitTree();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ReportingDbContext).Assembly);
    }
}
