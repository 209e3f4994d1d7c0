using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Notification.Api.Data.Configurations;

sealed class DigestConfiguration : IEntityTypeConfiguration<Digest>
{
    public void Configure(EntityTypeBuilder<Digest> digest)
    {
        digest.ToTable("digests");
        digest.HasKey(d => d.Id);
        digest.Property(d => d.Id).UseIdentityAlwaysColumn();
        digest.Property(d => d.AudienceUnitCode).HasMaxLength(50);
        digest.Property(d => d.Recipient).HasMaxLength(254);
        digest.Property(d => d.Status).HasMaxLength(20);
        digest.HasMany(d => d.Items).WithOne().HasForeignKey(i => i.DigestId);
        // One open digest per unit and address: opening one is INSERT … ON CONFLICT on this index (DigestStore).
        digest.HasIndex(d => new { d.AudienceUnitCode, d.Recipient }).IsUnique().HasFilter("status = 'open'").HasDatabaseName("ux_digests_open");
        // The dispatcher looks only at open digests, by the end of their window.
        digest.HasIndex(d => d.ClosesAt).HasFilter("status = 'open'").HasDatabaseName("ix_digests_open_closes");
    }
}

sealed class DigestItemConfiguration : IEntityTypeConfiguration<DigestItem>
{
    public void Configure(EntityTypeBuilder<DigestItem> item)
    {
        item.ToTable("digest_items");
        item.HasKey(i => new { i.DigestId, i.NoticeId });
        item.Property(i => i.OrgUnitCode).HasMaxLength(50);
        item.Property(i => i.UnitName).HasMaxLength(500);
        item.Property(i => i.Period).HasMaxLength(10);
    }
}
