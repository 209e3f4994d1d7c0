using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Distributed;

namespace Antq.Portal.Auth;

/// <summary>
/// Keeps the session (principal and tokens) on the server; the browser's cookie holds only a random key. The cache is
/// in memory on one machine: for a portal without a database of its own (one replica). Given one, the portal keeps its
/// sessions there instead (<see cref="DatabaseTicketStore"/>).
/// </summary>
public sealed class DistributedTicketStore(IDistributedCache cache) : ITicketStore
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(10);
    const string Prefix = "antq-portal-session:";

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) =>
        cache.SetAsync(Prefix + key, TicketSerializer.Default.Serialize(ticket),
            new DistributedCacheEntryOptions { SlidingExpiration = Lifetime });

    public async Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        await cache.GetAsync(Prefix + key) is { } bytes ? TicketSerializer.Default.Deserialize(bytes) : null;

    public Task RemoveAsync(string key) => cache.RemoveAsync(Prefix + key);
}
