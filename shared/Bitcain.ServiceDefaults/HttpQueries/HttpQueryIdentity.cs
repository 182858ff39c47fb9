using Bitcain.ServiceDefaults.BusIdentity;

namespace Bitcain.ServiceDefaults.HttpQueries;

/// <summary>
/// A query asked over HTTP carries the same kind of signed assertion as a bus message (ES256, the bus identity keys and
/// trust lists), bound to this one request: its id, its message name, the exact body bytes, the user and the path it
/// was sent to. The answer goes back on the caller's own connection, so the assertion lives seconds, not minutes.
/// </summary>
public static class HttpQueryIdentity
{
    public const string AssertionHeader = BusAssertion.Header;
    public const string UserHeader = "tenant-id";
    public const string MessageIdHeader = "bitcain-message-id";

    /// <summary>Path of a query on its owning service: <c>/queries/bitcain.credentials.list-credentials.v1</c>.</summary>
    public const string PathPrefix = "/queries/";

    /// <summary>Long enough for a busy machine between signing and checking, short enough that a copy is soon worthless.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public static string PathOf(string messageName) => PathPrefix + messageName;

    /// <summary>
    /// Stands where a bus assertion names its reply queue: an assertion made for HTTP names the path it may be
    /// presented at, so it is no use on the bus (no reply queue has this name) nor for another query's path.
    /// </summary>
    public static string Binding(string messageName) => "http:" + PathOf(messageName);

    public static string Sign(BusSigningIdentity identity, string messageName, Guid messageId, string? user, ReadOnlySpan<byte> body, DateTimeOffset now) =>
        BusAssertion.Sign(new BusClaims(identity.Name, user, messageId.ToString(), messageName, BusAssertion.BodyHash(body), Binding(messageName),
            now.ToUnixTimeSeconds(), (now + Lifetime).ToUnixTimeSeconds()), identity.Key);

    /// <summary>
    /// Why a query asked over HTTP may not run, or null: everything a bus message must pass, and a life no longer
    /// than <see cref="Lifetime"/>. A pure function of the request, the trusted signers and the time.
    /// </summary>
    public static string? Refusal(string? assertion, string? messageId, string messageName, ReadOnlyMemory<byte> body, string? user,
        IReadOnlyDictionary<string, TrustedSigner> trusted, DateTimeOffset now)
    {
        if (!Guid.TryParse(messageId, out var id)) return $"no {MessageIdHeader} header";
        var binding = Binding(messageName);
        var refusal = BusVerification.Refusal(new ReceivedMessage(assertion, id, messageName, body, binding, BusVerification.UserOf(user)), trusted, now);
        if (refusal is not null) return refusal;
        var claims = BusAssertion.ReadUnverified(assertion!)!;
        return claims.Expires - claims.IssuedAt > (long)Lifetime.TotalSeconds ? "assertion lives longer than an HTTP query may" : null;
    }
}
