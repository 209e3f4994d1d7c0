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

sealed class AccountPreferencesConfiguration : IEntityTypeConfiguration<AccountPreferences>
{
    public void Configure(EntityTypeBuilder<AccountPreferences> preferences)
    {
        preferences.ToTable("account_preferences");
        preferences.HasKey(p => p.UserId);
        preferences.Property(p => p.UserId).ValueGeneratedNever();
        preferences.Property(p => p.QuietHours).HasMaxLength(11);
        preferences.Property(p => p.RemindAt).HasMaxLength(5);
        preferences.Ignore(p => p.RemindAtTime);
        preferences.Ignore(p => p.Quiet);
    }
}
