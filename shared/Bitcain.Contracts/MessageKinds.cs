namespace Bitcain.Contracts;

// What a message is decides where it goes (BusTopology.QueueFor) and what the receiving service checks before its
// handler runs, so a new command or query needs its marker and nothing else: no route, no reply handler, no user check.

/// <summary>Acts for the user in the <see cref="BusTopology.UserHeader"/> header: refused without one, and answered only
/// from that user's data (each user is a Marten tenant).</summary>
public interface IUserMessage;

/// <summary>Changes a credential: to <see cref="BusTopology.CredentialCommands"/>.</summary>
public interface ICredentialCommand : IUserMessage;

/// <summary>Reads from the credential service: to <see cref="BusTopology.CredentialQueries"/>.</summary>
public interface ICredentialQuery;

/// <summary>Syncs or changes an exchange account: to <see cref="BusTopology.SyncCommands"/>.</summary>
public interface ISyncCommand : IUserMessage;

/// <summary>Reads an account's balances, trades or settings: to <see cref="BusTopology.SyncQueries"/>.</summary>
public interface ISyncQuery : IUserMessage;

/// <summary>Reads public market data: to <see cref="BusTopology.MarketQueries"/>. Market data belongs to no user.</summary>
public interface IMarketQuery;

/// <summary>Tells other systems what happened: to the <see cref="BusTopology.Events"/> topic, routing key = its message name.</summary>
public interface IIntegrationEvent;

/// <summary>Answers a command or query; it goes back to the sender's reply queue, never to a routed queue.</summary>
public interface IServiceReply;
