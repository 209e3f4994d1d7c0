using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Antq.Portal.Data;

/// <summary>
/// The portal's own small database, for what its replicas must share and nothing else: the Data Protection key ring
/// (which encrypts the session cookie, the antiforgery tokens and the sign-in's correlation cookies, so that any replica
/// reads what another wrote) and the server-side sessions the cookie points at. The portal still owns no business data:
/// every page reads and writes through the API.
/// </summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<PortalSession> Sessions => Set<PortalSession>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PortalSession>(session =>
        {
            session.ToTable("sessions");
            session.HasKey(s => s.Key);
            session.Property(s => s.Key).HasMaxLength(64);
            session.HasIndex(s => s.ExpiresAt);
        });
    }
}

/// <summary>One signed-in session: the authentication ticket (principal and tokens), encrypted with Data Protection.</summary>
public sealed class PortalSession
{
    public required string Key { get; init; }

    public required byte[] Ticket { get; set; }

    /// <summary>The session ends when it has not been used for the cookie's sliding lifetime.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
