namespace Bitcain.Exchanges;

/// <summary>
/// One exchange, in Bitcain's terms. <see cref="Capabilities"/> says which operations it supports; calling an
/// operation outside them throws an <see cref="ExchangeException"/> of type <c>invalid_request</c>.
/// Every failure is an <see cref="ExchangeException"/>.
/// </summary>
public interface IExchangeClient
{
    /// <summary>The catalog id: <c>binance</c>, <c>binanceus</c>, <c>kraken</c>.</summary>
    string Exchange { get; }

    ExchangeCapabilities Capabilities { get; }

    Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default);

    /// <summary>Server time, the exchange's own system status, and how long the round trip took.</summary>
    Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default);

    Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default);

    /// <param name="symbol"><c>BTC/USDT</c>, <c>BTCUSDT</c>, <c>BTC-USDT</c>, <c>btc_usdt</c> or the exchange's own id.</param>
    Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default);

    /// <summary>Every currency the account holds, keyed by the unified code (<c>BTC</c>, <c>USD</c>).</summary>
    Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default);

    /// <summary>
    /// The account's own trades, one exchange page at a time, oldest first where the exchange allows it, until the
    /// exchange has no more. Stop enumerating to stop fetching.
    /// </summary>
    IAsyncEnumerable<TradePage> GetMyTradesAsync(ExchangeApiCredentials credentials, MyTradesQuery query, CancellationToken ct = default);

    Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default);
}

/// <summary>Binance's BNB fee burn switch (<see cref="ExchangeCapabilities.BnbBurn"/>).</summary>
public interface IBnbBurnAccount
{
    Task<BnbBurnSettings> GetBnbBurnAsync(ExchangeApiCredentials credentials, CancellationToken ct = default);

    /// <summary>Turns paying spot fees in BNB on or off; returns the settings the exchange now holds.</summary>
    Task<BnbBurnSettings> SetSpotBnbBurnAsync(ExchangeApiCredentials credentials, bool spotBnbBurn, CancellationToken ct = default);
}

/// <summary>Small balances the exchange can convert to BNB (<see cref="ExchangeCapabilities.DustAssets"/>).</summary>
public interface IDustAssetsAccount
{
    Task<DustAssets> GetDustAssetsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default);
}

/// <summary>
/// What an account's own history says about the assets it has ever had, for choosing the markets a symbol-less trade
/// sync must walk on an exchange whose trade history is per symbol (Binance, Binance.US).
/// </summary>
public interface IAccountActivity
{
    /// <summary>Every asset the account's balances list (zero ones included), and every asset named by its deposit,
    /// withdrawal, fiat and dust-conversion history since <paramref name="since"/>. A history the exchange does not
    /// serve (404, unsupported) makes the answer <see cref="AccountActivity.Complete"/> = false rather than failing.</summary>
    Task<AccountActivity> GetAccountActivityAsync(ExchangeApiCredentials credentials, DateTimeOffset since, CancellationToken ct = default);
}

/// <param name="Assets">Unified asset codes (<c>BTC</c>, <c>USD</c>).</param>
/// <param name="Complete">False when a history source could not be read: the caller must not narrow by <paramref name="Assets"/>.</param>
/// <param name="Sources">What was read, for the sync's record (<c>balances</c>, <c>deposits</c>, ...), and what was missing.</param>
public sealed record AccountActivity(IReadOnlySet<string> Assets, bool Complete, IReadOnlyList<string> Sources);

/// <summary>The process's exchange clients, resolved by any name <see cref="ExchangeCatalog.TryResolve"/> accepts.</summary>
public interface IExchangeClients
{
    /// <summary>The exchanges that have a client here.</summary>
    IReadOnlyList<string> Exchanges { get; }

    bool TryGet(string? name, out IExchangeClient client);

    /// <exception cref="KeyNotFoundException">no client for that name.</exception>
    IExchangeClient Get(string name);
}
