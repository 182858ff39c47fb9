using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.Middleware;
using Wolverine.RabbitMQ.Internal;
using Wolverine.Runtime;
using Wolverine.Runtime.Handlers;
using Wolverine.Transports;

namespace Bitcain.ServiceDefaults.BusIdentity;

/// <summary>Signs every message this process hands to RabbitMQ, over the bytes and headers that actually leave.</summary>
public sealed class BusSigner(BusSigningIdentity identity, HttpQueries.HttpQueryKeys pairKeys)
{
    public string Name => identity.Name;

    public string Sign(Envelope envelope, string? replyUri)
    {
        var now = DateTimeOffset.UtcNow;
        // A message with a deliver-by is a request someone waits for (it dies at the broker after it): a query's life.
        var lifetime = envelope.DeliverBy is null ? BusVerification.CommandLifetime : BusVerification.QueryLifetime;
        var claims = new BusClaims(identity.Name, BusVerification.UserOf(envelope.TenantId), envelope.Id.ToString(),
            envelope.MessageType ?? "", BusAssertion.BodyHash(envelope.Data), replyUri,
            now.ToUnixTimeSeconds(), (now + lifetime).ToUnixTimeSeconds());
        return BusAssertion.Sign(claims, identity.Key);
    }

    /// <summary>
    /// The assertion of a query asked over HTTP of <paramref name="service"/> (<see cref="HttpQueries.HttpQueryIdentity"/>):
    /// HS256 with the pair key when this process trusts an identity of that name, else ES256.
    /// </summary>
    public string SignHttpQuery(string service, string messageName, Guid messageId, string? user, ReadOnlySpan<byte> body) =>
        pairKeys.ToAsk(service) is { } key
            ? HttpQueries.HttpQueryIdentity.SignWithPairKey(identity.Name, key, messageName, messageId, user, body, DateTimeOffset.UtcNow)
            : HttpQueries.HttpQueryIdentity.Sign(identity, messageName, messageId, user, body, DateTimeOffset.UtcNow);
}

/// <summary>
/// Wolverine's RabbitMQ mapping, plus the assertion. The sender maps the headers first and publishes
/// <see cref="Envelope.Data"/> after: serializing here caches exactly the bytes that are then published.
/// </summary>
internal sealed class SigningRabbitMqEnvelopeMapper(Endpoint endpoint, IWolverineRuntime runtime, BusSigner signer)
    : RabbitMqEnvelopeMapper(endpoint, runtime), IRabbitMqEnvelopeMapper, IOutgoingMapper<IBasicProperties>
{
    void IOutgoingMapper<IBasicProperties>.MapEnvelopeToOutgoing(Envelope envelope, IBasicProperties outgoing)
    {
        MapEnvelopeToOutgoing(envelope, outgoing);
        outgoing.Headers ??= new Dictionary<string, object?>();
        var replyUri = outgoing.Headers.TryGetValue("reply-uri", out var reply) ? reply?.ToString() : null;
        outgoing.Headers[BusAssertion.Header] = signer.Sign(envelope, replyUri);
    }
}

internal sealed class SigningEndpointPolicy(BusSigner signer) : IEndpointPolicy
{
    public void Apply(Endpoint endpoint, IWolverineRuntime runtime)
    {
        if (endpoint is RabbitMqEndpoint rabbit && rabbit.EnvelopeMapper is null)
            rabbit.EnvelopeMapper = new SigningRabbitMqEnvelopeMapper(rabbit, runtime, signer);
    }
}

/// <summary>Admits a received message only on a valid assertion that matches it; logs every refusal with its reason.</summary>
public sealed class BusIdentityVerifier(IReadOnlyDictionary<string, TrustedSigner> trusted, HttpQueries.HttpQueryKeys pairKeys, ILogger<BusIdentityVerifier> logger)
{
    public bool Admits(Envelope envelope)
    {
        // Every message a listener receives names that listener as its destination. None (an in-process InvokeAsync)
        // or a local queue: the message never crossed the broker, this process made it itself.
        if (envelope.Destination is null || envelope.Destination.Scheme == "local") return true;
        var message = new ReceivedMessage(
            envelope.Headers.GetValueOrDefault(BusAssertion.Header),
            envelope.Id,
            envelope.MessageType,
            envelope.Body,
            // The header as it came, not Envelope.ReplyUri: Wolverine fills that in for a message that named no reply address.
            envelope.Headers.GetValueOrDefault("reply-uri"),
            BusVerification.UserOf(envelope.TenantId),
            envelope.ReplyUri?.OriginalString);
        var refusal = BusVerification.Refusal(message, trusted, DateTimeOffset.UtcNow);
        if (refusal is null) return true;
        // The reason and the message's name and id only: never the assertion, which is a bearer credential for its message.
        logger.LogWarning("Refused {MessageType} {MessageId}: {Reason}; it was not applied", envelope.MessageType, envelope.Id, refusal);
        return false;
    }

    /// <summary>The same decision for a query asked over HTTP; logged the same way, never with the assertion.</summary>
    public bool AdmitsHttpQuery(string? assertion, string? messageId, string messageName, ReadOnlyMemory<byte> body, string? user)
    {
        var refusal = HttpQueries.HttpQueryIdentity.Refusal(assertion, messageId, messageName, body, user, trusted, pairKeys, DateTimeOffset.UtcNow);
        if (refusal is null) return true;
        logger.LogWarning("Refused HTTP query {MessageType} {MessageId}: {Reason}; it was not answered", messageName,
            Guid.TryParse(messageId, out var id) ? id : Guid.Empty, refusal);
        return false;
    }
}

/// <summary>Runs before every handler of a message that crossed the bus; a refused message stops there, unhandled.</summary>
public static class BusIdentityMiddleware
{
    public static HandlerContinuation Before(Envelope envelope, BusIdentityVerifier verifier) =>
        verifier.Admits(envelope) ? HandlerContinuation.Continue : HandlerContinuation.Stop;
}

public static class BusIdentityRegistration
{
    /// <param name="defaultName">The identity's name unless <c>Bus:Identity:Name</c> says otherwise.</param>
    /// <param name="verifies">Which handler chains check incoming assertions: every chain of the application's and
    /// the contract's messages (Wolverine's own system messages never come from outside).</param>
    public static void UseBusIdentity(this WolverineOptions opts, IConfiguration configuration, string defaultName, Func<HandlerChain, bool> verifies)
    {
        var identity = BusTrustConfiguration.ReadIdentity(configuration, defaultName);
        var trusted = BusTrustConfiguration.ReadTrusted(configuration, identity);
        var pairKeys = new HttpQueries.HttpQueryKeys(identity, trusted);
        var signer = new BusSigner(identity, pairKeys);
        opts.Services.AddSingleton(signer);
        opts.Services.AddSingleton(sp => new BusIdentityVerifier(trusted, pairKeys, sp.GetRequiredService<ILogger<BusIdentityVerifier>>()));
        opts.Policies.Add(new SigningEndpointPolicy(signer));
        opts.Policies.AddMiddleware(typeof(BusIdentityMiddleware), verifies);
    }
}
