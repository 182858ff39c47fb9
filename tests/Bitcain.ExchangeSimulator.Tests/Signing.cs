using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Bitcain.ExchangeSimulator.Tests;

/// <summary>The exchanges' documented signing recipes, written here independently of the simulator's verifier so a
/// shared mistake cannot make both agree.</summary>
internal static class Signing
{
    public static string BinanceHex(string secret, string payload) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload)));

    public static string KrakenSign(string secret, string path, string nonce, string postData)
    {
        using var sha = SHA256.Create();
        var inner = sha.ComputeHash(Encoding.UTF8.GetBytes(nonce + postData));
        using var hmac = new HMACSHA512(Convert.FromBase64String(secret));
        var message = new byte[Encoding.UTF8.GetByteCount(path) + inner.Length];
        Encoding.UTF8.GetBytes(path, message);
        inner.CopyTo(message, message.Length - inner.Length);
        return Convert.ToBase64String(hmac.ComputeHash(message));
    }

    /// <summary>A signed Binance GET: <c>query&amp;timestamp=..</c> then <c>&amp;signature=</c> appended last.</summary>
    public static HttpRequestMessage BinanceGet(string baseUrl, string path, string query, SimulatedAccount account, long timestampMs,
        string? secretOverride = null)
    {
        var payload = (query.Length > 0 ? query + "&" : "") + "timestamp=" + timestampMs.ToString(CultureInfo.InvariantCulture);
        var signature = BinanceHex(secretOverride ?? account.ApiSecret, payload);
        var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}{path}?{payload}&signature={signature}");
        request.Headers.Add("X-MBX-APIKEY", account.ApiKey);
        return request;
    }

    /// <summary>A signed Binance POST with every parameter in the form body, signature last.</summary>
    public static HttpRequestMessage BinancePost(string baseUrl, string path, string body, SimulatedAccount account, long timestampMs)
    {
        var payload = (body.Length > 0 ? body + "&" : "") + "timestamp=" + timestampMs.ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + path)
        {
            Content = new StringContent(payload + "&signature=" + BinanceHex(account.ApiSecret, payload), Encoding.UTF8,
                "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-MBX-APIKEY", account.ApiKey);
        return request;
    }

    public static HttpRequestMessage KrakenPost(string baseUrl, string path, SimulatedAccount account, ulong nonce, string extra = "",
        string? secretOverride = null)
    {
        var nonceText = nonce.ToString(CultureInfo.InvariantCulture);
        var postData = "nonce=" + nonceText + (extra.Length > 0 ? "&" + extra : "");
        var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + path)
        {
            Content = new StringContent(postData, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("API-Key", account.ApiKey);
        request.Headers.Add("API-Sign", KrakenSign(secretOverride ?? account.ApiSecret, path, nonceText, postData));
        return request;
    }
}
