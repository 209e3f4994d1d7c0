using System.Net;
using Antq.Portal;
using Antq.ServiceDefaults;
using Antq.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Antq.Portal.Tests;

/// <summary>
/// An address the portal does not have answers 404 with the portal's own Vietnamese page, in its layout, with a way
/// home; a bare status other than 404 is left as it was. The portal on a socket, its bus on a virtual host of the test broker.
/// </summary>
public sealed class NotFoundPageTests : IAsyncLifetime
{
    TestVirtualHost vhost = null!;
    WebApplication portal = null!;
    HttpClient client = null!;

    public async Task InitializeAsync()
    {
        vhost = await TestVirtualHost.CreateAsync("portal404");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Antq.Portal" });
        builder.Configuration["ConnectionStrings:rabbitmq"] = vhost.AmqpUri;
        builder.Configuration["Bus:ManagementUrl"] = TestEnvironment.RabbitApi;
        builder.Configuration["ANTQ_MODE"] = "local";
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.AddPortalServices();
        portal = builder.Build();
        portal.MapDefaultEndpoints();
        portal.MapPortal();
        await portal.StartAsync();
        var address = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        if (portal is not null) await portal.DisposeAsync();
        if (vhost is not null) await vhost.DisposeAsync();
    }

    [Theory]
    [InlineData("/khong-co-trang-nay")]
    [InlineData("/bao-cao/2026-Y/khong-co")]
    public async Task An_unknown_address_answers_404_with_a_vietnamese_page_in_the_portal_layout_and_a_link_home(string path)
    {
        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Không tìm thấy trang</h1>", html);
        Assert.Contains("<title>Không tìm thấy trang – Hệ thống báo cáo ANTQ</title>", html);
        Assert.Contains("data-test=\"not-found-home\"", html);
        Assert.Contains("href=\"/\"", html);
        Assert.Contains("class=\"topbar\"", html); // the portal's layout: its header and footer around the page
        Assert.Contains("Bộ Công an", html);
    }

    [Fact]
    public async Task A_bare_status_other_than_404_is_not_turned_into_the_not_found_page()
    {
        // The home page exists, but not for this method: a bare 405 stays a 405, without the not-found page.
        using var response = await client.DeleteAsync("/");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.DoesNotContain("Không tìm thấy trang", await response.Content.ReadAsStringAsync());
    }
}
