using Bitcain.Contracts.Credentials;
using Bitcain.Gateway.Messaging;
using Wolverine;

namespace Bitcain.Gateway.Api;

/// <summary>
/// Hands the replies to credential commands back to the request waiting for them on this instance.
/// Each area has a reply handler like this one for its own command replies.
/// </summary>
public static class CredentialReplyHandler
{
    public static void Handle(CredentialReply reply, Envelope envelope, PendingReplies pending, ILogger<PendingReplies> logger) =>
        pending.Deliver(reply, envelope, logger);
}
