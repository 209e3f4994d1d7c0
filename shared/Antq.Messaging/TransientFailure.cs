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
    public static bool IsTransient(Exception exception) => IsTransient(exception, 0);

    static bool IsTransient(Exception? exception, int depth)
    {
        if (exception is null || depth > 8) return false;
        switch (exception)
        {
            case PostgresException postgres when postgres.IsTransient || IsUnavailable(postgres):
            case NpgsqlException { IsTransient: true }:
            case SocketException:
            case TimeoutException:
            case MassTransit.RequestTimeoutException:
            case MassTransit.TransportUnavailableException:
            case MassTransit.ConnectionException:
            case RabbitMQ.Client.Exceptions.OperationInterruptedException { ShutdownReason.ReplyCode: 320 or 501 or 504 or 541 }:
            case RabbitMQ.Client.Exceptions.BrokerUnreachableException:
            case RabbitMQ.Client.Exceptions.AlreadyClosedException:
            case RabbitMQ.Client.Exceptions.ConnectFailureException:
            case HttpRequestException { StatusCode: null }:
                return true;
            case PostgresException:
            case RabbitMQ.Client.Exceptions.OperationInterruptedException:
                // A statement PostgreSQL refused for what it is (a constraint, a bug), a publish the broker refused
                // (too large, no such exchange, not allowed): the message's own.
                return false;
            case AggregateException aggregate:
                return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => IsTransient(e, depth + 1));
            default:
                // EF's DbUpdateException, its retry strategy's exceptions and other wrappers say what happened underneath.
                return IsTransient(exception.InnerException, depth + 1);
        }
    }

    /// <summary>
    /// The database refuses connections for now: <c>ALTER DATABASE … ALLOW_CONNECTIONS false</c> during maintenance
    /// (55000, which Npgsql does not count as transient), the server starting or stopping (57P0x), too many connections (53300).
    /// </summary>
    static bool IsUnavailable(PostgresException postgres) =>
        postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300"
        || (postgres.SqlState == "55000" && postgres.MessageText.Contains("accepting connections", StringComparison.OrdinalIgnoreCase));
}
