using Antq.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Antq.Reporting.Api.Closing;

/// <summary>
/// The last closings on the status page (<c>closings</c> of <c>GET /api/status</c>): which unit's period closed, at
/// which deadline, when, and how its children stood. A closing long after its deadline says the closing job was down.
/// </summary>
public sealed class ClosingStatus(IServiceScopeFactory scopes) : IStatusSection
{
    public const int Count = 10;

    /// <param name="OrgUnitCode">The unit whose children's period closed.</param>
    /// <param name="DueAt">The children's deadline that passed.</param>
    public sealed record RecentClosing(string OrgUnitCode, string Period, DateTimeOffset DueAt, DateTimeOffset ClosedAt,
        int Expected, int OnTime, int Late, int Missing);

    public string Name => "closings";

    public async Task<IReadOnlyList<object>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportingDbContext>();
        return await db.Closings.AsNoTracking()
            .OrderByDescending(c => c.ClosedAt).Take(Count)
            .Select(c => new RecentClosing(c.OrgUnitCode, c.Period, c.DueAt, c.ClosedAt, c.Expected, c.OnTime, c.Late, c.Missing))
            .ToListAsync(cancellationToken);
    }
}
