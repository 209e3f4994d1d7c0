using Antq.Calendar;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Plan.Api.Data.Configurations;

sealed class MovementPlanConfiguration : IEntityTypeConfiguration<MovementPlan>
{
    public void Configure(EntityTypeBuilder<MovementPlan> plan)
    {
        plan.ToTable("plans");
        plan.HasKey(p => p.Id);
        plan.Property(p => p.Id).ValueGeneratedNever();
        plan.Property(p => p.Number).HasMaxLength(100);
        plan.Property(p => p.Title).HasMaxLength(1000);
        plan.Property(p => p.IssuerCode).HasMaxLength(50);
        plan.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        plan.Property(p => p.CreatedBy).HasMaxLength(100);
        plan.Property(p => p.IssuedBy).HasMaxLength(100);
        plan.Ignore(p => p.ReminderPolicy);
        plan.HasIndex(p => new { p.IssuerCode, p.Year, p.Status });
        plan.HasIndex(p => new { p.Year, p.Status });
        plan.HasIndex(p => p.ParentPlanId);
        plan.HasIndex(p => p.SupersedesId);

        // Deadlines are a table of their own: the chain reads them for a whole year at once, set-based.
        plan.OwnsMany(p => p.Deadlines, deadline =>
        {
            deadline.ToTable("plan_deadlines");
            deadline.WithOwner().HasForeignKey("PlanId");
            deadline.Property<Guid>("PlanId");
            deadline.HasKey("PlanId", nameof(PlanDeadline.Period));
            deadline.Property(d => d.Period).HasMaxLength(10);
            // PostgreSQL keeps instants in UTC; users read them at +07:00.
            deadline.Property(d => d.DueAt).HasConversion(v => v.ToUniversalTime(), v => v.ToVietnam());
        });
        plan.Navigation(p => p.Deadlines).AutoInclude();

        plan.ComplexCollection(p => p.Targets, target => target.ToJson());
        plan.ComplexCollection(p => p.Tasks, task => task.ToJson());
    }
}

sealed class UnitDeadlineRecordConfiguration : IEntityTypeConfiguration<UnitDeadlineRecord>
{
    public void Configure(EntityTypeBuilder<UnitDeadlineRecord> deadline)
    {
        deadline.ToTable("unit_deadlines");
        deadline.HasKey(d => new { d.OrgUnitCode, d.Period });
        deadline.Property(d => d.OrgUnitCode).HasMaxLength(50);
        deadline.Property(d => d.Period).HasMaxLength(10);
        deadline.Property(d => d.ReportsToCode).HasMaxLength(50);
        deadline.HasIndex(d => new { d.Period, d.PlanId });
    }
}
