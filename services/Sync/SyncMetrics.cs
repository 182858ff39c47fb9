using System.Diagnostics.Metrics;
using Bitcain.Exchanges.Telemetry;

namespace Bitcain.Sync;

/// <summary>
/// What the syncs do, per exchange: balance syncs by outcome, trade pages stored, and trades new or already held. A
/// climbing duplicate share says syncs overlap or re-walk history; failures by outcome say which exchange to look at.
/// </summary>
public static class SyncMetrics
{
    public const string MeterName = "Bitcain.Sync";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> BalanceSyncs = Meter.CreateCounter<long>(
        "bitcain.sync.balance_syncs", "{sync}", "Balance syncs, by exchange and outcome (ok, or the exchange failure's kind)");

    private static readonly Counter<long> TradePages = Meter.CreateCounter<long>(
        "bitcain.sync.trade_pages", "{page}", "Trade pages stored, by exchange");

    private static readonly Counter<long> Trades = Meter.CreateCounter<long>(
        "bitcain.sync.trades", "{trade}", "Trades in stored pages, by exchange and outcome (stored: new; duplicate: already held)");

    public static void BalanceSync(string exchange, Exception? failure) =>
        BalanceSyncs.Add(1, new("exchange", exchange), new("outcome", ExchangeMetrics.OutcomeOf(failure)));

    public static void TradePageStored(string exchange, int stored, int duplicates)
    {
        TradePages.Add(1, new KeyValuePair<string, object?>("exchange", exchange));
        Trades.Add(stored, new("exchange", exchange), new("outcome", "stored"));
        Trades.Add(duplicates, new("exchange", exchange), new("outcome", "duplicate"));
    }
}
