using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Antq.Messaging.IntegrationTests.Infrastructure;
using Antq.ServiceDefaults;
using Antq.Testing;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Antq.Messaging.IntegrationTests;

/// <summary>A web service wired as the platform's are (service defaults, database, outbox, bus), in process.</summary>
public sealed class DeadLetterApiFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public WebApplication App { get; private set; } = null!;

    public Deliveries Deliveries { get; } = new();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("deadletterapi");
        VirtualHost = await TestVirtualHost.CreateAsync("deadletterapi");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "Antq.Messaging.IntegrationTests", EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = Database.ConnectionString,
            ["ConnectionStrings:rabbitmq"] = VirtualHost.AmqpUri,
            ["Database:MigrateOnStart"] = "false",
            ["Bus:EndpointPrefix"] = MessagingHost.EndpointPrefix,
            ["Auth:SigningKeyPem"] = TestTokens.PublicKeyPem,
            ["ANTQ_MODE"] = "local",
        });
        builder.AddServiceDefaults();
        builder.Services.AddSingleton(Deliveries);
        builder.AddAntqDbContext<TestDbContext>("messaging");
        builder.Services.AddAntqOutbox<TestDbContext>(builder.Configuration);
        builder.AddAntqBus(bus => bus.AddConsumer<CounterConsumer, CounterConsumerDefinition>());
        App = builder.Build();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().Database.EnsureCreatedAsync();
        }

        App.MapDefaultEndpoints();
        await App.StartAsync();
        await App.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
    }

    public HttpClient ClientAs(string? role)
    {
        var client = App.GetTestClient();
        if (role is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue("nguoi.thu", role, "38"));
        return client;
    }

    public async Task DisposeAsync()
    {
        if (App is not null) { await App.StopAsync(); await App.DisposeAsync(); }
        if (VirtualHost is not null) await VirtualHost.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}

public sealed class DeadLetterApiTests(DeadLetterApiFixture fixture) : IClassFixture<DeadLetterApiFixture>
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Administrators_list_a_poison_message_and_redrive_it_others_may_not()
    {
        var id = NewId.NextGuid();
        await fixture.App.Services.GetRequiredService<IBus>().Publish(new CounterIncremented { Key = "api", FailAttempts = 6 }, c => c.MessageId = id);
        await Eventually.UntilAsync(async () => await fixture.VirtualHost.DepthAsync("test-counter_error") == 1, Deadline, "the message reaches _error");

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.ClientAs(null).GetAsync("/api/dead-letters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.ClientAs(AntqRoles.ProvinceOfficer).GetAsync("/api/dead-letters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.ClientAs(AntqRoles.ProvinceOfficer).PostAsync($"/api/dead-letters/test:queue:test-counter:{id}/redrive", null)).StatusCode);

        var admin = fixture.ClientAs(AntqRoles.Admin);
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/dead-letters");
        var letter = Assert.Single(list.EnumerateArray(), l => l.GetProperty("messageId").GetString() == id.ToString());
        Assert.Equal($"test:queue:test-counter:{id}", letter.GetProperty("id").GetString());
        Assert.Equal("test-counter_error", letter.GetProperty("where").GetString());
        Assert.Equal("CounterIncremented", letter.GetProperty("messageType").GetString());
        Assert.Contains("Planned failure for api", letter.GetProperty("reason").GetString());
        Assert.True(letter.GetProperty("since").TryGetDateTimeOffset(out _));

        using var missing = await admin.PostAsync($"/api/dead-letters/test:queue:test-counter:{Guid.NewGuid()}/redrive", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Không có thư chết", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        using var redrive = await admin.PostAsync($"/api/dead-letters/{Uri.EscapeDataString(letter.GetProperty("id").GetString()!)}/redrive", null);
        Assert.Equal(HttpStatusCode.OK, redrive.StatusCode);
        Assert.Equal(1, (await redrive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redriven").GetInt32());

        await Eventually.UntilAsync(async () =>
        {
            await using var scope = fixture.App.Services.CreateAsyncScope();
            var counter = await scope.ServiceProvider.GetRequiredService<TestDbContext>().Counters.AsNoTracking().SingleOrDefaultAsync(c => c.Key == "api");
            return counter?.Value == 1;
        }, Deadline, "the redriven message is consumed");
        Assert.Equal(0u, await fixture.VirtualHost.DepthAsync("test-counter_error"));
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/api/dead-letters")).GetArrayLength());
    }
}
