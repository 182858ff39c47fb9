using Bitcain.Exchanges.Binance;
using Bitcain.Exchanges.Bitfinex;
using Bitcain.Exchanges.Bybit;
using Bitcain.Exchanges.Coinbase;
using Bitcain.Exchanges.GateIo;
using Bitcain.Exchanges.Http;
using Bitcain.Exchanges.Kraken;
using Bitcain.Exchanges.KuCoin;
using Bitcain.Exchanges.Okx;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges;

/// <summary>
/// Everything Bitcain knows and builds for one exchange, kept in the exchange's own folder: its static facts and
/// capabilities (<see cref="Descriptor"/>), the rate budgets its client keeps, and how its client is made. Every list
/// of exchanges (the catalog, the clients registered, <c>/info</c>'s budgets, the AppHost's simulated exchanges, the
/// names the gateway accepts) is read from <see cref="ExchangeModules.All"/>.
/// </summary>
public interface IExchangeModule
{
    ExchangeDescriptor Descriptor { get; }

    /// <summary>
    /// The budgets the client keeps, first the key's own: the one <c>Exchanges:&lt;id&gt;:RateLimit</c>
    /// (<paramref name="limit"/>) and <c>RateDecayPerSecond</c> (<paramref name="drain"/>) override.
    /// </summary>
    IReadOnlyList<RateBudget> RateBudgets(int? limit = null, double? drain = null);

    IExchangeClient CreateClient(ExchangeClientParts parts);
}

/// <summary>What a module builds its client from: one process-wide transport and the budgets it keeps, already configured.</summary>
public sealed record ExchangeClientParts(ExchangeDescriptor Descriptor, ExchangeTransport Transport, IReadOnlyList<RateBudget> Budgets, TimeProvider Time)
{
    public DecayingCallCounter Counter(Index budget) => Budgets[budget].Counter(Time, Descriptor.Id);

    public RequestWeightLimiter Weight(Index budget) => Budgets[budget].Weight(Time, Descriptor.Id);
}

/// <summary>The exchanges Bitcain speaks to: the one list the others are read from. Adding one: shared/Bitcain.Exchanges/README.md.</summary>
public static class ExchangeModules
{
    // The contract's order, which /api/exchange/supported answers in.
    public static IReadOnlyList<IExchangeModule> All { get; } =
    [
        BinanceModule.Binance,
        BinanceModule.BinanceUs,
        new CoinbaseModule(),
        new KrakenModule(),
        new BybitModule(),
        new KuCoinModule(),
        new BitfinexModule(),
        new OkxModule(),
        new GateIoModule(),
    ];

    public static IReadOnlyList<string> Ids { get; } = All.Select(m => m.Descriptor.Id).ToList();

    /// <summary>Every name a user may type, each exchange's id followed by its aliases: <c>binance, binanceus, binance_us, ...</c></summary>
    public static IReadOnlyList<string> AcceptedNames { get; } = All.SelectMany(m => m.Descriptor.Aliases.Prepend(m.Descriptor.Id)).ToList();

    private static readonly Dictionary<string, IExchangeModule> ById = All.ToDictionary(m => m.Descriptor.Id, StringComparer.Ordinal);

    /// <summary>The module of a catalog id, exactly as the catalog spells it (<see cref="ExchangeCatalog.TryResolve"/> resolves what users type).</summary>
    public static bool TryGet(string id, out IExchangeModule module) => ById.TryGetValue(id, out module!);

    public static IExchangeModule Get(string id) =>
        TryGet(id, out var module) ? module : throw new ArgumentOutOfRangeException(nameof(id), id, "not an exchange of the catalog");
}
