using Antq.Messaging;
using MassTransit;
using Antq.Identity.Api.Data;
using Antq.ServiceDefaults;

namespace Antq.Identity.Api;

/// <summary>The Identity service's own wiring: Users, roles, unit scopes and token issuing (OpenID Connect).</summary>
public static class IdentityServiceExtensions
{
    public static IHostApplicationBuilder AddIdentityServices(this IHostApplicationBuilder builder)
    {
        builder.AddAntqDbContext<IdentityDbContext>("identity");
        builder.Services.AddAntqOutbox<IdentityDbContext>(builder.Configuration);
        builder.AddAntqBus(bus => bus.AddConsumers(typeof(IdentityServiceExtensions).Assembly));
        return builder;
    }

    public static WebApplication MapIdentityApi(this WebApplication app)
    {
        return app;
    }
}
