using System.Globalization;
using System.Runtime.CompilerServices;
using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.Exchanges.Paging;
using Bitcain.Sync.Account;
using Marten;
using Wolverine;

namespace Bitcain.Sync.SyncingTrades;

/// <summary>
/// One run of a trade sync: the exchange walk, each page stored with the run's checkpoint, and the counts the answer
/// reports. Market by market where the exchange answers per market (Binance), one cursor walk elsewhere.
/// </summary>
internal sealed class TradeWalk(SyncTrades command, string user, OpenedAccount account, IExchangeClient client, IDocumentStore store,
    TradeTable table, IMessageBus bus, TimeProvider clock, DateTimeOffset deadline)
{
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(2);
    private const int MarketsPerCheckpoint = 25;

    public Guid? RunId { get; private set; }
    public int Synced { get; private set; }
    public int Duplicates { get; private set; }
    public int Pages { get; private set; }
    public int MarketsPlanned { get; private set; }
    public int MarketsDone { get; private set; }
    public TradePagePhases Phases { get; } = new();
    private bool byMarket;
    // Markets walked (and what they opened) since the last checkpoint: a run that fails records them with its failure.
    private readonly List<string> doneBatch = [], addedMarkets = [], addedAssets = [];

    public string Covered(string reason) => TradeSync.Incomplete(reason, MarketsDone, byMarket ? MarketsPlanned : 0, Synced);

    /// <summary>Binance's history is per market: plan the markets from what the exchange says the account had, walk each
    /// to its end, and add the markets each find opens. A run cut short resumes with its plan and the markets not done.</summary>
    public async Task MarketByMarketAsync(TradeSyncRun? previous, CancellationToken ct)
    {
        byMarket = true;
        var markets = await ReadAsync(() => client.GetMarketsAsync(ct));
        var bySymbol = markets.GroupBy(m => m.Symbol, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        List<string> queue;
        HashSet<string> known, done;
        if (previous is { Resumable: true, Planned.Count: > 0 } p && p.SameRequest(command.Symbol, command.Since))
        {
            RunId = p.RunId;
            queue = [.. p.Planned];
            known = [.. p.KnownAssets];
            done = [.. p.Done];
        }
        else
        {
            var activity = client is IAccountActivity history
                ? await ReadAsync(() => history.GetAccountActivityAsync(account.Credentials, command.Since ?? HistoryStart(command.Exchange), ct))
                : null;
            var stored = await table.StoredSymbolsAsync(user, account.CredentialId, ct);
            var plan = TradeCandidates.Initial(markets, activity, stored);
            RunId = Guid.CreateVersion7();
            queue = [.. plan.Markets];
            known = [.. plan.KnownAssets];
            done = [];
            var sources = activity is null ? ["no account history: every listed market"]
                : activity.Complete ? activity.Sources : [.. activity.Sources, "incomplete: every listed market"];
            await AppendAsync(new TradeSyncStarted(account.CredentialId, command.Exchange, RunId.Value, command.Symbol, command.Since,
                queue, known.Order(StringComparer.Ordinal).ToList(), sources, clock.GetUtcNow()), ct);
        }

        var planned = queue.ToHashSet(StringComparer.Ordinal);
        MarketsPlanned = queue.Count;
        MarketsDone = done.Count;
        doneBatch.Clear();
        addedMarkets.Clear();
        addedAssets.Clear();
        var lastCheckpoint = clock.GetUtcNow();
        for (var i = 0; i < queue.Count; i++)
        {
            var symbol = queue[i];
            if (done.Contains(symbol)) continue;
            CheckBudget();
            // A market delisted since the plan was made has nothing more to give.
            if (bySymbol.TryGetValue(symbol, out var market) && await WalkMarketAsync(market, ct))
            {
                var (opened, assets) = TradeCandidates.Opened(markets, market, known, planned);
                known.UnionWith(assets);
                planned.UnionWith(opened);
                queue.AddRange(opened);
                addedMarkets.AddRange(opened);
                addedAssets.AddRange(assets);
                MarketsPlanned = queue.Count;
            }
            done.Add(symbol);
            doneBatch.Add(symbol);
            MarketsDone = done.Count;
            if (addedAssets.Count > 0 || doneBatch.Count >= MarketsPerCheckpoint || clock.GetUtcNow() - lastCheckpoint >= CheckpointEvery)
            {
                await AppendAsync(new TradeSyncCheckpointed(account.CredentialId, RunId.Value, [.. doneBatch], [.. addedMarkets], [.. addedAssets], null, clock.GetUtcNow()), ct);
                doneBatch.Clear();
                addedMarkets.Clear();
                addedAssets.Clear();
                lastCheckpoint = clock.GetUtcNow();
                await PublishProgressAsync();
            }
        }
    }

    /// <summary>The run's end, with the progress not yet checkpointed: <paramref name="refusal"/> when the exchange cut it short.</summary>
    public FinishTradeSync Finish(ExchangeRefusal? refusal, string? covered, DateTimeOffset at) =>
        new(account.CredentialId, command.Exchange, command.Symbol, RunId, Synced, Duplicates, Pages, refusal, covered, PendingCheckpoint(), at);

    /// <summary>The progress not yet checkpointed, to record with the run's end; null when there is none.</summary>
    public TradeSyncCheckpointed? PendingCheckpoint()
    {
        if (RunId is not { } run || doneBatch.Count + addedMarkets.Count == 0) return null;
        var checkpoint = new TradeSyncCheckpointed(account.CredentialId, run, [.. doneBatch], [.. addedMarkets], [.. addedAssets], null, clock.GetUtcNow());
        doneBatch.Clear();
        addedMarkets.Clear();
        addedAssets.Clear();
        return checkpoint;
    }

    /// <returns>Whether the account has traded on the market (stored before, or found now).</returns>
    private async Task<bool> WalkMarketAsync(Market market, CancellationToken ct)
    {
        // Binance trade ids grow per market: go on from the last stored id (it comes back once, as a duplicate), else from
        // the first trade. Never by time: its windows are 24 h each, thousands of calls per market over a few years.
        var (_, lastId) = await table.LastStoredAsync(user, account.CredentialId, market.ExchangeSymbol, ct);
        var query = lastId is { } id
            ? new MyTradesQuery(market.Symbol, FromTradeId: id.ToString(CultureInfo.InvariantCulture), PageSize: command.Limit)
            : new MyTradesQuery(market.Symbol, PageSize: command.Limit);
        var traded = lastId is not null;
        await foreach (var page in GuardAsync(client.GetMyTradesAsync(account.Credentials, query, ct), ct))
        {
            if (page.Trades.Count == 0) continue;
            traded = true;
            var kept = command.Since is { } since ? page.Trades.Where(t => t.Timestamp >= since).ToList() : page.Trades;
            if (kept.Count > 0) await StorePageAsync(market.Symbol, kept, null, ct);
            CheckBudget();
        }
        return traded;
    }

    /// <summary>One walk over the whole history (or one symbol's): each page stored with the cursor that follows it. A walk
    /// cut short resumes at that cursor first (most exchanges page newest first, so what is missing is older than what is
    /// stored), then a new run fetches what arrived since the cut walk began.</summary>
    public async Task ByCursorAsync(TradeSyncRun? previous, CancellationToken ct)
    {
        if (previous is { Resumable: true, Cursor: not null, Planned.Count: 0 } p && p.SameRequest(command.Symbol, command.Since))
        {
            RunId = p.RunId;
            await WalkPagesAsync(new MyTradesQuery(command.Symbol, command.Since, PageSize: command.Limit, Cursor: p.Cursor), ct);
            await AppendAsync(new TradeSyncFinished(account.CredentialId, command.Exchange, p.RunId, true, Synced, Duplicates, Pages, null, null, clock.GetUtcNow()), ct);
            await StartAsync(ct);
            await WalkPagesAsync(new MyTradesQuery(command.Symbol, p.StartedAt.AddMinutes(-1), PageSize: command.Limit), ct);
            return;
        }
        await StartAsync(ct);
        await WalkPagesAsync(await QueryForAsync(ct), ct);
    }

    private Task StartAsync(CancellationToken ct)
    {
        RunId = Guid.CreateVersion7();
        return AppendAsync(new TradeSyncStarted(account.CredentialId, command.Exchange, RunId.Value, command.Symbol, command.Since, [], [], [], clock.GetUtcNow()), ct);
    }

    private async Task WalkPagesAsync(MyTradesQuery query, CancellationToken ct)
    {
        await foreach (var page in GuardAsync(client.GetMyTradesAsync(account.Credentials, query, ct), ct))
        {
            await StorePageAsync(command.Symbol, page.Trades, page.NextCursor, ct);
            CheckBudget();
        }
    }

    private async Task<MyTradesQuery> QueryForAsync(CancellationToken ct)
    {
        var symbol = command.Symbol;
        if (command.Since is { } since) return new MyTradesQuery(symbol, since, PageSize: command.Limit);
        // Binance trade ids grow per symbol: resume from the last stored id (it comes back once, as a duplicate).
        // Elsewhere resume from the last stored trade's time.
        string? exchangeSymbol = null;
        if (symbol is not null && TradeSync.NeedsSymbol(command.Exchange))
            exchangeSymbol = (await ReadAsync(() => client.GetMarketsAsync(ct))).FirstOrDefault(m => m.Symbol == symbol || m.ExchangeSymbol == symbol)?.ExchangeSymbol;
        var (lastTime, lastId) = await table.LastStoredAsync(user, account.CredentialId, exchangeSymbol, ct);
        if (TradeSync.NeedsSymbol(command.Exchange))
            return lastId is { } id && exchangeSymbol is not null
                ? new MyTradesQuery(symbol, FromTradeId: id.ToString(CultureInfo.InvariantCulture), PageSize: command.Limit)
                : new MyTradesQuery(symbol, PageSize: command.Limit);
        return new MyTradesQuery(symbol, lastTime, PageSize: command.Limit);
    }

    private void CheckBudget()
    {
        if (clock.GetUtcNow() >= deadline)
            throw new ExchangeException(command.Exchange, ExchangeErrorType.RateLimited, $"{command.Exchange}: the sync's time budget ran out");
    }

    /// <summary>Where the account's history can begin: what was asked, else the exchange's first day of trading.</summary>
    private static DateTimeOffset HistoryStart(string exchange) =>
        ExchangeCatalog.TryResolve(exchange, out var e) ? e.TradingSince : DateTimeOffset.UnixEpoch;

    private async Task StorePageAsync(string? symbol, IReadOnlyList<Trade> trades, string? cursor, CancellationToken ct)
    {
        var checkpoint = RunId is { } run && !byMarket
            ? new TradeSyncCheckpointed(account.CredentialId, run, [], [], [], cursor, clock.GetUtcNow())
            : null;
        var (stored, dup) = await TradePages.StoreAsync(store, table, user, account, symbol, trades, checkpoint, clock.GetUtcNow(), ct, Phases);
        SyncMetrics.TradePageStored(command.Exchange, stored, dup);
        Synced += stored;
        Duplicates += dup;
        Pages++;
        var published = TradePagePhases.Now();
        await PublishProgressAsync();
        Phases.Progress(published);
    }

    private Task PublishProgressAsync() => bus.PublishAsync(new TradeSyncProgressedV1(user, account.CredentialId, command.Exchange, command.Symbol,
        Pages, Synced, Duplicates, clock.GetUtcNow(), byMarket ? MarketsDone : null, byMarket ? MarketsPlanned : null)).AsTask();

    private async Task AppendAsync(object @event, CancellationToken ct)
    {
        await using var session = store.LightweightSession(user);
        await AccountStream.AppendAsync(session, account.CredentialId, @event, ct);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Anything thrown while reading an exchange's answer is that exchange's malformed answer, typed as such.</summary>
    private async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try { return await read(); }
        catch (Exception e) when (IsUnreadable(e)) { throw Malformed(e); }
    }

    /// <summary>The exchange's pages, read one ahead: the next page is asked for while the caller stores this one, so the
    /// walk costs the slower of the exchange and the database rather than their sum. Pages still reach the caller one at a
    /// time and in order, and one is acknowledged only once stored, so the read-ahead page of a crash is simply asked for
    /// again.</summary>
    private async IAsyncEnumerable<TradePage> GuardAsync(IAsyncEnumerable<TradePage> pages, [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await using var e = pages.GetAsyncEnumerator(stop.Token);
        var next = NextAsync(e);
        try
        {
            while (true)
            {
                TradePage? page;
                var waited = TradePagePhases.Now();
                try { page = await next; }
                catch (Exception x) when (IsUnreadable(x)) { throw Malformed(x); }
                Phases.Exchange(waited);
                if (page is null) yield break;
                next = NextAsync(e);
                yield return page;
            }
        }
        finally
        {
            // An enumerator cannot be disposed while it is being advanced: a walk that stops early (a failed store, the
            // budget) cancels the read-ahead (it may be waiting for the exchange's rate limit) and lets it end; its page,
            // never stored, is dropped.
            await stop.CancelAsync();
            try { await next; }
            catch (Exception) { }
        }
    }

    private static async Task<TradePage?> NextAsync(IAsyncEnumerator<TradePage> e) => await e.MoveNextAsync() ? e.Current : null;

    private static bool IsUnreadable(Exception e) => e is not (ExchangeException or OperationCanceledException);

    private ExchangeException Malformed(Exception e) =>
        new(command.Exchange, ExchangeErrorType.MalformedResponse, $"{command.Exchange}: malformed response ({e.GetType().Name})");
}
