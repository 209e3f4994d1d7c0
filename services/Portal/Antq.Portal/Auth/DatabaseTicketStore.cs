using Antq.Portal.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Antq.Portal.Auth;

/// <summary>
/// The sessions in the portal's database, so that every replica finds the session whose key the browser's cookie holds:
/// a person whose replica stops stays signed in on the next one. The ticket holds the person's tokens (the refresh token
/// too), so it is stored encrypted with the portal's Data Protection keys, which the replicas share through the same
/// database. Expired sessions are removed as new ones are stored.
/// </summary>
public sealed class DatabaseTicketStore(IServiceScopeFactory scopes, IDataProtectionProvider protection) : ITicketStore
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(10);
    readonly IDataProtector protector = protection.CreateProtector("Antq.Portal.Sessions");
    // The wall clock, not the platform's business clock (which local mode may shift): a session's life is real time.
    readonly TimeProvider clock = TimeProvider.System;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = clock.GetUtcNow();
        await db.Sessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync();
        db.Sessions.Add(new PortalSession { Key = key, Ticket = Protect(ticket), ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var ticketBytes = Protect(ticket);
        var expiresAt = clock.GetUtcNow() + Lifetime;
        var updated = await db.Sessions.Where(s => s.Key == key)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.Ticket, ticketBytes).SetProperty(s => s.ExpiresAt, expiresAt));
        if (updated == 0)
        {
            db.Sessions.Add(new PortalSession { Key = key, Ticket = ticketBytes, ExpiresAt = expiresAt });
            try { await db.SaveChangesAsync(); }
            catch (DbUpdateException) { /* another replica renewed it at the same moment: its row stands */ }
        }
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = clock.GetUtcNow();
        var ticket = await db.Sessions.AsNoTracking().Where(s => s.Key == key && s.ExpiresAt > now).Select(s => s.Ticket).FirstOrDefaultAsync();
        if (ticket is null) return null;
        try { return TicketSerializer.Default.Deserialize(protector.Unprotect(ticket)); }
        catch (System.Security.Cryptography.CryptographicException) { return null; } // a key ring that lost its key: the person signs in again
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Sessions.Where(s => s.Key == key).ExecuteDeleteAsync();
    }

    byte[] Protect(AuthenticationTicket ticket) => protector.Protect(TicketSerializer.Default.Serialize(ticket));
}
