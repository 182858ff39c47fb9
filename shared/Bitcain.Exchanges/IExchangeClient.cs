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

/// <summary>The process's exchange clients, resolved by any name <see cref="ExchangeCatalog.TryResolve"/> accepts.</summary>
public interface IExchangeClients
{
    /// <summary>The exchanges that have a client here.</summary>
    IReadOnlyList<string> Exchanges { get; }

    bool TryGet(string? name, out IExchangeClient client);

    /// <exception cref="KeyNotFoundException">no client for that name.</exception>
    IExchangeClient Get(string name);
}
