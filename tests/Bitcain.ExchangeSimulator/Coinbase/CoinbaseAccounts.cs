using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;

namespace Bitcain.ExchangeSimulator.Coinbase;

internal sealed record CoinbaseWallet(string Currency, decimal Available, decimal Hold);

internal sealed record CoinbaseFill(int Index, string EntryId, string TradeId, string OrderId, DateTimeOffset Time, CoinbaseProduct Product,
    bool Buy, decimal Price, decimal Size, decimal Commission, bool Maker);

/// <summary>An account's fills computed from the index (0 = oldest), each at its own millisecond, never held in memory.</summary>
internal sealed class CoinbaseFills(string seed, IReadOnlyList<CoinbaseProduct> products, int count, DateTimeOffset from, DateTimeOffset to)
{
    private readonly long _fromMs = from.ToUnixTimeMilliseconds();
    private readonly long _intervalMs = Math.Max(2, (to.ToUnixTimeMilliseconds() - from.ToUnixTimeMilliseconds()) / Math.Max(1, count));

    public int Count { get; } = count;

    public long Ms(int i) => _fromMs + _intervalMs * i + (long)(Deterministic.Hash(seed + "/t", i) % (ulong)(_intervalMs - 1));

    /// <summary>The first index whose time is after <paramref name="ms"/>.</summary>
    public int FirstAfter(long ms)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (Ms(mid) > ms) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    public CoinbaseFill At(int i)
    {
        var h = Deterministic.Hash(seed, i);
        double U(int salt) => Deterministic.Unit(Deterministic.Hash(seed + "/" + salt, i));
        var product = products[(int)(h % (ulong)products.Count)];
        var price = Math.Max(product.PriceIncrement, Deterministic.RoundDown(product.ReferencePrice * (decimal)(0.9 + 0.2 * U(1)), product.PriceIncrement));
        var size = Math.Max(product.BaseMinSize, Deterministic.RoundDown((decimal)(20 + 1980 * U(2)) / AssetCatalog.UsdPrice(product.Base), product.BaseIncrement));
        var maker = U(4) < 0.4;
        // Coinbase charges the commission in the quote currency.
        var commission = Math.Round(price * size * (maker ? 0.006m : 0.012m), 8);
        string Id(string salt) => new Guid(HashBytes(seed + "/" + salt, i)).ToString();
        return new CoinbaseFill(i, Id("entry"), Id("trade"), Id("order"), DateTimeOffset.FromUnixTimeMilliseconds(Ms(i)), product, U(3) < 0.5,
            price, size, commission, maker);
    }

    private static byte[] HashBytes(string text, int i)
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), Deterministic.Hash(text, i));
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 8), Deterministic.Hash(text + "/2", i));
        return bytes;
    }
}

/// <summary>A seeded Coinbase account: its CDP key (the public half the simulator verifies tokens with), wallets, fills and
/// its per-second request window.</summary>
internal sealed class CoinbaseAccount : IDisposable
{
    private readonly Lock _lock = new();
    private (long Second, int Count) _window;

    public CoinbaseAccount(SimulatedAccount key, IReadOnlyList<CoinbaseWallet> wallets, CoinbaseFills fills)
    {
        Key = key;
        Wallets = wallets;
        Fills = fills;
        PortfolioId = new Guid(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("coinbase-portfolio/" + key.Name))[..16]).ToString();
        if (key.ApiSecret.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            EcPublicKey = ECDsa.Create();
            using var full = ECDsa.Create();
            full.ImportFromPem(key.ApiSecret);
            EcPublicKey.ImportParameters(full.ExportParameters(false));
        }
        else
        {
            Ed25519PublicKey = new Ed25519PublicKeyParameters(Convert.FromBase64String(key.ApiSecret), 32);
        }
    }

    public SimulatedAccount Key { get; }
    public IReadOnlyList<CoinbaseWallet> Wallets { get; }
    public CoinbaseFills Fills { get; }
    public string PortfolioId { get; }

    /// <summary>Set for an EC P-256 key (ES256 tokens).</summary>
    public ECDsa? EcPublicKey { get; }

    /// <summary>Set for an Ed25519 key (EdDSA tokens).</summary>
    public Ed25519PublicKeyParameters? Ed25519PublicKey { get; }

    public bool TryCharge(DateTimeOffset now, int limit)
    {
        lock (_lock)
        {
            var second = now.ToUnixTimeMilliseconds() / 1000;
            var count = _window.Second == second ? _window.Count : 0;
            if (count >= limit) return false;
            _window = (second, count + 1);
            return true;
        }
    }

    public void ResetState()
    {
        lock (_lock) _window = default;
    }

    public void Dispose() => EcPublicKey?.Dispose();
}
