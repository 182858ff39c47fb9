using System.Globalization;

namespace Bitcain.ExchangeSimulator.Coinbase;

/// <summary>What a general-purpose client (ccxt's coinbase) reads besides Advanced Trade's products while loading
/// markets: the public Coinbase App (v2) currency lists and exchange rates, and the key's fee tier from
/// <c>transaction_summary</c>.</summary>
internal sealed partial class CoinbaseExchange
{
    private const string V2Prefix = "/v2/";
    private const string V2Accounts = "/v2/accounts";
    private const int MaxV2AccountsLimit = 300;

    /// <summary>Fiat as the v2 currency list has it; USDC and USDT are crypto there.</summary>
    private static readonly string[] Fiat = ["USD", "EUR", "GBP"];

    private Task V2PublicAsync(HttpContext context, string path, DateTimeOffset now)
    {
        var spot = _markets.Products.Where(p => p.Type == "SPOT").ToList();
        var crypto = spot.SelectMany(p => new[] { p.Base, p.Quote }).Distinct(StringComparer.Ordinal).Where(c => !Fiat.Contains(c))
            .Order(StringComparer.Ordinal).ToList();
        switch (path)
        {
            case "/v2/currencies":
                return SimJson.WriteAsync(context, 200, new
                {
                    data = Fiat.Select(c => new { id = c, name = c, min_size = "0.01" }),
                });
            case "/v2/currencies/crypto":
                return SimJson.WriteAsync(context, 200, new
                {
                    data = crypto.Select((c, i) => new
                    {
                        code = c, name = c, color = "#000000", sort_index = 100 + i, exponent = 8, type = "crypto", address_regex = "^[0-9A-Za-z]{20,64}$",
                        asset_id = DeterministicUuid("coinbase-asset/" + c), slug = c.ToLowerInvariant(),
                    }),
                });
            case "/v2/exchange-rates":
                // Units of each currency one US dollar buys, as the v2 rates are quoted.
                var currency = context.Request.Query["currency"].FirstOrDefault() ?? "USD";
                var baseUsd = AssetCatalog.UsdPrice(currency);
                return SimJson.WriteAsync(context, 200, new
                {
                    data = new
                    {
                        currency,
                        rates = Fiat.Concat(crypto).ToDictionary(c => c,
                            c => (baseUsd / AssetCatalog.UsdPrice(c)).ToString("0.############", CultureInfo.InvariantCulture)),
                    },
                });
            default:
                return SimJson.WriteAsync(context, 404, new { errors = new[] { new { id = "not_found", message = "Not found" } } });
        }
    }

    /// <summary>GET /v2/accounts (Coinbase App, signed with the same CDP token): the same wallets as Advanced Trade's
    /// accounts, each with its whole balance (available plus held), newest-created first is not modelled: the v3 order is
    /// kept. <c>limit</c> 1..300 (25 by default), <c>starting_after</c> an account id.</summary>
    private Task V2AccountsAsync(HttpContext context, CoinbaseAccount account, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        var limit = 25;
        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxV2AccountsLimit))
            return SimJson.WriteAsync(context, 400, new { errors = new[] { new { id = "invalid_request", message = "limit must be between 1 and 300" } } });
        var start = 0;
        if (query.TryGetValue("starting_after", out var after) && after.ToString() is { Length: > 0 } afterId)
        {
            start = Enumerable.Range(0, account.Wallets.Count).FirstOrDefault(i => AccountId(account, i) == afterId, -2) + 1;
            if (start < 0) return SimJson.WriteAsync(context, 400, new { errors = new[] { new { id = "invalid_request", message = "invalid starting_after" } } });
        }
        var end = Math.Min(account.Wallets.Count, start + limit);
        var next = end < account.Wallets.Count ? AccountId(account, end - 1) : null;
        return SimJson.WriteAsync(context, 200, new
        {
            pagination = new
            {
                ending_before = (string?)null, starting_after = start > 0 ? AccountId(account, start - 1) : null, previous_ending_before = (string?)null,
                next_starting_after = next, limit, order = "desc", previous_uri = (string?)null,
                next_uri = next is null ? null : $"/v2/accounts?limit={limit}&starting_after={next}",
            },
            data = Enumerable.Range(start, end - start).Select(i =>
            {
                var w = account.Wallets[i];
                var fiat = Fiat.Contains(w.Currency);
                var id = AccountId(account, i);
                return new
                {
                    id, name = $"{w.Currency} Wallet", primary = i == 0, type = fiat ? "fiat" : "wallet",
                    currency = new
                    {
                        code = w.Currency, name = w.Currency, color = "#000000", sort_index = 100, exponent = fiat ? 2 : 8, type = fiat ? "fiat" : "crypto",
                        address_regex = fiat ? null : "^[0-9A-Za-z]{20,64}$", asset_id = fiat ? null : DeterministicUuid("coinbase-asset/" + w.Currency),
                    },
                    balance = new { amount = Plain(w.Available + w.Hold), currency = w.Currency },
                    created_at = "2021-05-31T09:59:59Z", updated_at = "2024-01-15T10:30:00Z", resource = "account", resource_path = "/v2/accounts/" + id,
                    allow_deposits = true, allow_withdrawals = true,
                };
            }),
        });
    }

    /// <summary>GET /api/v3/brokerage/transaction_summary of an account with no recent volume: the entry fee tier.</summary>
    private static Task TransactionSummaryAsync(HttpContext context) => SimJson.WriteAsync(context, 200, new
    {
        total_volume = 0,
        total_fees = 0,
        fee_tier = new
        {
            pricing_tier = "Advanced 1", usd_from = "0", usd_to = "1000", taker_fee_rate = "0.012", maker_fee_rate = "0.006", aop_from = "", aop_to = "",
        },
        margin_rate = (object?)null,
        goods_and_services_tax = (object?)null,
        advanced_trade_only_volume = 0,
        advanced_trade_only_fees = 0,
        coinbase_pro_volume = 0,
        coinbase_pro_fees = 0,
        total_balance = "",
        has_promo_fee = false,
    });

    private static string DeterministicUuid(string seed)
    {
        var h = Deterministic.Hash(seed).ToString("x16") + Deterministic.Mix(Deterministic.Hash(seed)).ToString("x16");
        return $"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..32]}";
    }
}
