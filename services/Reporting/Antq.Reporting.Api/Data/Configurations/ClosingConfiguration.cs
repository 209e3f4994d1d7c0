using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Reporting.Api.Data.Configurations;

sealed class PeriodClosingConfiguration : IEntityTypeConfiguration<PeriodClosing>
{
    public void Configure(EntityTypeBuilder<PeriodClosing> closing)
    {
        // Names are explicit: the closing writes with raw SQL (PeriodClosings).
        closing.ToTable("period_closings");
        closing.HasKey(c => c.Id);
        closing.Property(c => c.Id).HasColumnName("id").ValueGeneratedNever();
        closing.Property(c => c.OrgUnitCode).HasColumnName("org_unit_code").HasMaxLength(50);
        closing.Property(c => c.Period).HasColumnName("period").HasMaxLength(10);
        closing.Property(c => c.DueAt).HasColumnName("due_at");
        closing.Property(c => c.ClosedAt).HasColumnName("closed_at");
        closing.Property(c => c.HierarchyDate).HasColumnName("hierarchy_date");
        closing.Property(c => c.CatalogueVersion).HasColumnName("catalogue_version").HasMaxLength(50);
        closing.Property(c => c.Expected).HasColumnName("expected");
        closing.Property(c => c.OnTime).HasColumnName("on_time");
        closing.Property(c => c.Late).HasColumnName("late");
        closing.Property(c => c.Missing).HasColumnName("missing");
        closing.Property(c => c.MissingCodes).HasColumnName("missing_codes").HasColumnType("text[]");
        closing.Property(c => c.ValuesJson).HasColumnName("values").HasColumnType("jsonb");
        // Exactly once per unit and period, whatever the number of replicas.
        closing.HasIndex(c => new { c.OrgUnitCode, c.Period }).IsUnique().HasDatabaseName("ux_period_closings_unit_period");
        closing.HasMany(c => c.Children).WithOne().HasForeignKey(c => c.ClosingId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class ClosingChildConfiguration : IEntityTypeConfiguration<ClosingChild>
{
    public void Configure(EntityTypeBuilder<ClosingChild> child)
    {
        child.ToTable("period_closing_children");
        child.HasKey(c => new { c.ClosingId, c.ChildCode });
        child.Property(c => c.ClosingId).HasColumnName("closing_id");
        child.Property(c => c.ChildCode).HasColumnName("child_code").HasMaxLength(50);
        child.Property(c => c.ChildName).HasColumnName("child_name").HasMaxLength(300);
        child.Property(c => c.Standing).HasColumnName("standing").HasMaxLength(10);
        child.Property(c => c.ReportStatus).HasColumnName("report_status").HasMaxLength(20);
        child.Property(c => c.SubmittedAt).HasColumnName("submitted_at");
        child.Property(c => c.DueAt).HasColumnName("due_at");
        child.Property(c => c.Frozen).HasColumnName("frozen");
        child.Property(c => c.NarrativeJson).HasColumnName("narrative").HasColumnType("jsonb");
        child.Property(c => c.ReopenedAt).HasColumnName("reopened_at");
        child.Property(c => c.ReopenedBy).HasColumnName("reopened_by").HasMaxLength(200);
        child.Property(c => c.ReopenReason).HasColumnName("reopen_reason").HasMaxLength(2000);
        child.HasIndex(c => c.ChildCode);
        child.Ignore(c => c.IsLocked);
    }
}
