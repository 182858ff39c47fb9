using Bitcain.Contracts.Credentials;
using Wolverine;

namespace Bitcain.Gateway.Messaging;

/// <summary>Hands the replies to commands back to the request that is waiting for them on this instance.</summary>
public static class ServiceReplyHandler
{
    public static void Handle(CredentialReply reply, Envelope envelope, PendingReplies pending, ILogger<PendingReplies> logger)
    {
        if (!pending.Complete(envelope.CorrelationId, reply))
            logger.LogInformation("A late {Reply} arrived after its request had been answered with a timeout", nameof(CredentialReply));
    }
}
