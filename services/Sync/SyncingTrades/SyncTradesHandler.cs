using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.Sync.Account;
using Bitcain.Sync.SyncingBalances;
using Marten;
using Marten.Services;
using Wolverine;
using Wolverine.Attributes;

namespace Bitcain.Sync.SyncingTrades;

public static class TradeSync
{
    /// <summary>Binance's trade history is per symbol; Kraken's covers every pair at once.</summary>
    public static bool NeedsSymbol(string exchange) => exchange is "binance" or "binanceus";

    /// <summary>
    /// The markets a symbol-less sync must ask about: every market whose base and quote the account holds, plus every
    /// symbol it has trades stored for (a fully sold asset still has history).
    /// </summary>
    public static IReadOnlyList<string> CandidateMarkets(IReadOnlyList<Market> markets, IEnumerable<string> heldCurrencies, IEnumerable<string> tradedSymbols)
    {
        var held = heldCurrencies.ToHashSet(StringComparer.Ordinal);
        var traded = tradedSymbols.ToHashSet(StringComparer.Ordinal);
        return markets.Where(m => (held.Contains(m.Base) && held.Contains(m.Quote)) || traded.Contains(m.Symbol))
            .Select(m => m.Symbol).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();
    }

    public static SyncedTrade ToSynced(Trade t) => new(t.Id, t.OrderId, t.Symbol, t.ExchangeSymbol,
        t.Side == TradeSide.Buy ? "buy" : "sell", t.Price, t.Amount, t.Cost, t.Fee, t.FeeCurrency, t.Timestamp);

    public static TradeSyncResult Failed(SyncTrades c, Guid? credentialId, int synced, int duplicates, string errorType, string error, DateTimeOffset now) =>
        new(false, c.Exchange, credentialId, c.Symbol, synced, duplicates, now, error, errorType);
}

/// <summary>
/// Runs a whole trade sync, committing page by page (trades and their event in one transaction), so a sync that
/// outlives the gateway's wait keeps going and every page it stored stays stored if it fails later.
/// </summary>
public static class SyncTradesHandler
{
    [MessageTimeout(3600)]
    public static async Task<TradeSyncResult> Handle(SyncTrades command, Envelope envelope, IMessageBus bus, IDocumentStore store,
        TradeTable table, ExchangeAccounts accounts, IExchangeClients clients, TimeProvider clock, ILogger<SyncTrades> logger, CancellationToken ct)
    {
        var user = SyncUser.Of(envelope);
        if (user is null) return TradeSync.Failed(command, command.CredentialId, 0, 0, "invalid_request", SyncUser.Missing, clock.GetUtcNow());
        var account = await accounts.OpenAsync(bus, user, command.Exchange, command.CredentialId, ct);
        if (account is null)
            return TradeSync.Failed(command, command.CredentialId, 0, 0, BalanceSync.NoCredentials,
                BalanceSync.NoCredentialsMessage(command.Exchange, command.CredentialId), clock.GetUtcNow());

        await table.EnsureCreatedAsync(ct);
        var client = clients.Get(command.Exchange);
        int synced = 0, duplicates = 0, pages = 0;
        try
        {
            var symbols = await SymbolsToSyncAsync(command, account, user, client, table, ct);
            foreach (var symbol in symbols)
            {
                var query = await QueryFor(command, account, user, symbol, client, table, ct);
                await foreach (var page in client.GetMyTradesAsync(account.Credentials, query, ct))
                {
                    var (stored, dup) = await StorePageAsync(store, table, user, account, symbol, page, clock.GetUtcNow(), ct);
                    synced += stored;
                    duplicates += dup;
                    pages++;
                    await bus.PublishAsync(new TradeSyncProgressedV1(user, account.CredentialId, command.Exchange, command.Symbol, pages, synced, duplicates, clock.GetUtcNow()));
                }
            }
        }
        catch (ExchangeException e)
        {
            var now = clock.GetUtcNow();
            await using (var session = store.LightweightSession(user))
            {
                await AccountStream.AppendAsync(session, account.CredentialId, new SyncFailed(account.CredentialId, command.Exchange, "trades", e.ErrorTypeName, e.Message, now), ct);
                await session.SaveChangesAsync(ct);
            }
            await bus.PublishAsync(new SyncFailedV1(user, account.CredentialId, command.Exchange, "trades", e.ErrorTypeName, e.Message, now));
            await accounts.RecordUseAsync(bus, user, account.CredentialId, e);
            return TradeSync.Failed(command, account.CredentialId, synced, duplicates, e.ErrorTypeName, e.Message, now);
        }

        var end = clock.GetUtcNow();
        logger.LogInformation("Trade sync of {Exchange} stored {Synced} trades ({Duplicates} duplicates) in {Pages} pages", command.Exchange, synced, duplicates, pages);
        await bus.PublishAsync(new TradesSyncedV1(user, account.CredentialId, command.Exchange, command.Symbol, synced, duplicates, end));
        await accounts.RecordUseAsync(bus, user, account.CredentialId, null);
        return new TradeSyncResult(true, command.Exchange, account.CredentialId, command.Symbol, synced, duplicates, end, null, null);
    }

    private static async Task<IReadOnlyList<string?>> SymbolsToSyncAsync(SyncTrades command, OpenedAccount account, string user,
        IExchangeClient client, TradeTable table, CancellationToken ct)
    {
        if (command.Symbol is not null) return [command.Symbol];
        if (!TradeSync.NeedsSymbol(command.Exchange)) return [null];
        var balances = await client.GetBalancesAsync(account.Credentials, ct);
        var markets = await client.GetMarketsAsync(ct);
        var traded = await table.StoredSymbolsAsync(user, account.CredentialId, ct);
        return TradeSync.CandidateMarkets(markets, balances.Values.Where(b => b.Total != 0m).Select(b => b.Currency), traded);
    }

    private static async Task<MyTradesQuery> QueryFor(SyncTrades command, OpenedAccount account, string user, string? symbol,
        IExchangeClient client, TradeTable table, CancellationToken ct)
    {
        if (command.Since is { } since) return new MyTradesQuery(symbol, since, PageSize: command.Limit);
        // Binance trade ids grow per symbol: resume from the last stored id (it comes back once, as a duplicate).
        // Elsewhere resume from the last stored trade's time.
        string? exchangeSymbol = null;
        if (symbol is not null && TradeSync.NeedsSymbol(command.Exchange))
            exchangeSymbol = (await client.GetMarketsAsync(ct)).FirstOrDefault(m => m.Symbol == symbol || m.ExchangeSymbol == symbol)?.ExchangeSymbol;
        var (lastTime, lastId) = await table.LastStoredAsync(user, account.CredentialId, exchangeSymbol, ct);
        if (TradeSync.NeedsSymbol(command.Exchange))
            return lastId is { } id && exchangeSymbol is not null
                ? new MyTradesQuery(symbol, FromTradeId: id.ToString(System.Globalization.CultureInfo.InvariantCulture), PageSize: command.Limit)
                : new MyTradesQuery(symbol, PageSize: command.Limit);
        return new MyTradesQuery(symbol, lastTime, PageSize: command.Limit);
    }

    private static async Task<(int Stored, int Duplicates)> StorePageAsync(IDocumentStore store, TradeTable table, string user, OpenedAccount account,
        string? symbol, TradePage page, DateTimeOffset now, CancellationToken ct)
    {
        // Two syncs of one account appending at the same moment: the loser's transaction (trades and event) rolls
        // back whole and is tried again, and then counts the winner's trades as duplicates.
        for (var attempt = 1; ; attempt++)
        {
            try { return await StorePageOnceAsync(store, table, user, account, symbol, page, now, ct); }
            catch (Exception e) when (attempt < 10 && IsConcurrentAppend(e))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), ct);
            }
        }
    }

    private static bool IsConcurrentAppend(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is JasperFx.Events.EventStreamUnexpectedMaxEventIdException or Marten.Exceptions.ExistingStreamIdCollisionException
                or Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation or Npgsql.PostgresErrorCodes.SerializationFailure or Npgsql.PostgresErrorCodes.DeadlockDetected })
                return true;
        return false;
    }

    private static async Task<(int Stored, int Duplicates)> StorePageOnceAsync(IDocumentStore store, TradeTable table, string user, OpenedAccount account,
        string? symbol, TradePage page, DateTimeOffset now, CancellationToken ct)
    {
        var trades = page.Trades.Select(TradeSync.ToSynced).ToList();
        await using var conn = await table.Database.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var fresh = await TradeTable.InsertNewAsync(conn, tx, user, account.CredentialId, account.Exchange, trades, now, ct);
        var options = Marten.Services.SessionOptions.ForTransaction(tx);
        options.TenantId = user;
        await using (var session = store.LightweightSession(options))
        {
            session.Events.Append(account.CredentialId, new TradesSynced(account.CredentialId, account.Exchange, symbol, fresh, trades.Count - fresh.Count, now));
            await session.SaveChangesAsync(ct);
        }
        await tx.CommitAsync(ct);
        return (fresh.Count, trades.Count - fresh.Count);
    }
}
