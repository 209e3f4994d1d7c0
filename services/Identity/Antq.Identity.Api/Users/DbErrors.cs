using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Antq.Identity.Api.Users;

static class DbErrors
{
    /// <summary>The save broke the unique index <paramref name="index"/> (PostgreSQL 23505).</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception, string index) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg
        && pg.ConstraintName == index;
}
