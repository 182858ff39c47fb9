using System.Security.Cryptography;
using System.Text;
using Bitcain.Exchanges.RateLimits;

namespace Bitcain.Exchanges.Http;

/// <summary>
/// A GET through an exchange's own draining counter, as Bybit, OKX, KuCoin and Gate.io send them: wait for room,
/// send, map the answer to an error; a rate-limit answer backs the counter off and, when its wait is short enough,
/// is tried once more. Each attempt builds its request afresh (signatures carry a timestamp).
/// </summary>
public static class RateLimitedGet
{
    /// <param name="attempt">Sends one request and returns the answer, or the exchange's error for it.</param>
    public static async Task<ExchangeResponse> SendAsync(
        ExchangeTransport transport, DecayingCallCounter counter, string counterKey, int weight,
        Func<CancellationToken, Task<(ExchangeResponse Response, ExchangeException? Error)>> attempt, CancellationToken ct)
    {
        for (var tries = 0; ; tries++)
        {
            await counter.AcquireAsync(counterKey, weight, ct);
            var (response, error) = await attempt(ct);
            if (error is null) return response;
            if (error.ErrorType == ExchangeErrorType.RateLimited)
            {
                counter.BackOff(counterKey, error.RetryAfter!.Value);
                if (tries == 0 && error.RetryAfter <= transport.Options.MaxRetryAfterWait) continue;
            }
            throw error;
        }
    }

    /// <summary>The counter key of an API key: a short hash, so the key itself is never held as a dictionary key.</summary>
    public static string KeyId(ExchangeApiCredentials credentials) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credentials.ApiKey)))[..16];

    /// <summary>OKX and KuCoin keys sign with a passphrase: without one nothing is sent.</summary>
    public static void RequirePassphrase(string exchange, ExchangeApiCredentials credentials)
    {
        if (string.IsNullOrEmpty(credentials.Passphrase))
            throw new ExchangeException(exchange, ExchangeErrorType.AuthError, $"{exchange}: an API passphrase is required", "passphrase_required");
    }
}
