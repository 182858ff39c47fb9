using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.KuCoin;

public sealed class KuCoinModule : IExchangeModule
{
    // KuCoin opened on 2017-09-15 (its own anniversary posts). Its keys sign with a passphrase.
    public ExchangeDescriptor Descriptor { get; } =
        new("kucoin", "KuCoin", "https://www.kucoin.com", "https://api.kucoin.com", true, [], 0.001m, 0.001m,
            ExchangeCapabilitySets.Standard, ExchangeDescriptor.UtcDay(2017, 9, 15));

    // KuCoin VIP0 pools per 30 s: 4000 private weight per UID, 2000 public per IP.
    public IReadOnlyList<RateBudget> RateBudgets(int? limit = null, double? drain = null) =>
    [
        new("private_weight", "decay", limit ?? 2000, drain ?? 33, "KuCoin VIP0 allows weight 4000 per 30 s per UID"),
        new("public_weight", "decay", 1000, 16, "KuCoin allows weight 2000 per 30 s per IP"),
    ];

    public IExchangeClient CreateClient(ExchangeClientParts parts) =>
        new KuCoinClient(parts.Descriptor, parts.Transport, new KuCoinRateLimits(parts.Counter(0), parts.Counter(1)), parts.Time);
}
