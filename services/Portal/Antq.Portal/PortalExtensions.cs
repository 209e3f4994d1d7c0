using Antq.Calendar;
using Microsoft.AspNetCore.Diagnostics;
using Antq.Portal.Api;
using Antq.Portal.Auth;
using Antq.Portal.Components;
using Antq.Portal.Formatting;
using Antq.Portal.Live;

namespace Antq.Portal;

/// <summary>The web UI. It owns no data: every page calls the public API through the gateway with the user's token.</summary>
public static class PortalExtensions
{
    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        // Blazor's script and the stylesheet are static web assets. Run from a build output (deploy/antq, tests) in any
        // environment, they are found through the build's manifest; a published app has none and serves wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            // A plan pasted whole (tens of kilobytes of Vietnamese text) travels in one message.
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = 2 * 1024 * 1024);
        builder.Services.AddAntiforgery();
        builder.AddPortalAuthentication();
        builder.Services.AddDataWindow(builder.Configuration);
        builder.Services.AddSingleton<ReportingSeason>();
        builder.AddLiveUpdates();
        builder.Services.AddHttpClient<AntqApiClient>(client =>
        {
            client.BaseAddress = new Uri(PortalAuthentication.ApiBaseAddress(builder.Configuration));
            client.Timeout = TimeSpan.FromSeconds(60);
        });
        builder.Services.LoadKeysAfterMigrations();
        return builder;
    }

    /// <summary>Where a bare 404 is shown: the portal's own page, in its layout, the status kept.</summary>
    public const string NotFoundPath = "/khong-tim-thay";

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute(NotFoundPath, createScopeForStatusCodePages: true);
        app.Use(async (context, next) =>
        {
            await next(context);
            // Only an address that leads nowhere gets that page; any other bare status (a refused form) stays as it is.
            if (context.Response.StatusCode != StatusCodes.Status404NotFound && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
        });
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapPortalAuthentication();
        app.MapDownloads();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
