using System.Runtime.ExceptionServices;
using Antq.Settings;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.Extensions.Logging;

namespace Antq.Messaging;

/// <summary>Settings of the consumers' outage handling (configuration section <c>Bus:Outage</c>).</summary>
public sealed class ConsumerOutageOptions
{
    public const string Section = "Bus:Outage";

    /// <summary>How long a receive endpoint stops the first time a dependency is found down; doubled at each stop in a row.</summary>
    [Positive]
    public TimeSpan FirstPause { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest pause; an outage of any length is waited out in pauses of at most this.</summary>
    [Positive]
    public TimeSpan MaxPause { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Keeps a message in its queue while a consumer's dependency is down. Installed on every receive endpoint's error pipe
/// (<see cref="Install"/>): a message whose consumer still fails after its immediate retries with an infrastructure
/// failure (<see cref="TransientFailure"/>: its database refusing connections, a timeout, the broker gone) is not moved
/// to <c>_error</c>: it is returned to its queue (the transport's negative acknowledgement with requeue) and the
/// endpoint stops, then starts again after a pause that doubles at each stop in a row (<see cref="ConsumerOutageOptions"/>)
/// and shrinks back to the first once a message is consumed. Stopped, the endpoint holds nothing: every message waits
/// in the broker, however long the outage. A message that fails for its own reasons (validation, a bug, a body that
/// does not deserialize) still goes to <c>_error</c> with a fault, as before, and the ones behind it go on.
/// </summary>
public sealed class ConsumerOutageGuard : IFilter<ExceptionReceiveContext>, IReceiveEndpointObserver, IConsumeObserver
{
    readonly string queue;
    readonly ConsumerOutageOptions options;
    readonly CancellationToken stopping;
    readonly ILogger logger;
    IReceiveEndpoint? endpoint;
    ConnectHandle? consumeHandle;
    int paused;
    long nextPauseTicks;

    ConsumerOutageGuard(string queue, ConsumerOutageOptions options, CancellationToken stopping, ILogger logger)
    {
        this.queue = queue;
        this.options = options;
        this.stopping = stopping;
        this.logger = logger;
        nextPauseTicks = options.FirstPause.Ticks;
    }

    /// <summary>Whether the endpoint is stopped for an outage now.</summary>
    public bool Paused => Volatile.Read(ref paused) == 1;

    /// <param name="stopping">The host's stopping token: an endpoint is not started again once the host stops.</param>
    public static ConsumerOutageGuard Install(IReceiveEndpointConfigurator endpoint, string queue, ConsumerOutageOptions options,
        CancellationToken stopping, ILogger logger)
    {
        var guard = new ConsumerOutageGuard(queue, options, stopping, logger);
        // The error pipe, built here, replaces MassTransit's default (GenerateFaultFilter, ErrorTransportFilter): the
        // guard first, then the same two for the message's own failures.
        endpoint.ConfigureError(pipe =>
        {
            pipe.UseFilter(guard);
            pipe.UseFilter(new GenerateFaultFilter());
            pipe.UseFilter(new ErrorTransportFilter());
        });
        endpoint.ConnectReceiveEndpointObserver(guard);
        return guard;
    }

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        var exception = context.Exception;
        var messageType = context.TryGetPayload(out ConsumeContext? consume) ? consume.SupportedMessageTypes.FirstOrDefault() : null;
        if (!TransientFailure.IsTransient(exception))
        {
            MessagingMetrics.ConsumerFailed(queue, MessagingMetrics.ShortType(messageType), exception, requeued: false);
            await next.Send(context);
            return;
        }

        MessagingMetrics.ConsumerFailed(queue, MessagingMetrics.ShortType(messageType), exception, requeued: true);
        Pause(exception);
        // Not a fault: the dispatcher returns the message to its queue (or, once the endpoint has stopped, the broker does).
        ExceptionDispatchInfo.Capture(exception).Throw();
    }

    void Pause(Exception exception)
    {
        // Not ready yet (a failure during the endpoint's start): nothing to stop; the message is returned to its queue anyway.
        if (endpoint is not { } stopped || Interlocked.CompareExchange(ref paused, 1, 0) != 0) return;
        var pause = TimeSpan.FromTicks(Interlocked.Read(ref nextPauseTicks));
        Interlocked.Exchange(ref nextPauseTicks, Math.Min(pause.Ticks * 2, options.MaxPause.Ticks));
        logger.LogWarning(exception, "Consumers of {Queue} cannot reach a dependency; the endpoint stops for {Pause} and its messages wait in the queue",
            queue, pause);
        // Not awaited here: stopping waits for the deliveries in flight, this one included.
        _ = Task.Run(async () =>
        {
            try
            {
                await stopped.Stop(stopping);
                await Task.Delay(pause, stopping);
                var handle = stopped.Start(stopping);
                await handle.Ready.WaitAsync(stopping);
                logger.LogInformation("Consumers of {Queue} start again after an outage pause of {Pause}", queue, pause);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Restarting the receive endpoint {Queue} after an outage pause failed", queue);
            }
            finally
            {
                Volatile.Write(ref paused, 0);
            }
        });
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        endpoint = ready.ReceiveEndpoint;
        consumeHandle ??= ready.ReceiveEndpoint.ConnectConsumeObserver(this);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    /// <summary>A message consumed: the dependency is back, the next outage starts again from the first pause.</summary>
    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (Interlocked.Read(ref nextPauseTicks) != options.FirstPause.Ticks) Interlocked.Exchange(ref nextPauseTicks, options.FirstPause.Ticks);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    public void Probe(ProbeContext context) => context.CreateFilterScope("antqOutageGuard");
}
