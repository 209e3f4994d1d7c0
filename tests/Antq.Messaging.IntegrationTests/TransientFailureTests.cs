using System.Net.Sockets;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Antq.Messaging.IntegrationTests;

/// <summary>Which failures keep a message in its queue (an outage) and which are the message's own (to _error, or a refusal).</summary>
public sealed class TransientFailureTests
{
    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "database refusing connections", new PostgresException("database \"antq_notification\" is not currently accepting connections", "FATAL", "FATAL", "55000"), true },
        { "connection ended by an administrator", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { "the same wrapped by EF", new DbUpdateException("save failed", new PostgresException("terminating connection", "FATAL", "FATAL", "57P01")), true },
        { "server unreachable", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "a timeout", new TimeoutException("no answer"), true },
        { "broker connection lost", new OperationInterruptedException(new ShutdownEventArgs(ShutdownInitiator.Library, 541, "unexpected end of stream")), true },
        { "broker connection wrapper", new RabbitMqConnectionException("BasicPublishAsync failed", new TimeoutException()), true },
        { "unique key broken: a bug", new DbUpdateException("save failed", new PostgresException("duplicate key value", "ERROR", "ERROR", "23505")), false },
        { "another object state (not connections)", new PostgresException("currval of sequence is not yet defined", "ERROR", "ERROR", "55000"), false },
        { "validation", new InvalidOperationException("Kỳ báo cáo không hợp lệ"), false },
        { "message too large for the broker", new RabbitMqConnectionException("BasicPublishAsync failed",
            new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Peer, 406, "PRECONDITION_FAILED - message size exceeds max"))), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Classifies(string what, Exception exception, bool transient) =>
        Assert.True(TransientFailure.IsTransient(exception) == transient, $"{what}: expected {(transient ? "an outage" : "the message's own")}");
}
