using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Antq.Identity.Api.Data.Configurations;

sealed class SignInLockoutConfiguration : IEntityTypeConfiguration<SignInLockout>
{
    public void Configure(EntityTypeBuilder<SignInLockout> lockout)
    {
        lockout.ToTable("sign_in_lockouts");
        // The key is what the counting statement upserts on (INSERT … ON CONFLICT (user_id, address)).
        lockout.HasKey(l => new { l.UserId, l.Address });
        lockout.Property(l => l.Address).HasMaxLength(SignInLockout.MaxAddressLength);
        lockout.HasOne<User>().WithMany(u => u.Lockouts).HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
