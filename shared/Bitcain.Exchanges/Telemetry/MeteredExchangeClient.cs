using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Bitcain.Exchanges.Telemetry;

/// <summary>
/// Records every operation of the client it wraps (<see cref="ExchangeMetrics"/>), so that no client has to remember to.
/// Binance's optional account interfaces are passed through only by <see cref="MeteredBinanceAccount"/>: callers test for
/// them with <c>is</c>, so a wrapper must have exactly the interfaces of what it wraps.
/// </summary>
internal class MeteredExchangeClient(IExchangeClient inner) : IExchangeClient
{
    public static IExchangeClient Wrap(IExchangeClient client) =>
        client is IBnbBurnAccount and IDustAssetsAccount and IAccountActivity ? new MeteredBinanceAccount(client) : new MeteredExchangeClient(client);

    protected IExchangeClient Inner => inner;

    public string Exchange => inner.Exchange;
    public ExchangeCapabilities Capabilities => inner.Capabilities;

    public Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) => Metered("server_time", () => inner.GetServerTimeAsync(ct));
    public Task<ExchangeHealth> GetHealthAsync(CancellationToken ct = default) => Metered("health", () => inner.GetHealthAsync(ct));
    public Task<IReadOnlyList<Market>> GetMarketsAsync(CancellationToken ct = default) => Metered("markets", () => inner.GetMarketsAsync(ct));
    public Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default) => Metered("ticker", () => inner.GetTickerAsync(symbol, ct));

    public Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Metered("balances", () => inner.GetBalancesAsync(credentials, ct));

    public Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Metered("key_permissions", () => inner.GetKeyPermissionsAsync(credentials, ct));

    /// <summary>Each page is one call: a sync of a thousand pages is a thousand measurements, not one.</summary>
    public async IAsyncEnumerable<TradePage> GetMyTradesAsync(ExchangeApiCredentials credentials, MyTradesQuery query,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var pages = inner.GetMyTradesAsync(credentials, query, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            bool more;
            try
            {
                more = await pages.MoveNextAsync();
            }
            catch (Exception e)
            {
                ExchangeMetrics.RecordCall(inner.Exchange, "trade_page", e, Stopwatch.GetElapsedTime(started));
                throw;
            }
            if (!more) yield break;
            ExchangeMetrics.RecordCall(inner.Exchange, "trade_page", null, Stopwatch.GetElapsedTime(started));
            yield return pages.Current;
        }
    }

    protected async Task<T> Metered<T>(string operation, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await call();
            ExchangeMetrics.RecordCall(inner.Exchange, operation, null, Stopwatch.GetElapsedTime(started));
            return result;
        }
        catch (Exception e)
        {
            ExchangeMetrics.RecordCall(inner.Exchange, operation, e, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}

internal sealed class MeteredBinanceAccount(IExchangeClient inner)
    : MeteredExchangeClient(inner), IBnbBurnAccount, IDustAssetsAccount, IAccountActivity
{
    public Task<BnbBurnSettings> GetBnbBurnAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Metered("bnb_burn", () => ((IBnbBurnAccount)Inner).GetBnbBurnAsync(credentials, ct));

    public Task<BnbBurnSettings> SetSpotBnbBurnAsync(ExchangeApiCredentials credentials, bool spotBnbBurn, CancellationToken ct = default) =>
        Metered("set_bnb_burn", () => ((IBnbBurnAccount)Inner).SetSpotBnbBurnAsync(credentials, spotBnbBurn, ct));

    public Task<DustAssets> GetDustAssetsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) =>
        Metered("dust_assets", () => ((IDustAssetsAccount)Inner).GetDustAssetsAsync(credentials, ct));

    public Task<AccountActivity> GetAccountActivityAsync(ExchangeApiCredentials credentials, DateTimeOffset since, CancellationToken ct = default) =>
        Metered("account_activity", () => ((IAccountActivity)Inner).GetAccountActivityAsync(credentials, since, ct));
}
