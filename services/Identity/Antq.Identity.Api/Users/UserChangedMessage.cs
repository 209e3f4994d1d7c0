using Antq.Contracts.Identity;

namespace Antq.Identity.Api.Users;

static class UserChangedMessage
{
    public static UserChanged From(User user, DateTimeOffset occurredAt) => new()
    {
        UserId = user.Id,
        UserName = user.UserName,
        FullName = user.FullName,
        Role = user.Role,
        OrgUnitCode = user.OrgUnitCode,
        Email = user.Email,
        Active = user.Active,
        OccurredAt = occurredAt,
    };
}
