using Bitcain.Contracts;
using Wolverine;
using Wolverine.Runtime;

namespace Bitcain.ServiceDefaults;

/// <summary>What a service answers a message that names no user, by message type; null: nothing (nobody waits).</summary>
public interface IMissingUserReplies
{
    object? For(object message);
}

/// <summary>
/// The user a message acts for is Wolverine's tenant id, which also scopes every Marten session: another user's stream
/// is not there to be found. What is left to check is that a user is named at all, once, for every
/// <see cref="IUserMessage"/>, before its handler opens a session.
/// </summary>
public static class UserCheck
{
    // Marten's name for "no tenant given"; a message that lands there belongs to nobody.
    private const string MartenDefaultTenant = "*DEFAULT*";

    public const string MissingUser = "The message names no user (AMQP header 'tenant-id'); it was not applied.";

    public static string? Of(Envelope envelope) =>
        string.IsNullOrWhiteSpace(envelope.TenantId) || envelope.TenantId == MartenDefaultTenant ? null : envelope.TenantId;

    /// <summary>The user of a message that passed the check: a handler of an <see cref="IUserMessage"/> always has one.</summary>
    public static string Checked(Envelope envelope) =>
        Of(envelope) ?? throw new InvalidOperationException("The user check did not run before this handler");

    /// <summary>Runs <see cref="UserCheckMiddleware"/> before every handler of an <see cref="IUserMessage"/>.</summary>
    public static void RequireUserOnUserMessages(this WolverineOptions opts) =>
        opts.Policies.AddMiddleware(typeof(UserCheckMiddleware), chain => typeof(IUserMessage).IsAssignableFrom(chain.MessageType));
}

public static class UserCheckMiddleware
{
    /// <summary>A message without a user stops here, answered with the refusal its sender waits for.</summary>
    public static async Task<HandlerContinuation> BeforeAsync(Envelope envelope, IMessageContext context, IMissingUserReplies replies)
    {
        if (UserCheck.Of(envelope) is not null) return HandlerContinuation.Continue;
        // Cascaded, not sent: it goes back as the reply (to InvokeAsync, or to the gateway's reply queue).
        if (envelope.Message is { } message && replies.For(message) is { } refusal && context is MessageContext cascading)
            await cascading.EnqueueCascadingAsync(refusal);
        return HandlerContinuation.Stop;
    }
}
