namespace Bitcain.ExchangeSimulator.Bitfinex;

/// <summary>GET /v2/conf/{keys}: one value per comma-separated key, in the order asked, so one request can read the
/// pairs, their limits and the currency maps together (as ccxt's bitfinex does). Only spot is simulated, so futures,
/// securities and margin lists are empty; a key Bitfinex does not publish answers null in its place.</summary>
internal sealed partial class BitfinexExchange
{
    private const string ConfPrefix = "/v2/conf/";

    private Task Conf(HttpContext context, string keys) =>
        SimJson.WriteAsync(context, 200, keys.Split(',').Select(ConfValue).ToArray());

    private object? ConfValue(string key)
    {
        var codes = _markets.Pairs.SelectMany(p => new[] { p.Base, p.Quote }).Distinct(StringComparer.Ordinal)
            .Select(a => (Asset: a, Code: BitfinexMarkets.CodeOf(a))).OrderBy(a => a.Code, StringComparer.Ordinal).ToList();
        return key switch
        {
            "pub:list:pair:exchange" => _markets.Pairs.Where(p => p.OnExchangeWallet).Select(p => p.Id).ToArray(),
            // [PAIR, [_, _, _, MIN_ORDER_SIZE, MAX_ORDER_SIZE, _, _, _, INITIAL_MARGIN, MIN_MARGIN, _, _]]
            "pub:info:pair" => _markets.Pairs.Select(p => new object[]
            {
                p.Id, new object?[] { null, null, null, Plain(p.MinOrderSize), Plain(p.MaxOrderSize), null, null, null, "0.2", "0.1", null, null },
            }).ToArray(),
            "pub:list:currency" => codes.Select(c => c.Code).ToArray(),
            // Bitfinex publishes the API code → common code map (UST → USDT) only where they differ.
            "pub:map:currency:sym" => codes.Where(c => c.Code != c.Asset).Select(c => new[] { c.Code, c.Asset }).ToArray(),
            "pub:map:currency:label" => codes.Select(c => new[] { c.Code, c.Asset }).ToArray(),
            "pub:info:pair:futures" or "pub:list:pair:securities" or "pub:list:pair:margin" or "pub:list:pair:futures"
                or "pub:map:currency:unit" or "pub:map:currency:undl" or "pub:map:currency:pool" or "pub:map:currency:explorer"
                or "pub:map:currency:tx:fee" or "pub:map:tx:method" or "pub:info:tx:status" or "pub:list:currency:margin" => Array.Empty<object>(),
            _ => null,
        };
    }
}
