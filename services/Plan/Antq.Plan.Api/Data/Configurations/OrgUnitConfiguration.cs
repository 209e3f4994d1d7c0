using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Plan.Api.Data.Configurations;

sealed class OrgUnitConfiguration : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> unit)
    {
        unit.ToTable("org_units");
        unit.HasKey(u => u.Id);
        unit.Property(u => u.Id).ValueGeneratedNever();
        unit.Property(u => u.Code).HasMaxLength(50);
        unit.Property(u => u.Name).HasMaxLength(300);
        unit.Property(u => u.NormalizedName).HasMaxLength(300);
        unit.Property(u => u.Kind).HasConversion<string>().HasMaxLength(30);
        unit.Property(u => u.CommuneKind).HasConversion<string>().HasMaxLength(20);
        unit.Property(u => u.ParentCode).HasMaxLength(50);
        unit.HasIndex(u => new { u.Code, u.ValidFrom });
        unit.HasIndex(u => new { u.ParentCode, u.ValidFrom });
        unit.HasIndex(u => u.ChangeSequence);
    }
}

sealed class OrgUnitPredecessorConfiguration : IEntityTypeConfiguration<OrgUnitPredecessor>
{
    public void Configure(EntityTypeBuilder<OrgUnitPredecessor> link)
    {
        link.ToTable("org_unit_predecessors");
        link.HasKey(l => new { l.SuccessorId, l.PredecessorId });
        link.HasIndex(l => l.PredecessorId);
        link.HasOne<OrgUnit>().WithMany().HasForeignKey(l => l.SuccessorId).OnDelete(DeleteBehavior.Cascade);
        link.HasOne<OrgUnit>().WithMany().HasForeignKey(l => l.PredecessorId).OnDelete(DeleteBehavior.Cascade);
    }
}
