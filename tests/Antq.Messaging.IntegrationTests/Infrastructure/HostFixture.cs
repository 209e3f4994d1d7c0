using Antq.Testing;

namespace Antq.Messaging.IntegrationTests.Infrastructure;

/// <summary>A test class's own database, virtual host and host; subclasses say how the host differs.</summary>
public abstract class HostFixture(string label) : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;

    public MessagingHost Host { get; private set; } = null!;

    protected virtual void Configure(MessagingHostOptions options) { }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(label);
        VirtualHost = await TestVirtualHost.CreateAsync(label);
        Host = await MessagingHost.StartAsync(Database, VirtualHost, Configure);
    }

    public async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
        if (VirtualHost is not null) await VirtualHost.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}
