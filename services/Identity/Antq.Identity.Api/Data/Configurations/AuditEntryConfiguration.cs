using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Identity.Api.Data.Configurations;

sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("audit_entries");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.Id).ValueGeneratedNever();
        entry.Property(e => e.Actor).HasMaxLength(100);
        entry.Property(e => e.Action).HasMaxLength(AuditEntry.MaxActionLength);
        entry.Property(e => e.Subject).HasMaxLength(100);
        entry.Property(e => e.Detail).HasMaxLength(500);
        entry.Property(e => e.Address).HasMaxLength(64);
        entry.Property(e => e.Service).HasMaxLength(30).HasDefaultValue(AuditEntry.ThisService);
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => new { e.Service, e.At });
        entry.HasIndex(e => new { e.Action, e.At });
    }
}
