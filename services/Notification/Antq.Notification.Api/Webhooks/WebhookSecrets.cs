using Antq.Notification.Api.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Webhooks;

/// <summary>
/// Webhook secrets at rest: encrypted with ASP.NET Core Data Protection (AES-256-CBC with HMAC-SHA256), whose key ring
/// is kept in Notification's own database (table <c>data_protection_keys</c>) and shared by its replicas. A stored value
/// is <see cref="Prefix"/> followed by the protected payload; a value without it is a secret written before secrets were
/// encrypted, which <see cref="ProtectLegacyAsync"/> encrypts at start (so a reader meets one only between the migration
/// and that step, and still reads it).
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Prefix = "dp1:";

    readonly IDataProtector protector = provider.CreateProtector("Antq.Notification.WebhookSecret.v1");

    public string Protect(string secret) => Prefix + protector.Protect(secret);

    public string? Unprotect(string? stored) =>
        stored is null ? null : stored.StartsWith(Prefix, StringComparison.Ordinal) ? protector.Unprotect(stored[Prefix.Length..]) : stored;

    /// <summary>As <see cref="Unprotect"/>, but null when the key that encrypted it is gone: that unit's webhook fails, no other.</summary>
    public string? TryUnprotect(string? stored)
    {
        try { return Unprotect(stored); }
        catch (System.Security.Cryptography.CryptographicException) { return null; }
    }

    /// <summary>Encrypts every secret still stored in plain text; returns how many.</summary>
    public async Task<int> ProtectLegacyAsync(NotificationDbContext db, CancellationToken ct)
    {
        var legacy = await db.Set<ContactPoint>()
            .Where(c => c.ProtectedWebhookSecret != null && !c.ProtectedWebhookSecret.StartsWith(Prefix))
            .ToListAsync(ct);
        foreach (var contact in legacy) contact.ProtectedWebhookSecret = Protect(contact.ProtectedWebhookSecret!);
        await db.SaveChangesAsync(ct);
        return legacy.Count;
    }
}

/// <summary>At start, after the migrations: encrypts the webhook secrets an older version stored in plain text.</summary>
sealed class ProtectLegacyWebhookSecrets(IServiceScopeFactory scopes, ILogger<ProtectLegacyWebhookSecrets> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var count = await services.GetRequiredService<WebhookSecrets>().ProtectLegacyAsync(services.GetRequiredService<NotificationDbContext>(), cancellationToken);
        if (count > 0) logger.LogInformation("Encrypted {Count} webhook secrets stored in plain text", count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
