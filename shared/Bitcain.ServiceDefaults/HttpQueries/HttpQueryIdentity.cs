using Bitcain.ServiceDefaults.BusIdentity;

namespace Bitcain.ServiceDefaults.HttpQueries;

/// <summary>
/// A query asked over HTTP carries the same claims as a bus message's assertion (the bus identity keys and trust lists),
/// signed ES256 or, between a caller and a service that trust each other, HS256 with their pair key (<see cref="HttpQueryKeys"/>), bound to this one request: its id, its message name, the exact body bytes, the user and the path it
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
        BusAssertion.Sign(Claims(identity.Name, messageName, messageId, user, body, now), identity.Key);

    /// <summary>The same assertion under HS256, keyed with the pair key of <paramref name="issuer"/> and the service asked (<see cref="HttpQueryKeys"/>).</summary>
    public static string SignWithPairKey(string issuer, ReadOnlySpan<byte> pairKey, string messageName, Guid messageId, string? user, ReadOnlySpan<byte> body,
        DateTimeOffset now) =>
        BusAssertion.SignHmac(Claims(issuer, messageName, messageId, user, body, now), pairKey);

    private static BusClaims Claims(string issuer, string messageName, Guid messageId, string? user, ReadOnlySpan<byte> body, DateTimeOffset now) =>
        new(issuer, user, messageId.ToString(), messageName, BusAssertion.BodyHash(body), Binding(messageName),
            now.ToUnixTimeSeconds(), (now + Lifetime).ToUnixTimeSeconds());

    /// <summary>
    /// Why a query asked over HTTP may not run, or null: everything a bus message must pass, and a life no longer
    /// than <see cref="Lifetime"/>. The assertion is ES256 by a trusted signer's key, or HS256 by the key of that signer
    /// and this service (<paramref name="pairKeys"/>; without them only ES256 is admitted). A pure function of the
    /// request, the keys and the time.
    /// </summary>
    public static string? Refusal(string? assertion, string? messageId, string messageName, ReadOnlyMemory<byte> body, string? user,
        IReadOnlyDictionary<string, TrustedSigner> trusted, HttpQueryKeys? pairKeys, DateTimeOffset now)
    {
        if (!Guid.TryParse(messageId, out var id)) return $"no {MessageIdHeader} header";
        if (string.IsNullOrEmpty(assertion)) return $"no {BusAssertion.Header} header";
        if (BusAssertion.ReadUnverified(assertion, out var algorithm) is not { } claims) return "malformed assertion";
        if (!trusted.TryGetValue(claims.Issuer, out var signer)) return "signer not trusted";
        var verified = algorithm == BusAssertion.Hs256
            ? pairKeys?.ToCheck(claims.Issuer) is { } key && BusAssertion.HasValidHmac(assertion, key)
            : BusAssertion.HasValidSignature(assertion, signer.PublicKey);
        if (!verified) return "signature does not verify";

        var message = new ReceivedMessage(assertion, id, messageName, body, Binding(messageName), BusVerification.UserOf(user));
        var refusal = BusVerification.ClaimsRefusal(claims, signer, message, now);
        if (refusal is not null) return refusal;
        return claims.Expires - claims.IssuedAt > (long)Lifetime.TotalSeconds ? "assertion lives longer than an HTTP query may" : null;
    }
}
