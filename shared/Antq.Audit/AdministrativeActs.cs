using Antq.Contracts.Audit;
using Antq.Messaging;
using Antq.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Antq.Audit;

/// <summary>
/// Records an administrative act for the platform's audit trail: an <see cref="AdministrativeActPerformed"/> in the
/// outbox of the context that makes the act, so it commits with the act or not at all (a refused or failed act leaves
/// nothing). Call it before the <c>SaveChanges</c> (inside the transaction) that commits the act.
/// </summary>
public static class AdministrativeActs
{
    public static AdministrativeActPerformed AddAdministrativeAct(this DbContext db, HttpContext http, string action, string subject,
        string? detail, TimeProvider clock)
    {
        var user = http.User;
        var act = new AdministrativeActPerformed
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            Service = Bus.ShortName(db.GetType().Assembly.GetName().Name ?? "?"),
            Actor = user.UserName() ?? user.UserId() ?? "?",
            Action = action,
            Subject = subject,
            Detail = detail,
            Address = http.Connection.RemoteIpAddress?.ToString(),
            OccurredAt = clock.GetUtcNow(),
        };
        db.AddOutboxMessage(act, clock);
        return act;
    }

    /// <summary>
    /// Runs <paramref name="act"/> in a transaction (which the act's own writers join), then records it as
    /// <paramref name="describe"/> says from its outcome, and commits both. An act that throws leaves nothing.
    /// </summary>
    public static async Task<T> PerformAdministrativeActAsync<T>(this DbContext db, HttpContext http, TimeProvider clock,
        Func<CancellationToken, Task<T>> act, Func<T, (string Action, string Subject, string? Detail)> describe, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await act(ct);
        var (action, subject, detail) = describe(outcome);
        db.AddAdministrativeAct(http, action, subject, detail, clock);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return outcome;
    }
}
