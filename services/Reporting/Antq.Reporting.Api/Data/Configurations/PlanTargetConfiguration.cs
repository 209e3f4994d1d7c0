using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Reporting.Api.Data.Configurations;

sealed class PlanTargetConfiguration : IEntityTypeConfiguration<PlanTargetCopy>
{
    public void Configure(EntityTypeBuilder<PlanTargetCopy> target)
    {
        target.ToTable("plan_targets");
        target.HasKey(t => new { t.PlanId, t.Indicator });
        target.Property(t => t.Indicator).HasMaxLength(100);
        target.Property(t => t.PlanNumber).HasMaxLength(100);
        target.Property(t => t.IssuerCode).HasMaxLength(50);
        target.Property(t => t.Comparator).HasMaxLength(2);
        target.Property(t => t.Scope).HasMaxLength(20);
        target.HasIndex(t => new { t.IssuerCode, t.Year });
    }
}
