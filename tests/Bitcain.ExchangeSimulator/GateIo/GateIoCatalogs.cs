namespace Bitcain.ExchangeSimulator.GateIo;

/// <summary>The public listings a general-purpose client (ccxt) reads besides spot pairs while loading markets:
/// currencies, margin pairs, perpetual and delivery contracts per settle currency, option underlyings. Only spot is
/// simulated, so the others are valid, empty lists.</summary>
internal sealed partial class GateIoExchange
{
    private async Task<bool> TryWriteCatalogAsync(HttpContext context, string path)
    {
        if (path == "/api/v4/spot/currencies")
        {
            await SimJson.WriteAsync(context, 200, _pairs.SelectMany(p => new[] { p.Base, p.Quote }).Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal).Select(c => new
                {
                    currency = c, name = c, delisted = false, withdraw_disabled = false, withdraw_delayed = false, deposit_disabled = false,
                    trade_disabled = false, fixed_rate = "", chain = c,
                    chains = new[] { new { name = c, addr = "", withdraw_disabled = false, withdraw_delayed = false, deposit_disabled = false } },
                }).ToArray());
            return true;
        }
        var empty = path switch
        {
            "/api/v4/margin/currency_pairs" or "/api/v4/options/underlyings" => true,
            _ => (path.StartsWith("/api/v4/futures/", StringComparison.Ordinal) || path.StartsWith("/api/v4/delivery/", StringComparison.Ordinal))
                && path.EndsWith("/contracts", StringComparison.Ordinal) && path.Count(c => c == '/') == 5,
        };
        if (!empty) return false;
        await SimJson.WriteRawAsync(context, 200, "[]");
        return true;
    }

    /// <summary>GET /api/v4/account/detail: key mode 1 is a classic account (2 would be unified).</summary>
    private static Task AccountDetail(HttpContext context, GateAccount account) => SimJson.WriteAsync(context, 200, new
    {
        user_id = 10_000_000 + (long)(Deterministic.Hash("gate_io/uid/" + account.Key.Name) % 9_000_000),
        ip_whitelist = Array.Empty<string>(),
        currency_pairs = Array.Empty<string>(),
        key = new { mode = 1 },
        tier = 0,
        copy_trading_role = 0,
    });
}
