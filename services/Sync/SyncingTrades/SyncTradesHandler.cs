using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.Exchanges.RateLimits;
using Bitcain.Sync.Account;
using Bitcain.Sync.SyncingBalances;
using Bitcain.ServiceDefaults;
using Marten;
using Wolverine;
using Wolverine.Attributes;

namespace Bitcain.Sync.SyncingTrades;

public static class TradeSync
{
    /// <summary>Binance's trade history is per symbol; the other exchanges' covers every market at once.</summary>
    public static bool NeedsSymbol(string exchange) => exchange is "binance" or "binanceus";

    /// <summary>How long one run may walk before it stops at its checkpoint (<c>Sync:TradeSyncBudgetSeconds</c>, default
    /// 1800): well inside the command's hour, so a walk that outlasts it ends recorded and resumable, not cancelled.</summary>
    public const string BudgetSetting = "Sync:TradeSyncBudgetSeconds";

    public static SyncedTrade ToSynced(Trade t) => new(t.Id, t.OrderId, t.Symbol, t.ExchangeSymbol,
        t.Side == TradeSide.Buy ? "buy" : "sell", t.Price, t.Amount, t.Cost, t.Fee, t.FeeCurrency, t.Timestamp);

    public static TradeSyncResult Failed(SyncTrades c, Guid? credentialId, int synced, int duplicates, string errorType, string error, DateTimeOffset now) =>
        new(false, c.Exchange, credentialId, c.Symbol, synced, duplicates, now, error, errorType);

    /// <summary>What a sync cut short says: what it covered, and that the next one goes on from there.</summary>
    public static string Incomplete(string reason, int marketsDone, int marketsPlanned, int stored) =>
        marketsPlanned > 0
            ? $"{reason}; covered {marketsDone} of {marketsPlanned} markets ({stored} trades stored); the next sync resumes from there"
            : $"{reason}; {stored} trades stored before it stopped; the next sync resumes from there";

    /// <summary>The outcome of a finished run, for a request that waited for it instead of walking again.</summary>
    public static TradeSyncResult Joined(SyncTrades c, Guid credentialId, TradeSyncRun run) =>
        new(run.Complete, c.Exchange, credentialId, c.Symbol, run.Trades, run.Duplicates, run.FinishedAt ?? run.LastProgressAt, run.Error, run.ErrorType);
}

/// <summary>
/// Runs a whole trade sync, committing page by page (trades, their event and the run's checkpoint in one transaction), so
/// a sync that outlives the gateway's wait keeps going, every page it stored stays stored if it fails later, and the next
/// sync of the same request resumes where it stopped. One sync per account at a time: a second request for the same
/// account waits for the first, and when it asked for the same thing, answers with the first one's outcome.
/// </summary>
public static class SyncTradesHandler
{
    [MessageTimeout(3600)]
    public static async Task<TradeSyncResult> Handle(SyncTrades command, Envelope envelope, IMessageBus bus, IDocumentStore store,
        TradeTable table, ExchangeAccounts accounts, IExchangeClients clients, TimeProvider clock, IConfiguration configuration,
        ILogger<SyncTrades> logger, CancellationToken ct)
    {
        var user = UserCheck.Checked(envelope);
        var account = await accounts.OpenAsync(bus, user, command.Exchange, command.CredentialId, ct);
        if (account is null)
            return TradeSync.Failed(command, command.CredentialId, 0, 0, BalanceSync.NoCredentials,
                BalanceSync.NoCredentialsMessage(command.Exchange, command.CredentialId), clock.GetUtcNow());

        await table.EnsureCreatedAsync(ct);
        var arrived = clock.GetUtcNow();
        // The account's calls wait their turn with other accounts' for the exchange's shared budget.
        using var share = ExchangeCallShare.Enter($"{user}/{account.CredentialId}");
        await using var flight = await AccountTradeSyncLock.AcquireAsync(table.Database, account.CredentialId, ct);
        var previous = await LoadRunAsync(store, user, account.CredentialId, ct);
        if (flight.Waited && previous is { Finished: true } joined && joined.FinishedAt >= arrived && joined.SameRequest(command.Symbol, command.Since))
            return TradeSync.Joined(command, account.CredentialId, joined);

        var budget = TimeSpan.FromSeconds(configuration.GetValue(TradeSync.BudgetSetting, 1800.0));
        var walk = new TradeWalk(command, user, account, clients.Get(command.Exchange), store, table, bus, clock, arrived + budget);
        try
        {
            if (TradeSync.NeedsSymbol(command.Exchange) && command.Symbol is null) await walk.MarketByMarketAsync(previous, ct);
            else await walk.ByCursorAsync(previous, ct);
        }
        catch (ExchangeException e)
        {
            logger.LogWarning("Trade sync of {Exchange} stopped ({ErrorType}) after {Synced} trades in {Pages} pages", command.Exchange, e.ErrorTypeName, walk.Synced, walk.Pages);
            return await FinishAsync(bus, user, walk.Finish(ExchangeRefusal.Of(e), walk.Covered(e.Message), clock.GetUtcNow()) with { Delivery = envelope }, ct);
        }

        logger.LogDebug("Trade sync of {Exchange}: {Phases}", command.Exchange, walk.Phases);
        logger.LogInformation("Trade sync of {Exchange} stored {Synced} trades ({Duplicates} duplicates) in {Pages} pages over {Markets} markets",
            command.Exchange, walk.Synced, walk.Duplicates, walk.Pages, walk.MarketsPlanned);
        return await FinishAsync(bus, user, walk.Finish(null, null, clock.GetUtcNow()) with { Delivery = envelope }, ct);
    }

    /// <summary>The run's end goes to the account's stream through <see cref="FinishTradeSyncHandler"/>, in process, so the
    /// answer leaves after it is committed.</summary>
    private static Task<TradeSyncResult> FinishAsync(IMessageBus bus, string user, FinishTradeSync finish, CancellationToken ct) =>
        bus.InvokeForTenantAsync<TradeSyncResult>(user, finish, ct, AccountStream.RecordTimeout);

    private static async Task<TradeSyncRun?> LoadRunAsync(IDocumentStore store, string user, Guid credentialId, CancellationToken ct)
    {
        await using var session = store.QuerySession(user);
        return await session.LoadAsync<TradeSyncRun>(credentialId, ct);
    }
}
