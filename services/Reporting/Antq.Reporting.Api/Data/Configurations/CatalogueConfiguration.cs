using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Reporting.Api.Data.Configurations;

sealed class PublishedCatalogueConfiguration : IEntityTypeConfiguration<PublishedCatalogue>
{
    public void Configure(EntityTypeBuilder<PublishedCatalogue> catalogue)
    {
        catalogue.ToTable("catalogue_versions");
        catalogue.HasKey(c => c.Version);
        catalogue.Property(c => c.Version).HasMaxLength(50);
        catalogue.Property(c => c.Sequence).UseIdentityAlwaysColumn();
        catalogue.HasIndex(c => c.Sequence).IsUnique();
        catalogue.Property(c => c.Json).HasColumnType("jsonb");
        catalogue.Property(c => c.PublishedBy).HasMaxLength(200);
    }
}
