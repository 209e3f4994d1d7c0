using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Reporting.Api.Data.Configurations;

sealed class RollupCellShardConfiguration : IEntityTypeConfiguration<RollupCellShard>
{
    public void Configure(EntityTypeBuilder<RollupCellShard> cell)
    {
        // Names are explicit: cells are written with raw SQL (RollupCells).
        cell.ToTable("rollup_cells");
        // Period first: one index serves the reads of some units of a period, a period's rebuild and its deletion.
        cell.HasKey(c => new { c.Period, c.OrgUnitCode, c.Shard });
        cell.Property(c => c.Shard).HasColumnName("shard");
        cell.Property(c => c.OrgUnitCode).HasColumnName("org_unit_code").HasMaxLength(50);
        cell.Property(c => c.Period).HasColumnName("period").HasMaxLength(10);
        cell.Property(c => c.Indicators).HasColumnName("indicators");
        cell.Property(c => c.Sums).HasColumnName("sums");
        cell.Property(c => c.Reports).HasColumnName("reports");
    }
}

sealed class DeadlineConfiguration : IEntityTypeConfiguration<Deadline>
{
    public void Configure(EntityTypeBuilder<Deadline> deadline)
    {
        // Names are explicit: the consumer writes with raw SQL.
        deadline.ToTable("unit_deadlines");
        deadline.HasKey(d => new { d.OrgUnitCode, d.Period });
        deadline.Property(d => d.OrgUnitCode).HasColumnName("org_unit_code").HasMaxLength(50);
        deadline.Property(d => d.Period).HasColumnName("period").HasMaxLength(10);
        deadline.Property(d => d.ReportsToCode).HasColumnName("reports_to_code").HasMaxLength(50);
        deadline.Property(d => d.DueAt).HasColumnName("due_at");
        deadline.Property(d => d.PlanId).HasColumnName("plan_id");
        deadline.Property(d => d.Derived).HasColumnName("derived");
        deadline.Property(d => d.Sequence).HasColumnName("sequence");
    }
}
