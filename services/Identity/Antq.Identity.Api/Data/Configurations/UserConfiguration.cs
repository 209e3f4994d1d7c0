using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Identity.Api.Data.Configurations;

sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public const string UniqueUserNameIndex = "ix_users_normalized_user_name";

    public void Configure(EntityTypeBuilder<User> user)
    {
        user.ToTable("users");
        user.HasKey(u => u.Id);
        user.Property(u => u.Id).ValueGeneratedNever();
        user.Property(u => u.UserName).HasMaxLength(50);
        user.Property(u => u.NormalizedUserName).HasMaxLength(50);
        // Replicas that seed the admin at the same time, and two administrators creating the same name, meet here.
        user.HasIndex(u => u.NormalizedUserName).IsUnique().HasDatabaseName(UniqueUserNameIndex);
        user.Property(u => u.PasswordHash).HasMaxLength(200);
        user.Property(u => u.FullName).HasMaxLength(UserRules.MaxFullNameLength);
        user.Property(u => u.Role).HasMaxLength(30);
        user.Property(u => u.OrgUnitCode).HasMaxLength(50);
        user.HasIndex(u => u.OrgUnitCode);
        user.Property(u => u.Email).HasMaxLength(UserRules.MaxEmailLength);
    }
}
