using Antq.Contracts.Identity;
using Antq.Identity.Api.Data;
using Antq.Identity.Api.Data.Configurations;
using Antq.Messaging;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Antq.Identity.Api.Users;

/// <summary>
/// At start, after the migrations: registers the two clients (or brings their addresses up to date) and creates the
/// <c>admin</c> account when it is missing. Safe with several replicas starting together: the unique indexes on the
/// client id and the user name decide, and the loser carries on.
/// </summary>
sealed class IdentitySeed(
    IServiceProvider services,
    IConfiguration configuration,
    IOptions<AdminAccountOptions> admin,
    TimeProvider clock,
    ILogger<IdentitySeed> logger) : IHostedService
{
    public const string CliClientId = "antq-cli";
    public const string PortalClientId = "antq-portal";
    public const string DefaultPortalRedirectUri = "http://127.0.0.1:8080/signin-oidc";
    public const string DefaultPortalPostLogoutRedirectUri = "http://127.0.0.1:8080/";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Fail now, with the reason, rather than at the first token request.
        _ = services.GetRequiredService<TokenKeys>();

        await using var scope = services.CreateAsyncScope();
        await RegisterClientAsync(CliClient(), cancellationToken);
        await RegisterClientAsync(PortalClient(), cancellationToken);

        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();
        await EnsureAdminAsync(db, hasher, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    static OpenIddictApplicationDescriptor CliClient() => new()
    {
        ClientId = CliClientId,
        ClientType = ClientTypes.Public,
        ApplicationType = ApplicationTypes.Native,
        DisplayName = "Công cụ dòng lệnh ANTQ",
        Permissions =
        {
            Permissions.Endpoints.Token,
            Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.Password,
            Permissions.GrantTypes.RefreshToken,
            Permissions.Scopes.Profile,
            Permissions.Scopes.Email,
            Permissions.Scopes.Roles,
        },
    };

    OpenIddictApplicationDescriptor PortalClient()
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = PortalClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Web,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Cổng thông tin ANTQ",
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Scopes.Roles,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };

        foreach (var uri in UriList("Identity:PortalRedirectUris", DefaultPortalRedirectUri))
            descriptor.RedirectUris.Add(uri);
        foreach (var uri in UriList("Identity:PortalPostLogoutRedirectUris", DefaultPortalPostLogoutRedirectUri))
            descriptor.PostLogoutRedirectUris.Add(uri);
        return descriptor;
    }

    /// <summary>A list setting, either as an array section or as one value separated by ';' or ',' (handy in environment variables).</summary>
    IEnumerable<Uri> UriList(string key, string fallback)
    {
        var values = configuration.GetSection(key).Get<string[]>() is { Length: > 0 } array
            ? array
            : (configuration[key] ?? fallback).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return values.Select(value => Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException($"{key} holds '{value}', which is not an absolute URI."));
    }

    async Task RegisterClientAsync(OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A fresh scope each attempt: after a lost race the old context would hand back the stale entity again.
            await using var attemptScope = services.CreateAsyncScope();
            var applications = attemptScope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            try
            {
                var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
                if (existing is null)
                {
                    await applications.CreateAsync(descriptor, cancellationToken);
                    logger.LogInformation("Registered client {ClientId}", descriptor.ClientId);
                }
                else
                {
                    // Settings such as the portal's addresses may have changed since the last start.
                    await applications.UpdateAsync(existing, descriptor, cancellationToken);
                }

                return;
            }
            catch (Exception ex) when (attempt < 5 && ex is DbUpdateException or OpenIddictExceptions.ConcurrencyException)
            {
                // Another replica registered or updated the same client at the same moment; look again.
                logger.LogDebug(ex, "Client {ClientId} changed concurrently; retrying", descriptor.ClientId);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(50, 250) * attempt), cancellationToken);
            }
        }
    }

    async Task EnsureAdminAsync(IdentityDbContext db, IPasswordHasher<User> hasher, CancellationToken cancellationToken)
    {
        var normalized = User.Normalize(AdminAccountOptions.UserName);
        if (await db.Users.AnyAsync(u => u.NormalizedUserName == normalized, cancellationToken)) return;

        var now = clock.GetUtcNow();
        var user = new User
        {
            Id = Guid.CreateVersion7(),
            UserName = AdminAccountOptions.UserName,
            NormalizedUserName = normalized,
            PasswordHash = "",
            FullName = AdminAccountOptions.FullName,
            Role = Antq.ServiceDefaults.AntqRoles.Admin,
            OrgUnitCode = AdminAccountOptions.OrgUnitCode,
            Active = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = hasher.HashPassword(user, admin.Value.Password!);
        db.Users.Add(user);
        db.AddOutboxMessage(UserChangedMessage.From(user, now), clock);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Created the {UserName} account", user.UserName);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation(UserConfiguration.UniqueUserNameIndex))
        {
            // Another replica created it first.
        }
    }
}
