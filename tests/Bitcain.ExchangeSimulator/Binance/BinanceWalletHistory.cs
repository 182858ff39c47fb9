using System.Globalization;

namespace Bitcain.ExchangeSimulator.Binance;

internal sealed record BinanceDeposit(string Id, string Coin, decimal Amount, string Network, string Address, string TxId, long InsertTime);

internal sealed record BinanceWithdrawal(string Id, string Coin, decimal Amount, decimal Fee, string Network, string Address, string TxId, long ApplyTime);

internal sealed record BinanceFiatTransfer(string OrderId, string Currency, decimal Amount, decimal Fee, long CreateTime);

internal sealed record BinanceDustDetail(long TransId, string FromAsset, decimal Amount, decimal Transferred, decimal ServiceCharge);

internal sealed record BinanceDustConversion(long TransId, long OperateTime, IReadOnlyList<BinanceDustDetail> Details);

/// <summary>An account's wallet history: what came in and went out besides trades. It tells the story behind the
/// balances, so a client can learn of assets no longer held (issue #14: a quote spent to zero, a coin sold out).</summary>
internal sealed class BinanceWalletHistory
{
    public static readonly BinanceWalletHistory Empty = new("empty");

    private readonly string _seed;
    private readonly List<BinanceDeposit> _deposits = [];
    private readonly List<BinanceWithdrawal> _withdrawals = [];
    private readonly List<BinanceFiatTransfer> _fiatDeposits = [];
    private readonly List<BinanceFiatTransfer> _fiatWithdrawals = [];
    private readonly List<BinanceDustConversion> _dust = [];

    public BinanceWalletHistory(string seed) => _seed = seed;

    public IReadOnlyList<BinanceDeposit> Deposits => _deposits;
    public IReadOnlyList<BinanceWithdrawal> Withdrawals => _withdrawals;
    public IReadOnlyList<BinanceFiatTransfer> FiatDeposits => _fiatDeposits;
    public IReadOnlyList<BinanceFiatTransfer> FiatWithdrawals => _fiatWithdrawals;
    public IReadOnlyList<BinanceDustConversion> Dust => _dust;

    private int _n;

    private ulong Next() => Deterministic.Hash(_seed + "/wallet", _n++);

    public BinanceWalletHistory Deposit(string coin, decimal amount, DateTimeOffset at)
    {
        var h = Next();
        _deposits.Add(new BinanceDeposit((760_000_000_000_000_000L + (long)(h % 10_000_000_000_000_000)).ToString(CultureInfo.InvariantCulture),
            coin, amount, NetworkOf(coin), AddressOf(coin, h), "0x" + Hex(h, 64), at.ToUnixTimeMilliseconds()));
        return this;
    }

    public BinanceWalletHistory Withdraw(string coin, decimal amount, decimal fee, DateTimeOffset at)
    {
        var h = Next();
        _withdrawals.Add(new BinanceWithdrawal(Hex(h, 32), coin, amount, fee, NetworkOf(coin), AddressOf(coin, Deterministic.Mix(h)),
            "0x" + Hex(Deterministic.Mix(h ^ 1), 64), at.ToUnixTimeMilliseconds()));
        return this;
    }

    public BinanceWalletHistory FiatDeposit(string currency, decimal amount, DateTimeOffset at)
    {
        _fiatDeposits.Add(new BinanceFiatTransfer(Hex(Next(), 32), currency, amount, 0m, at.ToUnixTimeMilliseconds()));
        return this;
    }

    public BinanceWalletHistory FiatWithdraw(string currency, decimal amount, decimal fee, DateTimeOffset at)
    {
        _fiatWithdrawals.Add(new BinanceFiatTransfer(Hex(Next(), 32), currency, amount, fee, at.ToUnixTimeMilliseconds()));
        return this;
    }

    /// <summary>Small balances swept into <paramref name="toAsset"/> at once, 2% fee, as the dust converters do.</summary>
    public BinanceWalletHistory DustConversion(DateTimeOffset at, string toAsset, params (string Asset, decimal Amount)[] from)
    {
        var transId = 40_000_000_000L + (long)(Next() % 9_000_000_000);
        var details = from.Select((f, i) =>
        {
            var converted = Math.Round(f.Amount * AssetCatalog.UsdPrice(f.Asset) / AssetCatalog.UsdPrice(toAsset), 8);
            var fee = Math.Round(converted * 0.02m, 8);
            return new BinanceDustDetail(transId + i + 1, f.Asset, f.Amount, converted - fee, fee);
        }).ToList();
        _dust.Add(new BinanceDustConversion(transId, at.ToUnixTimeMilliseconds(), details));
        return this;
    }

    private static string NetworkOf(string coin) => coin switch
    {
        "BTC" => "BTC",
        "BNB" => "BSC",
        "SOL" => "SOL",
        "XRP" => "XRP",
        "TRX" or "USDT" => "TRX",
        "RVN" => "RVN",
        _ => "ETH",
    };

    private static string AddressOf(string coin, ulong h) => NetworkOf(coin) switch
    {
        "BTC" => "bc1q" + Hex(h, 38).ToLowerInvariant(),
        "TRX" => "T" + Hex(h, 33),
        _ => "0x" + Hex(h, 40).ToLowerInvariant(),
    };

    private static string Hex(ulong seed, int length)
    {
        var chars = new char[length];
        var h = seed;
        for (var i = 0; i < length; i++)
        {
            h = Deterministic.Mix(h);
            chars[i] = "0123456789abcdef"[(int)(h % 16)];
        }
        return new string(chars);
    }
}
