using Antq.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Antq.Plan.Api.Data;

public sealed class PlanDbContext(DbContextOptions<PlanDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddOutboxAndInbox();
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PlanDbContext).Assembly);
    }
}
