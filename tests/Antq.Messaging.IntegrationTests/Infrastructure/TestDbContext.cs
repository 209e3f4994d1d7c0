using Microsoft.EntityFrameworkCore;

namespace Antq.Messaging.IntegrationTests.Infrastructure;

/// <summary>A service's context in miniature: a small domain, plus the outbox and inbox tables every service carries.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public DbSet<Report> Reports => Set<Report>();

    public DbSet<Counter> Counters => Set<Counter>();

    public DbSet<Note> Notes => Set<Note>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.Entity<Report>().HasKey(r => r.Id);
        modelBuilder.Entity<Counter>().HasKey(c => c.Key);
        modelBuilder.Entity<Note>().HasKey(n => n.Id);
    }
}

/// <summary>The state change a message announces.</summary>
public sealed class Report
{
    public Guid Id { get; set; }

    public required string Title { get; set; }
}

/// <summary>The effect of an inbox consumer: applied twice, the value shows it.</summary>
public sealed class Counter
{
    public required string Key { get; set; }

    public int Value { get; set; }
}

/// <summary>What a consumer writes after catching a handler's failure.</summary>
public sealed class Note
{
    public Guid Id { get; set; }

    public required string Text { get; set; }
}
