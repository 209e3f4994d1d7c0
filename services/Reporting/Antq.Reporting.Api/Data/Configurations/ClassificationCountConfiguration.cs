using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Reporting.Api.Data.Configurations;

sealed class ClassificationCountConfiguration : IEntityTypeConfiguration<ClassificationCount>
{
    public void Configure(EntityTypeBuilder<ClassificationCount> count)
    {
        count.ToTable("classification_counts");
        count.HasKey(c => new { c.OrgUnitCode, c.Period });
        count.Property(c => c.OrgUnitCode).HasMaxLength(40);
        count.Property(c => c.Period).HasMaxLength(7);
    }
}
