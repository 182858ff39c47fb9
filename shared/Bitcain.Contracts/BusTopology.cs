namespace Bitcain.Contracts;

/// <summary>
/// The RabbitMQ names other systems bind to and send to. They are part of the public contract:
/// renaming one breaks every consumer, so a change is a new name beside the old one.
/// </summary>
public static class BusTopology
{
    /// <summary>Durable queue the credential service consumes its commands from.</summary>
    public const string CredentialCommands = "bitcain.credentials.commands";

    /// <summary>
    /// Queue of the credential service's read-only queries. Apart from the commands because a query changes
    /// nothing: it needs no durable inbox (no database write per read), and an unanswered one may be dropped.
    /// </summary>
    public const string CredentialQueries = "bitcain.credentials.queries";

    /// <summary>Queue of the market service's queries (market data, routes, exchange info and health).</summary>
    public const string MarketQueries = "bitcain.market.queries";

    /// <summary>Durable queue the sync service consumes its commands and queries from.</summary>
    public const string SyncCommands = "bitcain.sync.commands";

    /// <summary>Queue of the sync service's read-only queries (balances, trades, stats, account settings, audit); no inbox.</summary>
    public const string SyncQueries = "bitcain.sync.queries";

    /// <summary>Durable queue the market service consumes its commands and queries from.</summary>
    public const string MarketCommands = "bitcain.market.commands";

    /// <summary>Topic exchange every integration event is published to, with the event's name as routing key.</summary>
    public const string Events = "bitcain.events";

    /// <summary>
    /// The AMQP header naming the user a command acts for. Every command and query about a user's
    /// credentials, balances or trades is scoped to that user, and refused without it.
    /// (It is Wolverine's tenant header: each user is a Marten tenant.)
    /// </summary>
    public const string UserHeader = "tenant-id";

    // The message name (its [MessageIdentity]) travels in the AMQP basic property "type", not in a header.

    /// <summary>The queue a command or query goes to, by what it is (MessageKinds); null for what no queue takes
    /// (integration events go to <see cref="Events"/>, replies back to their sender).</summary>
    public static string? QueueFor(Type message) => message switch
    {
        _ when typeof(ICredentialCommand).IsAssignableFrom(message) => CredentialCommands,
        _ when typeof(ICredentialQuery).IsAssignableFrom(message) => CredentialQueries,
        _ when typeof(ISyncCommand).IsAssignableFrom(message) => SyncCommands,
        _ when typeof(ISyncQuery).IsAssignableFrom(message) => SyncQueries,
        _ when typeof(IMarketQuery).IsAssignableFrom(message) => MarketQueries,
        _ => null,
    };
}
