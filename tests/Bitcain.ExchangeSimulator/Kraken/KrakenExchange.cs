using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitcain.ExchangeSimulator.Kraken;

/// <summary>Kraken spot REST (FACTS.md §3): public GET/POST under /0/public, signed POST under /0/private; every
/// answer is <c>{"error":[...],"result":...}</c> and API errors come back with HTTP 200.</summary>
internal sealed partial class KrakenExchange : IExchangeSimulation
{
    private sealed record PrivateRoute(int Cost, string? KrakenPermission, Func<KrakenCall, Task> Handle);

    internal sealed record KrakenCall(HttpContext Context, KrakenAccount Account, IReadOnlyDictionary<string, string> Form, DateTimeOffset Now)
    {
        public string? Get(string name) => Form.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
    }

    private readonly SimulatorOptions _options;
    private readonly KrakenMarkets _markets = KrakenMarkets.Instance.Value;
    private readonly IReadOnlyList<KrakenAccount> _accounts;
    private readonly Dictionary<string, KrakenAccount> _byKey;
    private readonly Dictionary<string, Func<HttpContext, IReadOnlyDictionary<string, string>, Task>> _public;
    private readonly Dictionary<string, PrivateRoute> _private;
    private readonly KrakenLockouts _lockouts = new();

    public KrakenExchange(SimulatorOptions options)
    {
        _options = options;
        _accounts = SeedAccounts(options, _markets);
        _byKey = _accounts.ToDictionary(a => a.Key.ApiKey, StringComparer.Ordinal);
        _public = new(StringComparer.Ordinal)
        {
            ["/0/public/Time"] = (c, _) => Time(c),
            ["/0/public/SystemStatus"] = (c, _) => SystemStatus(c, "online"),
            ["/0/public/Assets"] = Assets,
            ["/0/public/AssetPairs"] = AssetPairs,
            ["/0/public/Ticker"] = Ticker,
        };
        // Costs and permissions per Kraken's rate-limit and API-key docs: history calls cost 2, others 1.
        _private = new(StringComparer.Ordinal)
        {
            ["/0/private/Balance"] = new(1, "query-funds", Balance),
            ["/0/private/BalanceEx"] = new(1, "query-funds", BalanceEx),
            ["/0/private/TradesHistory"] = new(2, "query-closed-trades", TradesHistory),
            ["/0/private/GetApiKeyInfo"] = new(1, null, GetApiKeyInfo),
            ["/0/private/GetWebSocketsToken"] = new(1, "create-ws-token", GetWebSocketsToken),
        };
    }

    public string Name => "kraken";

    public IReadOnlyList<SimulatedAccount> Accounts => _accounts.Select(a => a.Key).ToList();

    public AccountHoldings Holdings(string account) => Bitcain.ExchangeSimulator.Holdings.Of(_accounts, account, a => a.Key,
        a => a.Balances.Select(b => (KrakenAssets.CommonCode(b.Code), b.Balance)),
        a => Enumerable.Range(0, a.Trades.Count).Select(a.Trades.At)
            .Select(t => new HeldTrade(t.TxId, t.Pair.Key, Bitcain.ExchangeSimulator.Holdings.Ms(t.TimeMs))));

    public string? ApiKeyOf(HttpRequest request) => request.Headers["API-Key"].FirstOrDefault();

    public void ResetState()
    {
        foreach (var account in _accounts) account.ResetState();
        _lockouts.Reset();
    }

    public async Task HandleAsync(HttpContext context, string path)
    {
        var now = _options.Time.GetUtcNow();
        if (_public.TryGetValue(path, out var publicHandler))
        {
            // Public methods take their parameters from the query string (GET) or the form body (POST).
            var (_, parameters) = await ReadFormAsync(context);
            foreach (var (k, v) in QueryHelpers.ParseQuery(context.Request.QueryString.Value)) parameters[k] = v.ToString();
            await publicHandler(context, parameters);
            return;
        }
        if (!_private.TryGetValue(path, out var route))
        {
            await WriteErrorAsync(context, "EGeneral:Unknown method", 404);
            return;
        }
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await WriteErrorAsync(context, "EGeneral:Invalid arguments");
            return;
        }
        var (rawBody, fields) = await ReadFormAsync(context);

        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "local";
        if (_lockouts.IsLockedOut(ip, now))
        {
            await WriteErrorAsync(context, "EGeneral:Temporary lockout");
            return;
        }
        var (account, failure) = Authenticate(context.Request, path, rawBody, fields);
        if (account is null)
        {
            _lockouts.RecordFailure(ip, now, _options.Kraken);
            await WriteErrorAsync(context, failure!);
            return;
        }
        _lockouts.RecordSuccess(ip);
        if (!account.TryCharge(route.Cost, now, _options.Kraken))
        {
            await WriteErrorAsync(context, "EAPI:Rate limit exceeded");
            return;
        }
        if (route.KrakenPermission is not null && !account.KrakenPermissions.Contains(route.KrakenPermission))
        {
            await WriteErrorAsync(context, "EGeneral:Permission denied");
            return;
        }
        await route.Handle(new KrakenCall(context, account, fields, now));
    }

    /// <summary>The key, then a usable nonce, then the signature, then the nonce's order. A replayed nonce is refused
    /// only once the request is known to come from the key's owner, so a forged request cannot burn nonces.</summary>
    private (KrakenAccount? Account, string? Failure) Authenticate(HttpRequest request, string path, string rawBody,
        IReadOnlyDictionary<string, string> fields)
    {
        var apiKey = request.Headers["API-Key"].FirstOrDefault();
        if (apiKey is null || !_byKey.TryGetValue(apiKey, out var account)) return (null, "EAPI:Invalid key");
        var nonceText = fields.GetValueOrDefault("nonce");
        if (!ulong.TryParse(nonceText, NumberStyles.None, CultureInfo.InvariantCulture, out var nonce)) return (null, "EAPI:Invalid nonce");
        var apiSign = request.Headers["API-Sign"].FirstOrDefault();
        if (string.IsNullOrEmpty(apiSign) || !KrakenSignature.Verify(account.Key.ApiSecret, path, nonceText!, rawBody, apiSign))
            return (null, "EAPI:Invalid signature");
        if (!account.TryUseNonce(nonce)) return (null, "EAPI:Invalid nonce");
        return (account, null);
    }

    public async Task WriteFaultAsync(HttpContext context, string path, Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimited:
                if (fault.StatusCode is 429) context.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await WriteErrorAsync(context, path.StartsWith("/0/public/", StringComparison.Ordinal)
                    ? "EGeneral:Too many requests" : "EAPI:Rate limit exceeded", fault.StatusCode ?? 200);
                return;
            case FaultKind.Maintenance when path == "/0/public/SystemStatus":
                await SystemStatus(context, "maintenance");
                return;
            case FaultKind.Maintenance:
                await WriteErrorAsync(context, "EService:Unavailable", fault.StatusCode ?? 200);
                return;
            default:
                // Kraken's 5xx come from its edge proxy as HTML, not as the API's JSON envelope.
                var status = fault.StatusCode ?? 502;
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync($"<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>");
                return;
        }
    }

    private static async Task<(string Raw, Dictionary<string, string> Fields)> ReadFormAsync(HttpContext context)
    {
        var raw = "";
        if (!HttpMethods.IsGet(context.Request.Method) && context.Request.ContentLength != 0)
        {
            using var reader = new StreamReader(context.Request.Body);
            raw = await reader.ReadToEndAsync(context.RequestAborted);
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in QueryHelpers.ParseQuery(raw)) fields[k] = v.ToString();
        return (raw, fields);
    }

    private static Task WriteErrorAsync(HttpContext context, string error, int status = 200) =>
        SimJson.WriteAsync(context, status, new { error = new[] { error } });

    private static async Task WriteResultAsync(HttpContext context, Action<Utf8JsonWriter> writeResult)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var w = new Utf8JsonWriter(buffer, SimJson.Writer))
        {
            w.WriteStartObject();
            w.WriteStartArray("error");
            w.WriteEndArray();
            w.WritePropertyName("result");
            writeResult(w);
            w.WriteEndObject();
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static IReadOnlyList<KrakenAccount> SeedAccounts(SimulatorOptions options, KrakenMarkets markets)
    {
        var epoch = options.DataEpoch;
        KrakenPair P(string key) => markets.Lookup[key];
        return
        [
            new KrakenAccount(
                new SimulatedAccount("kraken", "demo", SeededKeys.KrakenDemoKey, SeededKeys.KrakenDemoSecret, null, [Permission.Read, Permission.Trade]),
                [new("ZUSD", 200000m, 1500m), new("XXBT", 0.5m, 0.1m), new("XETH", 2m, 0m), new("USDT", 1500m, 0m), new("SOL", 30m, 0m),
                 new("DOT", 120m, 0m), new("DOT.S", 50m, 0m), new("ZEUR", 3200.5m, 0m), new("ADA", 0m, 0m)],
                new KrakenTradeSequence("kraken/demo", [P("XXBTZUSD"), P("XETHZUSD"), P("XBTUSDT"), P("SOLUSD"), P("XETHXXBT"), P("DOTEUR")],
                    320, epoch.AddDays(-30), epoch)),
            new KrakenAccount(
                new SimulatedAccount("kraken", "readonly", SeededKeys.KrakenReadOnlyKey, SeededKeys.KrakenReadOnlySecret, null, [Permission.Read]),
                [new("ZUSD", 1000m, 0m), new("XXBT", 0.02m, 0m)],
                new KrakenTradeSequence("kraken/readonly", [P("XXBTZUSD"), P("XETHZUSD")], 60, epoch.AddDays(-30), epoch)),
            new KrakenAccount(
                new SimulatedAccount("kraken", "load", SeededKeys.KrakenLoadKey, SeededKeys.KrakenLoadSecret, null, [Permission.Read, Permission.Trade]),
                [new("ZUSD", 1_000_000m, 0m), new("XXBT", 20m, 0m), new("XETH", 300m, 0m), new("SOL", 2000m, 0m)],
                new KrakenTradeSequence("kraken/load", [P("XXBTZUSD"), P("XETHZUSD"), P("XBTUSDT"), P("SOLUSD"), P("XETHXXBT"), P("XXBTZEUR"), P("ADAUSD")],
                    options.LoadAccountTrades, epoch.AddDays(-365), epoch)),
        ];
    }
}
