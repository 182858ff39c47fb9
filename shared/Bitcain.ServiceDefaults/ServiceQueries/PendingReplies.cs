using System.Collections.Concurrent;
using Bitcain.Contracts;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace Bitcain.ServiceDefaults.ServiceQueries;

/// <summary>
/// Replies this instance is waiting for, by correlation id. A reply that arrives after its caller
/// gave up finds nobody and is dropped: the command it answers was applied all the same.
/// </summary>
public sealed class PendingReplies
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<object>> _waiting = new();

    public (string CorrelationId, Task<object> Reply) Expect()
    {
        var id = Guid.CreateVersion7().ToString();
        var completion = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = completion;
        return (id, completion.Task);
    }

    public bool Complete(string? correlationId, object reply) =>
        correlationId is not null && _waiting.TryRemove(correlationId, out var completion) && completion.TrySetResult(reply);

    public void Forget(string correlationId) => _waiting.TryRemove(correlationId, out _);

    /// <summary>Called by the reply handler: completes the waiting request, or notes a late reply.</summary>
    public void Deliver(object reply, Envelope envelope, ILogger logger)
    {
        if (!Complete(envelope.CorrelationId, reply))
            logger.LogInformation("A late {Reply} arrived after its request had been answered with a timeout", reply.GetType().Name);
    }
}

/// <summary>
/// Hands every reply to a command (<see cref="ServiceCalls.SendCommandAsync{T}(string, string, object, CancellationToken)"/>)
/// back to the request waiting for it on this instance. It handles the marker, so a new reply type needs nothing here:
/// Wolverine runs it for any message that is an <see cref="IServiceReply"/> (<see cref="ServiceCallsSetup.UseBusAsCaller"/>
/// includes it in the caller's handler discovery).
/// </summary>
public static class ServiceReplyHandler
{
    public static void Handle(IServiceReply reply, Envelope envelope, PendingReplies pending, ILogger<PendingReplies> logger) =>
        pending.Deliver(reply, envelope, logger);
}
