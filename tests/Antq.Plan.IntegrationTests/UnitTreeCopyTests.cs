using Antq.Plan.Api.Data;
using Antq.Reporting.Api.Data;
using Antq.Testing;
using Antq.UnitTree;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Antq.Plan.IntegrationTests;

/// <summary>The Reporting service's copy of the tree, fed over the real broker, against the Plan service's own.</summary>
[Collection(UnitTreeCollection.Name)]
public sealed class UnitTreeCopyTests(UnitTreeFixture fixture, ITestOutputHelper output)
{
    sealed record Row(Guid Id, string Code, string Name, string Kind, string? ParentCode, DateOnly ValidFrom, DateOnly? ValidTo);

    async Task<List<Row>> PlanRowsAsync()
    {
        await using var scope = fixture.Plan.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlanDbContext>();
        var units = await db.OrgUnits.AsNoTracking().ToListAsync();
        return [.. units.Select(u => new Row(u.Id, u.Code, u.Name, u.Kind.ToString(), u.ParentCode, u.ValidFrom, u.ValidTo)).OrderBy(r => r.Id)];
    }

    static async Task<List<Row>> CopyRowsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        var units = await db.Set<UnitTreeVersion>().AsNoTracking().ToListAsync();
        return [.. units.Select(u => new Row(u.Id, u.Code, u.Name, u.Kind, u.ParentCode, u.ValidFrom, u.ValidTo)).OrderBy(r => r.Id)];
    }

    async Task<bool> MatchesWithinAsync(IServiceProvider copy, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var plan = await PlanRowsAsync();
            var rows = await CopyRowsAsync(copy);
            if (rows.Count == plan.Count && rows.SequenceEqual(plan)) return true;
            output.WriteLine($"copy has {rows.Count} of {plan.Count} versions");
            await Task.Delay(500);
        }

        return false;
    }

    [Fact]
    public async Task Reportings_copy_matches_the_plan_services_tree_after_the_imports()
    {
        Assert.True(await MatchesWithinAsync(fixture.Reporting.Services, TimeSpan.FromSeconds(60)), "Reporting's copy never matched the Plan service's tree");

        await using var scope = fixture.Reporting.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        Assert.Equal(166, (await db.ChildrenAsOfAsync("38", new DateOnly(2026, 1, 1))).Count);
        Assert.All(await db.ChildrenAsOfAsync("38", new DateOnly(2025, 6, 1)), c => Assert.Equal("District", c.Kind));
        Assert.Equal(["BCA", "01", "001"], (await db.AncestorsAsOfAsync("00004", new DateOnly(2025, 6, 1))).Select(a => a.Code));
        Assert.Equal(["BCA", "01"], (await db.AncestorsAsOfAsync("00004", new DateOnly(2026, 1, 1))).Select(a => a.Code));
    }

    [Fact]
    public async Task A_service_that_starts_after_the_imports_catches_up_by_asking_for_a_replay()
    {
        // Its own queue (another endpoint prefix) did not exist when the imports were published.
        await using var database = await TestDatabase.CreateAsync("rep-late");
        await using var late = new ServiceFactory<ReportingDbContext>("reporting", database, fixture.VirtualHost);
        late.Settings["Bus:EndpointPrefix"] = "reporting-late";
        Assert.True(await MatchesWithinAsync(late.Services, TimeSpan.FromSeconds(90)), "the late copy never caught up");
    }
}
