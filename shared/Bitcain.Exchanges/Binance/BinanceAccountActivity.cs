using System.Globalization;
using System.Text.Json;

namespace Bitcain.Exchanges.Binance;

/// <summary>
/// The assets a Binance or Binance.US account has ever had, read from what the account says besides its trades:
/// the balances (zero ones included), crypto deposits and withdrawals, the dust log, and on Binance.US the fiat
/// transfers. <c>/api/v3/myTrades</c> needs a symbol, so a symbol-less sync can only find trades on markets it thinks
/// of; an asset spent to zero (issue #14: USD that bought everything, RVN sold out) is named only here.
/// </summary>
/// <remarks>
/// <see cref="AccountActivity.Sources"/> lists each source read (<c>balances</c>, <c>deposits</c>, <c>withdrawals</c>,
/// <c>dust</c>, <c>fiat_deposits</c>, <c>fiat_withdrawals</c>); one the exchange does not serve is listed as
/// <c>deposits:missing</c> and makes the answer incomplete, so the caller walks every market instead of trusting it.
/// </remarks>
internal sealed class BinanceAccountActivity(
    string exchange,
    bool binanceUs,
    TimeProvider time,
    Func<string, IReadOnlyList<KeyValuePair<string, string>>, int, CancellationToken, Task<Http.ExchangeResponse>> signedGet)
{
    /// <summary>Deposit, withdrawal and fiat history answer at most 90 days per request ("time between startTime and
    /// endTime must be less than 90 days"), so one millisecond short of it.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(90) - TimeSpan.FromMilliseconds(1);

    /// <summary>Binance opened in July 2017: a <c>since</c> before it would only add empty windows.</summary>
    private static readonly DateTimeOffset Opened = new(2017, 7, 1, 0, 0, 0, TimeSpan.Zero);

    private const int PageLimit = 1000;

    private readonly HashSet<string> assets = new(StringComparer.Ordinal);
    private readonly List<string> sources = [];
    private bool complete = true;

    public async Task<AccountActivity> ReadAsync(DateTimeOffset since, CancellationToken ct)
    {
        // Without omitZeroBalances the account lists every asset it has touched, most at zero.
        var account = await signedGet("/api/v3/account", [], 20, ct);
        foreach (var code in Parse(BinanceParsers.Balances, account).Keys) assets.Add(code);
        sources.Add("balances");

        var from = since < Opened ? Opened : since;
        await ReadAsync("deposits", () => WindowsAsync("/sapi/v1/capital/deposit/hisrec", from, Paged(Coins), ct));
        // Binance also counts withdraw history against a per-second budget of its own; per minute it costs 1 here.
        await ReadAsync("withdrawals", () => WindowsAsync("/sapi/v1/capital/withdraw/history", from, Paged(Coins), ct));
        if (binanceUs)
        {
            await ReadAsync("fiat_deposits", () => WindowsAsync("/sapi/v1/fiatpayment/query/deposit/history", from, FiatPages, ct));
            await ReadAsync("fiat_withdrawals", () => WindowsAsync("/sapi/v1/fiatpayment/query/withdraw/history", from, FiatPages, ct));
            // The dust logs answer their last 100 conversions; older ones are lost to the API, not to us.
            await ReadAsync("dust", async () => AddAll(Parse(DustAssets, await signedGet("/sapi/v1/asset/query/dust-logs", [], 1, ct))));
        }
        else
        {
            await ReadAsync("dust", async () => AddAll(Parse(DustAssets, await signedGet("/sapi/v1/asset/dribblet", [], 1, ct))));
        }
        return new AccountActivity(assets, complete, sources);
    }

    /// <summary>A source the exchange does not serve here (404, an unknown endpoint, a refused parameter) is missing
    /// and makes the answer incomplete; the key, the budget or the exchange failing still fails the call.</summary>
    private async Task ReadAsync(string source, Func<Task> read)
    {
        try
        {
            await read();
            sources.Add(source);
        }
        catch (ExchangeException e) when (e.HttpStatus == 404 || e.ErrorType == ExchangeErrorType.InvalidRequest)
        {
            sources.Add(source + ":missing");
            complete = false;
        }
    }

    /// <summary>Calls <paramref name="readWindow"/> for each window from <paramref name="from"/> to now.</summary>
    private async Task WindowsAsync(string path, DateTimeOffset from, Func<string, long, long, CancellationToken, Task> readWindow, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        for (var start = from; start <= now; start += Window + TimeSpan.FromMilliseconds(1))
        {
            var end = start + Window < now ? start + Window : now;
            await readWindow(path, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), ct);
        }
    }

    /// <summary>Deposit and withdrawal history: <c>offset</c>/<c>limit</c> pages, a full page meaning there may be more.</summary>
    private Func<string, long, long, CancellationToken, Task> Paged(Func<string, IReadOnlyList<string>> coinsOf) =>
        async (path, start, end, ct) =>
        {
            for (var offset = 0; ; offset += PageLimit)
            {
                var body = await signedGet(path, [
                    new("startTime", Text(start)), new("endTime", Text(end)), new("offset", Text(offset)), new("limit", Text(PageLimit))], 1, ct);
                var coins = Parse(coinsOf, body);
                AddAll(coins);
                if (coins.Count < PageLimit) return;
            }
        };

    /// <summary>Binance.US fiat history pages by <c>offset</c> with no documented page size: read on until a page is
    /// empty or brings no order not seen already (which also ends it if the offset were ignored).</summary>
    private async Task FiatPages(string path, long start, long end, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; ; )
        {
            var body = await signedGet(path, [new("startTime", Text(start)), new("endTime", Text(end)), new("offset", Text(offset))], 1, ct);
            var records = Parse(FiatRecords, body);
            var fresh = records.Where(r => seen.Add(r.OrderId)).ToList();
            AddAll(records.Select(r => r.Currency));
            if (fresh.Count == 0) return;
            offset += records.Count;
        }
    }

    private void AddAll(IEnumerable<string> codes)
    {
        foreach (var code in codes) assets.Add(code);
    }

    /// <summary>The <c>coin</c> of each record of <c>capital/deposit/hisrec</c> or <c>capital/withdraw/history</c>.</summary>
    internal static IReadOnlyList<string> Coins(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(r => AssetCodes.Normalize("binance", r.GetProperty("coin").GetString()!)).ToList();
    }

    /// <summary>Binance.US <c>{"assetLogRecordList":[...]}</c>; its only fiat currency is USD when a record names none.</summary>
    internal static IReadOnlyList<(string OrderId, string Currency)> FiatRecords(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty("assetLogRecordList", out var list) || list.ValueKind != JsonValueKind.Array) return [];
        return list.EnumerateArray()
            .Select(r => (r.Str("orderId") ?? "", AssetCodes.Normalize("binance", r.Str("fiatCurrency") ?? "USD")))
            .ToList();
    }

    /// <summary>Every <c>fromAsset</c> of a dust log: Binance's <c>userAssetDribblets</c> and Binance.US's
    /// <c>userDustConvertHistory</c> nest their details alike but spell their totals differently, so we look only for the
    /// field both name the converted asset with.</summary>
    internal static IReadOnlyList<string> DustAssets(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("dust log is not an object");
        var found = new List<string>();
        Collect(doc.RootElement, found);
        return found;

        static void Collect(JsonElement e, List<string> found)
        {
            if (e.ValueKind == JsonValueKind.Array)
                foreach (var item in e.EnumerateArray()) Collect(item, found);
            else if (e.ValueKind == JsonValueKind.Object)
                foreach (var p in e.EnumerateObject())
                {
                    if (p.NameEquals("fromAsset") && p.Value.ValueKind == JsonValueKind.String) found.Add(AssetCodes.Normalize("binance", p.Value.GetString()!));
                    else Collect(p.Value, found);
                }
        }
    }

    private T Parse<T>(Func<string, T> parse, Http.ExchangeResponse response) => ResponseParsing.Parse(exchange, parse, response);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
