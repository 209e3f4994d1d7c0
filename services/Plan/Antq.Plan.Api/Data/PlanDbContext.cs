using Antq.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Antq.Plan.Api.Data;

public sealed class PlanDbContext(DbContextOptions<PlanDbContext> options) : DbContext(options)
{
    /// <summary>Numbers every change of units; copies of the tree catch up from the last number they applied.</summary>
    public const string ChangeSequenceName = "org_unit_change_seq";

    /// <summary>Numbers every recomputation of deadlines; copies keep, per unit and period, the highest.</summary>
    public const string DeadlineSequenceName = "deadline_change_seq";

    public DbSet<OrgUnit> OrgUnits => Set<OrgUnit>();

    public DbSet<OrgUnitPredecessor> OrgUnitPredecessors => Set<OrgUnitPredecessor>();

    public DbSet<MovementPlan> Plans => Set<MovementPlan>();

    public DbSet<UnitDeadlineRecord> UnitDeadlines => Set<UnitDeadlineRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.HasSequence<long>(ChangeSequenceName);
        modelBuilder.HasSequence<long>(DeadlineSequenceName);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PlanDbContext).Assembly);
    }
}
