using System.Security.Cryptography;
using System.Text;

namespace Bitcain.Exchanges.GateIo;

/// <summary>
/// Gate.io v4 (official gen_sign() sample, FACTS.md §9): SIGN = hex(HMAC-SHA512(secret, METHOD \n /api/v4/path \n
/// query \n hex(SHA512(body)) \n timestamp-seconds)). Gate publishes no vector with outputs; this follows that sample.
/// </summary>
public static class GateIoSigner
{
    public static string Payload(string method, string path, string query, string body, string timestamp) =>
        $"{method.ToUpperInvariant()}\n{path}\n{query}\n{Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(body)))}\n{timestamp}";

    public static string Sign(string secret, string method, string path, string query, string body, string timestamp) =>
        Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(Payload(method, path, query, body, timestamp))));
}
