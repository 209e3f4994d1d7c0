using System.Net.Sockets;
using Npgsql;

namespace Antq.Messaging;

/// <summary>
/// Whether a failure is the infrastructure's (a database, broker or remote service unreachable, restarting or
/// overloaded) rather than the message's own. An infrastructure failure says nothing about the message: a consumer
/// keeps it in its queue and tries again later (<see cref="ConsumerOutageGuard"/>), the outbox dispatcher does not count
/// it towards parking a row. Anything else (validation, a bug, a body that does not deserialize) is the message's own.
/// </summary>
public static class TransientFailure
{
    public static bool IsTransient(Exception exception) => !RefusedByBroker(exception, 0) && IsTransient(exception, 0);

    /// <summary>
    /// The broker answered about this very message: a negative confirm or a return (<c>PublishException</c>, which
    /// MassTransit wraps in a connection exception), or a channel closed for what was sent (too large, no such
    /// exchange, not allowed: 403, 404, 405, 406, 530, 540). A channel or connection closed for any other reason is an outage.
    /// </summary>
    static bool RefusedByBroker(Exception? exception, int depth) => exception is not null && depth <= 8 && exception switch
    {
        RabbitMQ.Client.Exceptions.PublishException => true,
        RabbitMQ.Client.Exceptions.OperationInterruptedException { ShutdownReason.ReplyCode: 403 or 404 or 405 or 406 or 530 or 540 } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(e => RefusedByBroker(e, depth + 1)),
        _ => RefusedByBroker(exception.InnerException, depth + 1),
    };

    static bool IsTransient(Exception? exception, int depth)
    {
        if (exception is null || depth > 8) return false;
        switch (exception)
        {
            case PostgresException postgres when IsUnavailable(postgres):
            case NpgsqlException { IsTransient: true } and not PostgresException:
            case SocketException:
            case TimeoutException:
            case MassTransit.RequestTimeoutException:
            case MassTransit.TransportUnavailableException:
            case MassTransit.ConnectionException:
            case RabbitMQ.Client.Exceptions.OperationInterruptedException:
            case RabbitMQ.Client.Exceptions.BrokerUnreachableException:
            case RabbitMQ.Client.Exceptions.ConnectFailureException:
            case HttpRequestException { StatusCode: null }:
                return true;
            case PostgresException:
                // A statement PostgreSQL refused for what it is (a constraint, a bug): the message's own.
                return false;
            case AggregateException aggregate:
                return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => IsTransient(e, depth + 1));
            default:
                // EF's DbUpdateException, its retry strategy's exceptions and other wrappers say what happened underneath.
                return IsTransient(exception.InnerException, depth + 1);
        }
    }

    /// <summary>
    /// PostgreSQL cannot serve anybody for now: a connection problem (08), the server starting, stopping or restarting
    /// (57P0x), out of resources (53), a system error (58), a transaction to run again (40001, 40P01), a lock or object
    /// busy (55P03, 55006), or the database refusing connections (<c>ALTER DATABASE … ALLOW_CONNECTIONS false</c>: 55000
    /// with that text; Npgsql counts every 55000 as transient, a misused sequence included, which would hold a
    /// message forever).
    /// </summary>
    static bool IsUnavailable(PostgresException postgres) =>
        postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
        || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("58", StringComparison.Ordinal)
        || postgres.SqlState is "40001" or "40P01" or "55P03" or "55006"
        || (postgres.SqlState == "55000" && postgres.MessageText.Contains("accepting connections", StringComparison.OrdinalIgnoreCase));
}
