namespace Bitcain.ServiceDefaults.BusIdentity;

/// <summary>The facts of a received message an assertion must match.</summary>
/// <param name="User">The tenant the handler would act for (null: nobody).</param>
/// <param name="ReplyUri">The <c>reply-uri</c> header as it came; null when it named none, or when the message was read back
/// from the durable inbox (Wolverine stores the reply address as a property, not as the header).</param>
/// <param name="StoredReplyUri">The envelope's reply address, which Wolverine fills in when none was sent.</param>
public readonly record struct ReceivedMessage(string? Assertion, Guid MessageId, string? MessageType, ReadOnlyMemory<byte> Body, string? ReplyUri, string? User,
    string? StoredReplyUri = null);

/// <summary>
/// Decides whether a received message may run: a pure function of the message, the trusted signers and the time.
/// Every refusal names its reason, never the assertion or a key.
/// </summary>
public static class BusVerification
{
    /// <summary>A query is answered in seconds: its assertion lives two minutes.</summary>
    public static readonly TimeSpan QueryLifetime = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A durable command may wait in its queue while the service is down, and the README promises it is applied then:
    /// a day covers a long outage. Replay is stopped by the binding to id and body and by the durable inbox's
    /// de-duplication, not by a short life.
    /// </summary>
    public static readonly TimeSpan CommandLifetime = TimeSpan.FromHours(24);

    /// <summary>Clocks of two machines disagree a little.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public static string? Refusal(ReceivedMessage message, IReadOnlyDictionary<string, TrustedSigner> trusted, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(message.Assertion)) return $"no {BusAssertion.Header} header";
        if (BusAssertion.ReadUnverified(message.Assertion) is not { } claims) return "malformed assertion";
        if (!trusted.TryGetValue(claims.Issuer, out var signer)) return "signer not trusted";
        if (!BusAssertion.HasValidSignature(message.Assertion, signer.PublicKey)) return "signature does not verify";
        return ClaimsRefusal(claims, signer, message, now);
    }

    /// <summary>Why claims whose signature verified may still not admit this message, or null.</summary>
    public static string? ClaimsRefusal(BusClaims claims, TrustedSigner signer, ReceivedMessage message, DateTimeOffset now)
    {
        var issued = DateTimeOffset.FromUnixTimeSeconds(claims.IssuedAt);
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.Expires);
        if (expires <= now - ClockSkew) return "assertion expired";
        if (issued > now + ClockSkew) return "assertion issued in the future";
        if (expires - issued > CommandLifetime + ClockSkew) return "assertion lives longer than a command may";

        if (!Guid.TryParse(claims.MessageId, out var boundId) || boundId != message.MessageId) return "assertion belongs to another message id";
        if (claims.MessageType != message.MessageType) return "assertion belongs to another message type";
        if (claims.BodyHash != BusAssertion.BodyHash(message.Body.Span)) return "assertion belongs to another body";
        if (!SameReplyAddress(claims.ReplyUri, message)) return "assertion belongs to another reply address";
        if (!string.Equals(claims.Subject ?? "", message.User ?? "", StringComparison.Ordinal)) return "user header does not match the asserted user";

        if (!signer.MaySendType(claims.MessageType)) return "signer may not send this message";
        if (!signer.MayActFor(claims.Subject)) return "signer may not act for this user";
        return null;
    }

    /// <summary>
    /// The header, when it came, must be the signed one: a copied request cannot have its answer sent elsewhere. A message
    /// a killed instance left in the durable inbox comes back without the header (Wolverine stores the address as a
    /// property): then the stored address must be the signed one, or the signature named none (an integration's
    /// command, which Wolverine gives a default address on receipt).
    /// </summary>
    private static bool SameReplyAddress(string? signed, ReceivedMessage message)
    {
        if (message.ReplyUri is not null) return string.Equals(signed, message.ReplyUri, StringComparison.Ordinal);
        return signed is null || string.Equals(signed, message.StoredReplyUri, StringComparison.Ordinal);
    }

    /// <summary>Marten's name for "no tenant" and an empty header both mean: acting for nobody.</summary>
    public static string? UserOf(string? tenantId) =>
        string.IsNullOrWhiteSpace(tenantId) || tenantId == "*DEFAULT*" ? null : tenantId;
}
