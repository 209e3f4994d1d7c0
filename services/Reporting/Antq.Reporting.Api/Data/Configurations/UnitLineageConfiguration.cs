using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Reporting.Api.Data.Configurations;

sealed class UnitLineageConfiguration : IEntityTypeConfiguration<UnitLineage>
{
    public void Configure(EntityTypeBuilder<UnitLineage> link)
    {
        // Names are explicit: the consumer writes with raw SQL.
        link.ToTable("unit_lineage");
        link.HasKey(l => new { l.SuccessorCode, l.SuccessorValidFrom, l.PredecessorCode });
        link.Property(l => l.SuccessorCode).HasColumnName("successor_code").HasMaxLength(50);
        link.Property(l => l.SuccessorValidFrom).HasColumnName("successor_valid_from");
        link.Property(l => l.PredecessorCode).HasColumnName("predecessor_code").HasMaxLength(50);
        link.Property(l => l.Partial).HasColumnName("partial");
    }
}
