namespace Bitcain.ExchangeSimulator;

/// <summary>What a seeded account holds in its spot trading wallet (whole amounts, free plus locked, in common codes: BTC, not
/// XXBT or XBT; USDT, not UST) and every trade it made, with the exchange's own trade id and market id: what a correct client
/// must read back. Trades are computed on each call, so ask for a load account's only when you mean it.</summary>
public sealed record AccountHoldings(IReadOnlyDictionary<string, decimal> Balances, IReadOnlyList<HeldTrade> Trades);

public sealed record HeldTrade(string Id, string Market, DateTimeOffset Time);

internal static class Holdings
{
    public static AccountHoldings Of<TAccount>(IEnumerable<TAccount> accounts, string name, Func<TAccount, SimulatedAccount> key,
        Func<TAccount, IEnumerable<(string Asset, decimal Total)>> balances, Func<TAccount, IEnumerable<HeldTrade>> trades)
    {
        var account = accounts.FirstOrDefault(a => key(a).Name == name)
            ?? throw new ArgumentException($"No seeded account '{name}'.", nameof(name));
        return new AccountHoldings(
            balances(account).Where(b => b.Total != 0m).GroupBy(b => b.Asset, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(b => b.Total), StringComparer.Ordinal),
            trades(account).OrderBy(t => t.Time).ToList());
    }

    public static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
