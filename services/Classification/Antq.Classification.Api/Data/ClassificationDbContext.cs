using Antq.Messaging;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;

namespace Antq.Classification.Api.Data;

public sealed class ClassificationDbContext(DbContextOptions<ClassificationDbContext> options) : DbContext(options)
{
    public DbSet<ScoreSheetVersion> ScoreSheets => Set<ScoreSheetVersion>();
    public DbSet<SafeStandardVersion> SafeStandards => Set<SafeStandardVersion>();
    public DbSet<Evaluation> Evaluations => Set<Evaluation>();
    public DbSet<SafeStandardResult> SafeResults => Set<SafeStandardResult>();
    public DbSet<AnnualReportValues> AnnualReports => Set<AnnualReportValues>();
    public DbSet<PlanTarget> PlanTargets => Set<PlanTarget>();
    public DbSet<TargetAttainment> TargetAttainments => Set<TargetAttainment>();
    public DbSet<PublishedCounts> PublishedCounts => Set<PublishedCounts>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.AddUnitTree();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ClassificationDbContext).Assembly);
    }
}
