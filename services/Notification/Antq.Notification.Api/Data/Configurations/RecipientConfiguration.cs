using Antq.Notification.Api.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Notification.Api.Data.Configurations;

sealed class RecipientConfiguration : IEntityTypeConfiguration<Recipient>
{
    public void Configure(EntityTypeBuilder<Recipient> recipient)
    {
        recipient.HasKey(r => r.UserId);
        recipient.Property(r => r.UserName).HasMaxLength(50);
        recipient.Property(r => r.FullName).HasMaxLength(200);
        recipient.Property(r => r.Role).HasMaxLength(30);
        recipient.Property(r => r.OrgUnitCode).HasMaxLength(20);
        recipient.Property(r => r.Email).HasMaxLength(254);
        recipient.HasIndex(r => new { r.OrgUnitCode, r.Role });
    }
}
