using System.Security.Claims;
using Antq.Portal;
using Antq.Portal.Data;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Portal.Tests;

/// <summary>
/// Two portal replicas given the same database share what a person's browser carries between them: a cookie one
/// replica encrypted is read by the other, and the session it points at is found there (so the person stays signed in
/// when their replica stops). Against the test PostgreSQL server, on a database of its own.
/// </summary>
public sealed class SharedStateTests : IAsyncLifetime
{
    TestDatabase database = null!;
    readonly List<WebApplication> replicas = [];

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync("portalstate");
        var first = Replica();
        await using var scope = first.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in replicas) await replica.DisposeAsync();
        await database.DisposeAsync();
    }

    WebApplication Replica()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Antq.Portal" });
        builder.Configuration["ConnectionStrings:portal"] = database.ConnectionString;
        builder.Configuration["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/none";
        builder.AddServiceDefaults();
        builder.AddPortalServices();
        var app = builder.Build();
        replicas.Add(app);
        return app;
    }

    [Fact]
    public async Task A_session_stored_by_one_replica_is_found_by_another_and_ends_on_both()
    {
        var (first, second) = (replicas[0], Replica());
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(AntqClaims.Name, "Nguyễn Văn A")], "test")),
            new AuthenticationProperties(new Dictionary<string, string?> { [".Token.refresh_token"] = "r0" }), CookieAuthenticationDefaults.AuthenticationScheme);

        var key = await first.Services.GetRequiredService<ITicketStore>().StoreAsync(ticket);
        var found = await second.Services.GetRequiredService<ITicketStore>().RetrieveAsync(key);

        Assert.NotNull(found);
        Assert.Equal("Nguyễn Văn A", found.Principal.FindFirst(AntqClaims.Name)?.Value);
        Assert.Equal("r0", found.Properties.GetTokenValue("refresh_token"));

        // Stored encrypted: the person's refresh token is not in the database as it is.
        await using (var scope = first.Services.CreateAsyncScope())
        {
            var stored = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Sessions.SingleAsync(s => s.Key == key);
            Assert.DoesNotContain("Nguy", System.Text.Encoding.UTF8.GetString(stored.Ticket));
        }

        await second.Services.GetRequiredService<ITicketStore>().RemoveAsync(key);
        Assert.Null(await first.Services.GetRequiredService<ITicketStore>().RetrieveAsync(key));
    }

    [Fact]
    public async Task What_one_replica_protects_the_other_unprotects_with_the_one_key_ring_in_the_database()
    {
        var (first, second) = (replicas[0], Replica());
        var secret = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("phiên đăng nhập");

        Assert.Equal("phiên đăng nhập", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(secret));
        await using var scope = first.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().DataProtectionKeys.CountAsync());
    }
}
