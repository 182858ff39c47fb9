using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Bitcain.Exchanges.Http;

/// <summary>An exchange's answer to one request on <paramref name="Path"/> (the path only: the query may carry a signature).</summary>
/// <param name="Utf8Body">The body as UTF-8 (transcoded if the exchange declared another charset, without a BOM): what
/// the byte parsers read without ever making a string of megabytes.</param>
public sealed record ExchangeResponse(string Path, HttpStatusCode Status, ReadOnlyMemory<byte> Utf8Body, TimeSpan? RetryAfter, TimeSpan Latency, Func<string, string?> Header)
{
    private string? _body;

    public ExchangeResponse(string path, HttpStatusCode status, string body, TimeSpan? retryAfter, TimeSpan latency, Func<string, string?> header)
        : this(path, status, Encoding.UTF8.GetBytes(body), retryAfter, latency, header) => _body = body;

    public int StatusCode => (int)Status;

    /// <summary>The body as text, decoded on first use (the parsers that read text, error bodies).</summary>
    public string Body => _body ??= Encoding.UTF8.GetString(Utf8Body.Span);
}

/// <summary>
/// Sends one request to one exchange and turns transport failures (refused connection, DNS, timeout, dropped
/// connection) into <see cref="ExchangeErrorType.NetworkError"/>. It never puts the URL in an error: Binance
/// signs in the query string. A redirect is an error, not followed (the API key headers would go with it), and a body
/// is read only up to <see cref="ExchangeClientOptions.MaxResponseBytes"/>.
/// </summary>
public sealed class ExchangeTransport(ExchangeClientOptions options, Func<HttpClient> httpClient, TimeProvider time)
{
    public ExchangeClientOptions Options => options;

    /// <summary>Base URL + the exchange's own path: a path prefix in the base URL is kept.</summary>
    public static Uri Join(string baseUrl, string pathAndQuery) =>
        new(baseUrl.TrimEnd('/') + "/" + pathAndQuery.TrimStart('/'), UriKind.Absolute);

    public async Task<ExchangeResponse> SendAsync(
        HttpMethod method, string path, string? query, HttpContent? content,
        IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        var uri = Join(options.BaseUrl, string.IsNullOrEmpty(query) ? path : $"{path}?{query}");
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Bitcain", "1.0"));
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);

        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var started = time.GetTimestamp();
        try
        {
            // WaitAsync: the deadline holds even if a handler in the pipeline ignores cancellation.
            using var response = await httpClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).WaitAsync(linked.Token);
            if ((int)response.StatusCode is 429 or 418) Telemetry.ExchangeMetrics.RecordRefusal(options.Exchange, (int)response.StatusCode);
            if ((int)response.StatusCode is >= 300 and < 400)
                throw ExchangeException.On(options.Exchange, ExchangeErrorType.ExchangeError, path, "redirected; not followed", null, null, null,
                    (int)response.StatusCode);
            var body = await ReadCappedAsync(response.Content, path, linked.Token).WaitAsync(linked.Token);
            return new ExchangeResponse(path, response.StatusCode, body, RetryAfterOf(response), time.GetElapsedTime(started),
                name => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Network($"timed out after {options.Timeout.TotalSeconds:0.#}s on {path}");
        }
        catch (HttpRequestException e)
        {
            throw Network($"could not reach {options.Exchange} ({Describe(e.HttpRequestError)}) on {path}");
        }
        catch (IOException)
        {
            throw Network($"connection to {options.Exchange} dropped on {path}");
        }
    }

    /// <summary>
    /// The body as UTF-8 bytes, refused past the cap whether or not the exchange announced its length: a broken or
    /// hostile endpoint must not make us buffer without bound. Read into one buffer sized by the announced length, and
    /// handed on without another copy.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>> ReadCappedAsync(HttpContent content, string path, CancellationToken ct)
    {
        var cap = options.MaxResponseBytes;
        if (content.Headers.ContentLength > cap) throw TooLarge(path);
        await using var stream = await content.ReadAsStreamAsync(ct);
        // One byte past the announced length, so the read that finds the end needs no bigger buffer.
        var buffer = new byte[(int)Math.Clamp((content.Headers.ContentLength ?? 16 * 1024) + 1, 1, Math.Min(cap + 1L, 16L * 1024 * 1024))];
        var length = 0;
        int read;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > cap) throw TooLarge(path);
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, cap + 1L));
            }
            if ((read = await stream.ReadAsync(buffer.AsMemory(length), ct)) == 0) break;
            length += read;
            if (length > cap) throw TooLarge(path);
        }
        var encoding = EncodingOf(content);
        var start = buffer.AsSpan(0, length).StartsWith(encoding.Preamble) ? encoding.Preamble.Length : 0;
        if (encoding.CodePage == Encoding.UTF8.CodePage) return buffer.AsMemory(start, length - start);
        return ResponseParsing.Read(options.Exchange, path,
            () => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(encoding.GetString(buffer, start, length - start)));
    }

    private static Encoding EncodingOf(HttpContent content)
    {
        try
        {
            return content.Headers.ContentType?.CharSet is { Length: > 0 } charset ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8;
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    private ExchangeException TooLarge(string path) =>
        ExchangeException.Malformed(options.Exchange, path,
            $"body larger than the {options.MaxResponseBytes} byte cap (Exchanges:{options.Exchange}:MaxResponseBytes)");

    private ExchangeException Network(string message) =>
        new(options.Exchange, ExchangeErrorType.NetworkError, $"{options.Exchange}: {message}");

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "name resolution failed",
        HttpRequestError.ConnectionError => "connection failed",
        HttpRequestError.SecureConnectionError => "TLS failed",
        HttpRequestError.ResponseEnded => "connection dropped",
        HttpRequestError.InvalidResponse => "invalid HTTP response",
        _ => "transport error",
    };

    private TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var retry = response.Headers.RetryAfter;
        if (retry?.Delta is { } delta) return delta;
        if (retry?.Date is { } date) return date - time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero;
        return null;
    }
}
