using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>A request as Binance sees it: parameters from the query string and the form body (the query wins when
/// both carry one, per rest-api.md), plus the raw texts the signature covers.</summary>
internal sealed class BinanceRequest
{
    private readonly Dictionary<string, string> _params;
    private readonly Dictionary<string, List<string>> _all = new(StringComparer.Ordinal);

    private BinanceRequest(HttpContext context, string path, string rawQuery, string rawBody, DateTimeOffset now)
    {
        Context = context;
        Path = path;
        RawQuery = rawQuery;
        RawBody = rawBody;
        Now = now;
        _params = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in new[] { rawBody, rawQuery })
        {
            foreach (var (k, v) in QueryHelpers.ParseQuery(raw))
            {
                _params[k] = v[0] ?? "";
                _all[k] = v.Where(s => s is not null).Select(s => s!).ToList();
                HasDuplicates |= v.Count > 1;
            }
        }
    }

    public HttpContext Context { get; }
    public string Path { get; }
    public string RawQuery { get; }
    public string RawBody { get; }
    public DateTimeOffset Now { get; }
    public BinanceAccount? Account { get; set; }

    /// <summary>A parameter repeated within the query or within the body (Binance answers -1101).</summary>
    public bool HasDuplicates { get; }

    public IReadOnlyCollection<string> Names => _params.Keys;

    public BinanceAccount SignedAccount => Account ?? throw new InvalidOperationException("Route is not signed.");

    public static async Task<BinanceRequest> ReadAsync(HttpContext context, string path, DateTimeOffset now)
    {
        var rawQuery = context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : "";
        var rawBody = "";
        if (!HttpMethods.IsGet(context.Request.Method) && context.Request.ContentLength != 0)
        {
            using var reader = new StreamReader(context.Request.Body);
            rawBody = await reader.ReadToEndAsync(context.RequestAborted);
        }
        return new BinanceRequest(context, path, rawQuery, rawBody, now);
    }

    public string? Get(string name) => _params.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public bool Has(string name) => Get(name) is not null;

    /// <summary>An ARRAY parameter, sent repeated (<c>asset=A&amp;asset=B</c>) or comma-separated (<c>asset=A,B</c>).</summary>
    public IReadOnlyList<string> GetArray(string name) =>
        _all.TryGetValue(name, out var values)
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList()
            : [];

    public long? GetLong(string name)
    {
        var raw = Get(name);
        if (raw is null) return null;
        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new BinanceException(BinanceError.IllegalChars(name, "^[0-9]{1,20}$"));
    }

    public bool? GetBool(string name)
    {
        var raw = Get(name);
        if (raw is null) return null;
        return bool.TryParse(raw, out var value) ? value : throw new BinanceException(BinanceError.InvalidParameter(name));
    }
}
