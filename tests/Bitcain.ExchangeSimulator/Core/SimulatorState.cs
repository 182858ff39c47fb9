using Bitcain.ExchangeSimulator.Binance;
using Bitcain.ExchangeSimulator.Bitfinex;
using Bitcain.ExchangeSimulator.Bybit;
using Bitcain.ExchangeSimulator.Coinbase;
using Bitcain.ExchangeSimulator.GateIo;
using Bitcain.ExchangeSimulator.KuCoin;
using Bitcain.ExchangeSimulator.Okx;
using Bitcain.ExchangeSimulator.Kraken;

namespace Bitcain.ExchangeSimulator;

/// <summary>
/// One simulator's world: its exchanges, accounts, faults and counters. The exchanges are the simulator's own module set,
/// one per folder, each holding its seeded accounts: the simulator reads no exchange module of Bitcain.Exchanges (its
/// protocol checks are an independent reading of the exchanges' documents, and its seeded keys are test data that has
/// no place in the production library). Bitcain.Exchanges.Tests checks that this set matches ExchangeModules.All.
/// </summary>
internal sealed class SimulatorState
{
    public SimulatorState(SimulatorOptions options)
    {
        Options = options;
        IExchangeSimulation[] exchanges =
        [
            new BinanceExchange(BinanceVenue.Binance(options), options),
            new BinanceExchange(BinanceVenue.BinanceUs(options), options),
            new KrakenExchange(options),
            new BybitExchange(options),
            new OkxExchange(options),
            new KuCoinExchange(options),
            new GateIoExchange(options),
            new BitfinexExchange(options),
            new CoinbaseExchange(options),
        ];
        Exchanges = exchanges.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
        Accounts = exchanges.SelectMany(e => e.Accounts).ToList();
    }

    public SimulatorOptions Options { get; }
    public IReadOnlyDictionary<string, IExchangeSimulation> Exchanges { get; }
    public IReadOnlyList<SimulatedAccount> Accounts { get; }
    public SimulatorFaults Faults { get; } = new();
    public SimulatorRequests Requests { get; } = new();

    public void ResetState()
    {
        foreach (var exchange in Exchanges.Values) exchange.ResetState();
    }
}
