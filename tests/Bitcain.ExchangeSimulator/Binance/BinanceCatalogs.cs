namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>The listings a general-purpose client (ccxt) reads while loading markets: every coin's wallet configuration
/// and the margin and futures listings. This simulator trades spot only, so margin and futures answer empty but in the
/// exchange's shapes, the way an account and a venue without those products would see them.</summary>
internal sealed partial class BinanceExchange
{
    private void AddCatalogRoutes()
    {
        Add("GET", "/sapi/v1/capital/config/getall", Security.Signed, Permission.Read, _ => 10, CoinConfigs);
        if (!_venue.HasApiRestrictions) return;
        // Binance.US has no margin or futures APIs.
        Add("GET", "/sapi/v1/margin/allPairs", Security.ApiKey, null, _ => 1, r => SimJson.WriteRawAsync(r.Context, 200, "[]"));
        Add("GET", "/sapi/v1/margin/isolated/allPairs", Security.Signed, Permission.Read, _ => 10, r => SimJson.WriteRawAsync(r.Context, 200, "[]"));
        Add("GET", "/fapi/v1/exchangeInfo", Security.None, null, _ => 1, EmptyFuturesInfo);
        Add("GET", "/dapi/v1/exchangeInfo", Security.None, null, _ => 1, EmptyFuturesInfo);
    }

    private static Task EmptyFuturesInfo(BinanceRequest r) => SimJson.WriteAsync(r.Context, 200, new
    {
        timezone = "UTC",
        serverTime = r.Now.ToUnixTimeMilliseconds(),
        futuresType = r.Context.Request.Path.Value!.Contains("/dapi/", StringComparison.Ordinal) ? "COIN_M" : "U_MARGINED",
        rateLimits = Array.Empty<object>(),
        exchangeFilters = Array.Empty<object>(),
        assets = Array.Empty<object>(),
        symbols = Array.Empty<object>(),
    });

    /// <summary>GET /sapi/v1/capital/config/getall: one entry per coin the venue lists, with the account's own free and
    /// locked amounts and one network whose deposits and withdrawals are open.</summary>
    private Task CoinConfigs(BinanceRequest r)
    {
        var held = r.SignedAccount.Balances.ToDictionary(b => b.Asset, StringComparer.Ordinal);
        var coins = _venue.Markets.Symbols.SelectMany(s => new[] { s.BaseAsset, s.QuoteAsset }).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return SimJson.WriteAsync(r.Context, 200, coins.Select(coin =>
        {
            var balance = held.GetValueOrDefault(coin);
            var fiat = coin is "USD" or "EUR" or "TRY" or "BRL" or "JPY";
            return new
            {
                coin,
                depositAllEnable = true,
                withdrawAllEnable = true,
                name = coin,
                free = BinanceMarkets.F8(balance?.Free ?? 0m),
                locked = BinanceMarkets.F8(balance?.Locked ?? 0m),
                freeze = "0",
                withdrawing = "0",
                ipoing = "0",
                ipoable = "0",
                storage = "0",
                isLegalMoney = fiat,
                trading = true,
                networkList = new[]
                {
                    new
                    {
                        network = coin, coin, withdrawIntegerMultiple = "0.00000001", isDefault = true, depositEnable = true,
                        withdrawEnable = true, depositDesc = "", withdrawDesc = "", specialTips = "", name = coin,
                        resetAddressStatus = false, addressRegex = "^[0-9A-Za-z]{20,64}$", memoRegex = "", withdrawFee = "0.0001",
                        withdrawMin = "0.001", withdrawMax = "9999999999", depositDust = "0.00000001", minConfirm = 1,
                        unLockConfirm = 2, sameAddress = false, estimatedArrivalTime = 5, busy = false,
                        contractAddressUrl = "", contractAddress = "",
                    },
                },
            };
        }));
    }
}
