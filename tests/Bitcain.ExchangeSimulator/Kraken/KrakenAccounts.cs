namespace Bitcain.ExchangeSimulator.Kraken;

internal sealed record KrakenBalance(string Code, decimal Balance, decimal HoldTrade);

/// <summary>A seeded Kraken account: key, Kraken permission names, balances, trade history, and its nonce.</summary>
internal sealed class KrakenAccount(SimulatedAccount key, IReadOnlyList<KrakenBalance> balances, KrakenTradeSequence trades)
{
    private readonly Lock _lock = new();
    private ulong _lastNonce;
    private double _counter;
    private long _counterAtMs;

    public SimulatedAccount Key { get; } = key;
    public IReadOnlyList<KrakenBalance> Balances { get; } = balances;
    public KrakenTradeSequence Trades { get; } = trades;
    public ulong LastNonce { get { lock (_lock) return _lastNonce; } }

    /// <summary>Kraken's permission names for the neutral read/trade/withdraw (GetApiKeyInfo, rest key settings).</summary>
    public IReadOnlyList<string> KrakenPermissions =>
    [
        .. Key.Can(Permission.Read) ? new[] { "query-funds", "query-open-trades", "query-closed-trades", "query-ledger" } : [],
        .. Key.Can(Permission.Trade) ? new[] { "modify-trades", "close-trades", "create-ws-token" } : [],
        .. Key.Can(Permission.Withdraw) ? new[] { "withdraw-funds" } : [],
    ];

    /// <summary>Nonces must strictly increase per key; a rejected nonce is not remembered.</summary>
    public bool TryUseNonce(ulong nonce)
    {
        lock (_lock)
        {
            if (nonce <= _lastNonce) return false;
            _lastNonce = nonce;
            return true;
        }
    }

    /// <summary>Kraken's call counter: each call adds its cost, the counter drains at a steady rate, and a call that
    /// would push it over the ceiling is refused.</summary>
    public bool TryCharge(int cost, DateTimeOffset now, KrakenLimitOptions limits)
    {
        if (!limits.Enabled) return true;
        lock (_lock)
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            if (_counterAtMs != 0) _counter = Math.Max(0, _counter - (nowMs - _counterAtMs) / 1000.0 * limits.DecayPerSecond);
            _counterAtMs = nowMs;
            if (_counter + cost > limits.MaxCounter) return false;
            _counter += cost;
            return true;
        }
    }

    public void ResetState()
    {
        lock (_lock)
        {
            _lastNonce = 0;
            _counter = 0;
            _counterAtMs = 0;
        }
    }
}
