using Bitcain.Contracts;
using Wolverine;

namespace Bitcain.Gateway.Messaging;

/// <summary>
/// Hands every reply to a command (<see cref="ServiceCalls.SendCommandAsync{T}(string, string, object, CancellationToken)"/>)
/// back to the request waiting for it on this instance. It handles the marker, so a new reply type needs nothing here:
/// Wolverine runs it for any message that is an <see cref="IServiceReply"/>.
/// </summary>
public static class ServiceReplyHandler
{
    public static void Handle(IServiceReply reply, Envelope envelope, PendingReplies pending, ILogger<PendingReplies> logger) =>
        pending.Deliver(reply, envelope, logger);
}
