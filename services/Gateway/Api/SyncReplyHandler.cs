using Bitcain.Contracts.Sync;
using Bitcain.Gateway.Messaging;
using Wolverine;

namespace Bitcain.Gateway.Api;

/// <summary>Hands the sync service's command replies back to the request waiting for them on this instance.</summary>
public static class SyncReplyHandler
{
    public static void Handle(BalanceSyncResult reply, Envelope envelope, PendingReplies pending, ILogger<PendingReplies> logger) =>
        pending.Deliver(reply, envelope, logger);

    public static void Handle(TradeSyncResult reply, Envelope envelope, PendingReplies pending, ILogger<PendingReplies> logger) =>
        pending.Deliver(reply, envelope, logger);

    public static void Handle(BnbBurnReply reply, Envelope envelope, PendingReplies pending, ILogger<PendingReplies> logger) =>
        pending.Deliver(reply, envelope, logger);
}
