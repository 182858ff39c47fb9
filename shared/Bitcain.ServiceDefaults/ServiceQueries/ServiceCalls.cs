using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace Bitcain.ServiceDefaults.ServiceQueries;

/// <summary>How long a caller waits for an owning service's answer before it answers 504.</summary>
public sealed record ServiceCallOptions(TimeSpan Timeout);

/// <summary>
/// Request/reply over RabbitMQ to the service that owns a command or query, for one user (the tenant header).
/// A caller never retries a command on its own: a command that timed out may still be applied when the
/// service catches up (it waits in a durable queue), and the answer says so.
/// </summary>
public sealed class ServiceCalls(IMessageBus bus, PendingReplies pending, HttpQueryClient queries, ServiceCallOptions options, ILogger<ServiceCalls> logger)
{
    private const string QueuedNote = " The request was queued and will be applied when the service catches up; check before retrying.";

    /// <summary>
    /// A query of the REST API: over HTTP to the owning service when discovery names it (README, "The read path"),
    /// otherwise, or when it cannot be reached, on the bus.
    /// </summary>
    public async Task<ServiceAnswer<T>> QueryAsync<T>(string service, string? userId, object query, CancellationToken ct) =>
        await queries.AskAsync<T>(service, userId, query, ct) ?? await AskAsync<T>(service, userId, query, false, ct);

    /// <summary>
    /// Sends a state-changing command as a persistent message that never expires (unlike Wolverine's
    /// request/reply, whose request dies with its timeout), then waits for the owning service's reply.
    /// </summary>
    public Task<ServiceAnswer<T>> SendCommandAsync<T>(string service, string userId, object command, CancellationToken ct) where T : class =>
        SendCommandAsync<T>(service, userId, command, options.Timeout, ct);

    /// <param name="timeout">How long to wait: longer than a query's for commands that page through an exchange (syncs).</param>
    public async Task<ServiceAnswer<T>> SendCommandAsync<T>(string service, string userId, object command, TimeSpan timeout, CancellationToken ct) where T : class
    {
        var (correlationId, reply) = pending.Expect();
        try
        {
            var delivery = new DeliveryOptions { TenantId = userId, CorrelationId = correlationId, ResponseType = typeof(T) };
            await bus.SendAsync(command, delivery);
            var answer = new ServiceAnswer<T>((T)await reply.WaitAsync(timeout, ct), null);
            CommandMetrics.Sent(command, CommandMetrics.Answered);
            return answer;
        }
        catch (TimeoutException)
        {
            CommandMetrics.Sent(command, CommandMetrics.Queued);
            logger.LogWarning("The {Service} service did not answer {Message} within {Timeout} s; it stays queued", service, command.GetType().Name, timeout.TotalSeconds);
            return new ServiceAnswer<T>(default, TimedOut(service, timeout, QueuedNote), TimedOut: true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            CommandMetrics.Sent(command, CommandMetrics.Unavailable);
            logger.LogError("Sending {Message} to the {Service} service failed: {Error}", command.GetType().Name, service, e.GetType().Name);
            return new ServiceAnswer<T>(default, Unavailable(service));
        }
        finally
        {
            pending.Forget(correlationId);
        }
    }

    public async Task<ServiceAnswer<T>> AskAsync<T>(string service, string? userId, object message, bool isCommand, CancellationToken ct)
    {
        var timeout = options.Timeout;
        try
        {
            var reply = userId is null
                ? await bus.InvokeAsync<T>(message, ct, timeout)
                : await bus.InvokeForTenantAsync<T>(userId, message, ct, timeout);
            if (isCommand) CommandMetrics.Sent(message, CommandMetrics.Answered);
            return new ServiceAnswer<T>(reply, null);
        }
        catch (TimeoutException)
        {
            if (isCommand) CommandMetrics.Sent(message, CommandMetrics.Queued);
            logger.LogWarning("The {Service} service did not answer {Message} within {Timeout} s", service, message.GetType().Name, timeout.TotalSeconds);
            return new ServiceAnswer<T>(default, TimedOut(service, timeout, isCommand ? QueuedNote : ""));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Broker unreachable, or the service failed while handling the message. Only the type is logged:
            // exception texts of the transport can hold connection details.
            if (isCommand) CommandMetrics.Sent(message, CommandMetrics.Unavailable);
            logger.LogError("Calling the {Service} service with {Message} failed: {Error}", service, message.GetType().Name, e.GetType().Name);
            return new ServiceAnswer<T>(default, Unavailable(service));
        }
    }

    internal static ServiceFailure TimedOut(string service, TimeSpan timeout, string note = "") =>
        new(StatusCodes.Status504GatewayTimeout, $"The {service} service did not answer within {timeout.TotalSeconds:0.#} s.{note}");

    internal static ServiceFailure Unavailable(string service) =>
        new(StatusCodes.Status503ServiceUnavailable, $"The {service} service is unavailable right now; try again shortly.");
}
