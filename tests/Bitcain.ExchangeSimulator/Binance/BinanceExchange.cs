using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>The Binance spot REST protocol (binance.com or Binance.US, per <see cref="BinanceVenue"/>): routing,
/// request weight, key and signature checks, then the endpoint.</summary>
internal sealed partial class BinanceExchange : IExchangeSimulation
{
    // ApiKey: Binance's MARKET_DATA security, the key in X-MBX-APIKEY and no signature.
    private enum Security { None, ApiKey, Signed }

    private sealed record Route(string Method, string Path, Security Security, string? Permission, Func<BinanceRequest, int> Weight,
        Func<BinanceRequest, Task> Handle)
    {
        /// <summary>The parameters a /api/v3 endpoint reads; anything else sent is refused with -1104, as spot does
        /// (e.g. ccxt/ccxt#9281). Null for /sapi, whose endpoints are not known to check.</summary>
        public string[]? Accepts { get; init; }

        public bool Sapi => Path.StartsWith("/sapi/", StringComparison.Ordinal);
    }

    private readonly BinanceVenue _venue;
    private readonly SimulatorOptions _options;
    private readonly BinanceRateLimiter _limiter;
    private readonly Dictionary<(string Method, string Path), Route> _routes = new();
    private readonly Dictionary<string, BinanceAccount> _byKey;

    public BinanceExchange(BinanceVenue venue, SimulatorOptions options)
    {
        _venue = venue;
        _options = options;
        _limiter = new BinanceRateLimiter(options.Binance);
        _byKey = venue.Accounts.ToDictionary(a => a.Key.ApiKey, StringComparer.Ordinal);

        // Weights from binance-spot-api-docs rest-api.md (api) and the SAPI pages cited in FACTS.md (sapi, IP weight).
        Add("GET", "/api/v3/ping", Security.None, null, _ => 1, Ping, []);
        Add("GET", "/api/v3/time", Security.None, null, _ => 1, Time, []);
        Add("GET", "/api/v3/exchangeInfo", Security.None, null, _ => 20, ExchangeInfo,
            ["symbol", "symbols", "permissions", "showPermissionSets", "symbolStatus"]);
        Add("GET", "/api/v3/ticker/24hr", Security.None, null, TickerWeight, Ticker24h, ["symbol", "symbols", "type", "symbolStatus"]);
        Add("GET", "/api/v3/account", Security.Signed, Permission.Read, _ => 20, AccountInfo, ["omitZeroBalances", .. SignedParams]);
        Add("GET", "/api/v3/myTrades", Security.Signed, Permission.Read, r => r.Has("orderId") ? 5 : 20, MyTrades,
            ["symbol", "orderId", "startTime", "endTime", "fromId", "limit", .. SignedParams]);
        Add("GET", "/sapi/v1/system/status", Security.None, null, _ => 1, SystemStatus);
        if (venue.HasApiRestrictions)
            Add("GET", "/sapi/v1/account/apiRestrictions", Security.Signed, Permission.Read, _ => 1, ApiRestrictions);
        if (venue.HasBnbBurn)
        {
            Add("GET", "/sapi/v1/bnbBurn", Security.Signed, Permission.Read, _ => 1, GetBnbBurn);
            // Changing account settings is refused to a read-only key.
            Add("POST", "/sapi/v1/bnbBurn", Security.Signed, Permission.Trade, _ => 1, SetBnbBurn);
        }
        if (venue.HasBinanceDust)
        {
            Add("POST", "/sapi/v1/asset/dust-btc", Security.Signed, Permission.Read, _ => 1, DustBtc);
            // Converting moves funds: the docs require "Enable Spot & Margin Trading" on the key.
            Add("POST", "/sapi/v1/asset/dust", Security.Signed, Permission.Trade, _ => 10, DustTransfer);
        }
        if (venue.HasBinanceUsDust)
            Add("GET", "/sapi/v1/asset/query/dust-assets", Security.Signed, Permission.Read, _ => 1, UsDustAssets);
        AddCatalogRoutes();
        AddWalletHistoryRoutes();
    }

    public string Name => _venue.Name;

    public IReadOnlyList<SimulatedAccount> Accounts => _venue.Accounts.Select(a => a.Key).ToList();

    public string? ApiKeyOf(HttpRequest request) => request.Headers["X-MBX-APIKEY"].FirstOrDefault();

    public AccountHoldings Holdings(string account) => Bitcain.ExchangeSimulator.Holdings.Of(_venue.Accounts, account, a => a.Key,
        a => a.Balances.Select(b => (b.Asset, b.Free + b.Locked)),
        a => a.Trades.Values.SelectMany(series => Enumerable.Range(0, series.Count).Select(series.At))
            .Select(t => new HeldTrade(t.Id.ToString(CultureInfo.InvariantCulture), t.Symbol, Bitcain.ExchangeSimulator.Holdings.Ms(t.Time))));

    public void ResetState()
    {
        _limiter.Reset();
        foreach (var account in _venue.Accounts) account.ResetState();
    }

    private static readonly string[] SignedParams = ["recvWindow", "timestamp", "signature"];

    private void Add(string method, string path, Security security, string? permission, Func<BinanceRequest, int> weight,
        Func<BinanceRequest, Task> handle, string[]? accepts = null) =>
        _routes[(method, path)] = new Route(method, path, security, permission, weight, handle) { Accepts = accepts };

    public async Task HandleAsync(HttpContext context, string path)
    {
        var now = _options.Time.GetUtcNow();
        if (!_routes.TryGetValue((context.Request.Method.ToUpperInvariant(), path), out var route))
        {
            // Binance answers unknown paths with a bare 404 (and an HTML page we do not imitate).
            context.Response.StatusCode = _routes.Keys.Any(k => k.Path == path) ? 405 : 404;
            return;
        }
        var request = await BinanceRequest.ReadAsync(context, path, now);
        int weight;
        try
        {
            weight = route.Weight(request);
        }
        catch (BinanceException)
        {
            weight = 1;
        }
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "local";
        var decision = _limiter.Charge(ip, route.Sapi, weight, now);
        context.Response.Headers[route.Sapi ? "X-SAPI-USED-IP-WEIGHT-1M" : "X-MBX-USED-WEIGHT-1M"] =
            decision.UsedWeight.ToString(CultureInfo.InvariantCulture);
        if (decision.Verdict != RateVerdict.Allowed)
        {
            context.Response.Headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            var limit = route.Sapi ? _options.Binance.SapiIpWeightPerMinute : _options.Binance.RequestWeightPerMinute;
            await WriteErrorAsync(context, decision.Verdict == RateVerdict.Banned
                ? BinanceError.IpBanned(decision.BannedUntilMs)
                : BinanceError.TooMuchWeight(limit));
            return;
        }
        try
        {
            if (route.Accepts is not null && request.HasDuplicates) throw new BinanceException(BinanceError.DuplicateParameter);
            if (route.Security == Security.Signed) request.Account = Authenticate(request, route.Permission!);
            if (route.Security == Security.ApiKey) request.Account = KeyHolder(request);
            if (route.Accepts is { } accepts)
            {
                var read = request.Names.Count(accepts.Contains);
                if (read != request.Names.Count) throw new BinanceException(BinanceError.UnreadParameters(read, request.Names.Count));
            }
            await route.Handle(request);
        }
        catch (BinanceException e)
        {
            await WriteErrorAsync(context, e.Error);
        }
    }

    public async Task WriteFaultAsync(HttpContext context, string path, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                var sapi = path.StartsWith("/sapi/", StringComparison.Ordinal);
                var limit = sapi ? _options.Binance.SapiIpWeightPerMinute : _options.Binance.RequestWeightPerMinute;
                context.Response.Headers[sapi ? "X-SAPI-USED-IP-WEIGHT-1M" : "X-MBX-USED-WEIGHT-1M"] = (limit + 1).ToString(CultureInfo.InvariantCulture);
                context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await WriteErrorAsync(context, BinanceError.TooMuchWeight(limit) with { Status = fault.StatusCode ?? 429 });
                return;
            case FaultKind.Maintenance when path == "/sapi/v1/system/status":
                // Documented values: 0 normal, 1 system maintenance.
                await SimJson.WriteAsync(context, 200, new { status = 1, msg = "system maintenance" });
                return;
            case FaultKind.Maintenance:
                await WriteErrorAsync(context, BinanceError.ServiceUnavailable with { Status = fault.StatusCode ?? 503 });
                return;
            default:
                await WriteErrorAsync(context, BinanceError.Internal with { Status = fault.StatusCode ?? 500 });
                return;
        }
    }

    private static Task WriteErrorAsync(HttpContext context, BinanceError error) =>
        SimJson.WriteAsync(context, error.Status, new { code = error.Code, msg = error.Msg });

    /// <summary>SIGNED endpoint checks in the order Binance reports them: the key, the mandatory timestamp and
    /// signature, recvWindow, the timing rule, the HMAC, then the key's permission.</summary>
    private BinanceAccount KeyHolder(BinanceRequest request)
    {
        var apiKey = request.Context.Request.Headers["X-MBX-APIKEY"].FirstOrDefault();
        if (string.IsNullOrEmpty(apiKey) || apiKey.Length != 64 || !apiKey.All(char.IsAsciiLetterOrDigit))
            throw new BinanceException(BinanceError.ApiKeyFormat);
        return _byKey.TryGetValue(apiKey, out var account) ? account : throw new BinanceException(BinanceError.RejectedKey);
    }

    private BinanceAccount Authenticate(BinanceRequest request, string permission)
    {
        var account = KeyHolder(request);

        var timestampText = request.Get("timestamp");
        if (timestampText is null || !decimal.TryParse(timestampText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var timestamp))
            throw new BinanceException(BinanceError.Mandatory("timestamp"));
        var signature = BinanceSignature.SignatureOf(request.RawQuery, request.RawBody);
        if (string.IsNullOrEmpty(signature)) throw new BinanceException(BinanceError.Mandatory("signature"));

        var recvWindow = 5000m;
        if (request.Get("recvWindow") is { } recvText)
        {
            if (!decimal.TryParse(recvText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out recvWindow))
                throw new BinanceException(BinanceError.Mandatory("recvWindow"));
            if (recvWindow > 60000m || recvWindow <= 0m) throw new BinanceException(BinanceError.BadRecvWindow);
        }
        // timestamp may be in microseconds (16 digits) since 2024; compare in milliseconds.
        if (timestamp >= 100_000_000_000_000m) timestamp /= 1000m;
        decimal serverTime = request.Now.ToUnixTimeMilliseconds();
        if (timestamp >= serverTime + 1000m) throw new BinanceException(BinanceError.AheadOfServer);
        if (serverTime - timestamp > recvWindow) throw new BinanceException(BinanceError.OutsideRecvWindow);

        var payload = BinanceSignature.PayloadOf(request.RawQuery, request.RawBody);
        if (!BinanceSignature.Verify(account.Key.ApiSecret, payload, signature)) throw new BinanceException(BinanceError.InvalidSignature);

        if (!account.Key.Can(permission)) throw new BinanceException(BinanceError.RejectedKey);
        return account;
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, SimJson.Writer)) write(writer);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }
}
