using Antq.Contracts.Audit;
using Antq.Identity.Api.Data;
using Antq.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Identity.Api.Audit;

/// <summary>
/// Writes another service's administrative act into the platform's audit trail, once: the inbox skips a redelivery,
/// and the act's id is the entry's, so even the same act published twice is one line.
/// </summary>
public sealed class AdministrativeActPerformedConsumer(IdentityDbContext db) : IConsumer<AdministrativeActPerformed>
{
    public Task Consume(ConsumeContext<AdministrativeActPerformed> context) =>
        db.HandleOnceAsync<AdministrativeActPerformedConsumer>(context, async ct =>
        {
            if (await db.AuditEntries.AnyAsync(e => e.Id == context.Message.Id, ct)) return;
            db.AuditEntries.Add(AuditEntry.From(context.Message));
        });
}
