namespace Bitcain.ExchangeSimulator.KuCoin;

/// <summary>What a general-purpose client (ccxt) reads besides symbols while loading markets: currencies, all tickers,
/// the margin listings and the account's mode. The seeded accounts are classic (not unified, not high-frequency) spot
/// accounts, and margin lists nothing since only spot is simulated.</summary>
internal sealed partial class KuCoinExchange
{
    private Task AllTickers(HttpContext context, DateTimeOffset now) => OkAsync(context, new
    {
        time = now.ToUnixTimeMilliseconds(),
        ticker = _symbols.Select(s =>
        {
            var t = DayOf(s, now);
            return new
            {
                symbol = s.Symbol, symbolName = s.Symbol, buy = Plain(t.Last - s.PriceIncrement), bestBidSize = "1", sell = Plain(t.Last + s.PriceIncrement),
                bestAskSize = "1", changeRate = Plain(Math.Round((t.Last - t.Open) / t.Open, 4)), changePrice = Plain(t.Last - t.Open),
                high = Plain(t.High), low = Plain(t.Low), vol = Plain(t.Vol), volValue = Plain(Math.Round(t.Vol * t.Last, 8)), last = Plain(t.Last),
                averagePrice = Plain(t.Last), takerFeeRate = "0.001", makerFeeRate = "0.001", takerCoefficient = "1", makerCoefficient = "1",
            };
        }),
    });

    /// <summary>GET /api/v3/currencies: every currency a symbol trades, one chain open for deposit and withdrawal.</summary>
    private Task Currencies(HttpContext context) => OkAsync(context,
        _symbols.SelectMany(s => new[] { s.Base, s.Quote }).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(c => new
        {
            currency = c, name = c, fullName = c, precision = 8, confirms = (int?)null, contractAddress = (string?)null,
            isMarginEnabled = false, isDebitEnabled = false,
            chains = new[]
            {
                new
                {
                    chainName = c, withdrawalMinSize = "0.001", depositMinSize = "0.00000001", withdrawFeeRate = "0", withdrawalMinFee = "0.0001",
                    isWithdrawEnabled = true, isDepositEnabled = true, confirms = 6, preConfirms = 3, contractAddress = "", withdrawPrecision = 8,
                    maxWithdraw = (string?)null, maxDeposit = (string?)null, needTag = false, chainId = c.ToLowerInvariant(),
                },
            },
        }));

    private static Task AccountMode(Call call) => OkAsync(call.Context, new { selfAccountMode = "CLASSIC", hasSubUnifiedAccount = false });

    private static Task HfAccountsOpened(Call call) => OkAsync(call.Context, false);

    private static Task MarginSymbols(Call call) =>
        OkAsync(call.Context, new { timestamp = call.Now.ToUnixTimeMilliseconds(), items = Array.Empty<object>() });

    private static Task IsolatedSymbols(Call call) => OkAsync(call.Context, Array.Empty<object>());
}
