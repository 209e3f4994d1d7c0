using Antq.Contracts.Identity;
using Antq.Messaging;
using Antq.Notification.Api.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Antq.Notification.Api.Recipients;

/// <summary>Keeps the recipients copy in step with the Identity service's users.</summary>
public sealed class UserChangedConsumer(NotificationDbContext db, ILogger<UserChangedConsumer> logger) : IConsumer<UserChanged>
{
    /// <summary>The copy's rows as the Identity service keys them, for healing (<c>Copies</c>): by user, versioned by a hash of what is kept.</summary>
    public const string CopyRows = "SELECT user_id::text AS key, " + Antq.Messaging.Copies.CopyNames.RecipientVersion + " AS version FROM recipients";

    public async Task Consume(ConsumeContext<UserChanged> context)
    {
        var change = context.Message;
        await db.HandleOnceAsync<UserChangedConsumer>(context, async cancellationToken =>
        {
            var recipient = await db.Recipients.FindAsync([change.UserId], cancellationToken);
            if (recipient is null)
            {
                recipient = new Recipient
                {
                    UserId = change.UserId,
                    UserName = change.UserName,
                    FullName = change.FullName,
                    Role = change.Role,
                    OrgUnitCode = change.OrgUnitCode,
                    ChangedAt = DateTimeOffset.MinValue,
                };
                db.Recipients.Add(recipient);
            }

            if (!recipient.Apply(change.UserName, change.FullName, change.Role, change.OrgUnitCode, change.Email, change.Active, change.OccurredAt))
            {
                logger.LogInformation("Ignored an older change of user {UserName}", change.UserName);
            }
        });
    }
}
