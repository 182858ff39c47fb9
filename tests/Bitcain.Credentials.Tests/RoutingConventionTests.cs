using Alba;
using Bitcain.Contracts;
using Bitcain.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine.Runtime;
using Wolverine.Runtime.Routing;
using Xunit;

namespace Bitcain.Credentials.Tests;

/// <summary>
/// Routing by what a message is (MessageKinds) replaced a table written route by route. The table as it was, the
/// moment before it went, is the expectation: no message may change queue or routing key on the wire.
/// </summary>
[Collection(CredentialsCollection.Name)]
public sealed class RoutingConventionTests(CredentialsFixture fixture)
{
    private const string Credentials = "credentials", Sync = "sync", Gateway = "gateway";

    private static string Queue(string name) => $"rabbitmq://queue/{name}";

    private static string Topic(string routingKey) => $"rabbitmq://topic/{BusTopology.Events}/{routingKey}";

    // (process, message name, destination): services/Gateway/Api/*Endpoints.cs Route*Messages, Sync's
    // ExchangeAccounts.Route and SyncServiceSetup, the PublishIntegrationEvent calls of both services.
    private static readonly (string Process, string Message, string Destination)[] OldTable =
    [
        (Gateway, "bitcain.market.get-supported-exchanges.v1", Queue(BusTopology.MarketQueries)),
        (Gateway, "bitcain.credentials.store-credential.v1", Queue(BusTopology.CredentialCommands)),
        (Gateway, "bitcain.credentials.update-credential.v1", Queue(BusTopology.CredentialCommands)),
        (Gateway, "bitcain.credentials.delete-credential.v1", Queue(BusTopology.CredentialCommands)),
        (Gateway, "bitcain.credentials.list-credentials.v1", Queue(BusTopology.CredentialQueries)),
        (Gateway, "bitcain.credentials.get-credential.v1", Queue(BusTopology.CredentialQueries)),
        (Gateway, "bitcain.credentials.get-sealing-key.v1", Queue(BusTopology.CredentialQueries)),
        (Gateway, "bitcain.credentials.validate-key.v1", Queue(BusTopology.CredentialQueries)),
        (Gateway, "bitcain.credentials.get-credential-events.v1", Queue(BusTopology.CredentialQueries)),
        (Gateway, "bitcain.credentials.get-credential-audit-events.v1", Queue(BusTopology.CredentialQueries)),
        (Gateway, "bitcain.market.get-exchange-info.v1", Queue(BusTopology.MarketQueries)),
        (Gateway, "bitcain.market.get-markets.v1", Queue(BusTopology.MarketQueries)),
        (Gateway, "bitcain.market.get-ticker.v1", Queue(BusTopology.MarketQueries)),
        (Gateway, "bitcain.market.find-routes.v1", Queue(BusTopology.MarketQueries)),
        (Gateway, "bitcain.market.get-exchange-health.v1", Queue(BusTopology.MarketQueries)),
        (Gateway, "bitcain.market.get-exchange-health-events.v1", Queue(BusTopology.MarketQueries)),
        (Gateway, "bitcain.sync.sync-balances.v1", Queue(BusTopology.SyncCommands)),
        (Gateway, "bitcain.sync.sync-trades.v1", Queue(BusTopology.SyncCommands)),
        (Gateway, "bitcain.sync.set-bnb-burn.v1", Queue(BusTopology.SyncCommands)),
        (Gateway, "bitcain.sync.get-balances.v1", Queue(BusTopology.SyncQueries)),
        (Gateway, "bitcain.sync.get-balance-history.v1", Queue(BusTopology.SyncQueries)),
        (Gateway, "bitcain.sync.get-trades.v1", Queue(BusTopology.SyncQueries)),
        (Gateway, "bitcain.sync.get-trade-stats.v1", Queue(BusTopology.SyncQueries)),
        (Gateway, "bitcain.sync.get-sync-status.v1", Queue(BusTopology.SyncQueries)),
        (Gateway, "bitcain.sync.get-bnb-burn.v1", Queue(BusTopology.SyncQueries)),
        (Gateway, "bitcain.sync.get-dust-assets.v1", Queue(BusTopology.SyncQueries)),
        (Gateway, "bitcain.sync.get-sync-audit-events.v1", Queue(BusTopology.SyncQueries)),
        (Sync, "bitcain.credentials.get-sealed-credential.v1", Queue(BusTopology.CredentialQueries)),
        (Sync, "bitcain.credentials.record-credential-use.v1", Queue(BusTopology.CredentialCommands)),
        (Sync, "bitcain.credentials.record-credential-validation.v1", Queue(BusTopology.CredentialCommands)),
        (Sync, "bitcain.sync.scheduled-balance-sync.v1", Queue(BusTopology.SyncCommands)),
        (Sync, "bitcain.sync.balances-synced.v1", Topic("bitcain.sync.balances-synced.v1")),
        (Sync, "bitcain.sync.trades-synced.v1", Topic("bitcain.sync.trades-synced.v1")),
        (Sync, "bitcain.sync.sync-failed.v1", Topic("bitcain.sync.sync-failed.v1")),
        (Sync, "bitcain.sync.trade-sync-progressed.v1", Topic("bitcain.sync.trade-sync-progressed.v1")),
        (Credentials, "bitcain.credentials.credential-stored.v1", Topic("bitcain.credentials.credential-stored.v1")),
        (Credentials, "bitcain.credentials.credential-changed.v1", Topic("bitcain.credentials.credential-changed.v1")),
        (Credentials, "bitcain.credentials.credential-deactivated.v1", Topic("bitcain.credentials.credential-deactivated.v1")),
        (Credentials, "bitcain.credentials.credential-deleted.v1", Topic("bitcain.credentials.credential-deleted.v1")),
    ];

    private IAlbaHost Host(string process) => process switch
    {
        Gateway => fixture.Suite.Gateway,
        Sync => fixture.Suite.Sync,
        _ => fixture.Suite.Credentials,
    };

    private static IReadOnlyList<string> RoutesOf(IAlbaHost host, Type message) =>
        host.Services.GetRequiredService<IWolverineRuntime>().RoutingFor(message).Routes
            .OfType<MessageRoute>().Where(r => !r.IsLocal).Select(r => r.Uri.ToString()).ToList();

    [Fact]
    public void every_contract_message_goes_where_the_old_table_sent_it_and_nowhere_else()
    {
        var byName = BusRouting.ContractMessages.ToDictionary(BitcainMessaging.MessageName);
        foreach (var (process, message, destination) in OldTable)
        {
            byName.ShouldContainKey(message);
            RoutesOf(Host(process), byName[message]).ShouldBe([destination], $"{process} sends {message}");
        }

        // What a process did not route before it may route now (the gateway and the credential service know every
        // integration event), but only to where the old table sent that message; replies and the rest go nowhere.
        var destinationOf = OldTable.GroupBy(r => r.Message).ToDictionary(g => g.Key, g => g.Select(r => r.Destination).Distinct().Single());
        foreach (var process in new[] { Gateway, Sync, Credentials })
        foreach (var (name, type) in byName)
        {
            var routes = RoutesOf(Host(process), type);
            if (destinationOf.TryGetValue(name, out var destination)) routes.ShouldBeSubsetOf([destination], $"{process} routes {name}");
            else routes.ShouldBeEmpty($"{process} routes {name}, which the old table routed nowhere");
        }
    }

    [Fact]
    public void every_command_and_query_of_the_contract_is_routed_by_its_kind()
    {
        var unrouted = BusRouting.ContractMessages
            .Where(t => !typeof(IServiceReply).IsAssignableFrom(t) && !typeof(IIntegrationEvent).IsAssignableFrom(t) && BusTopology.QueueFor(t) is null)
            .Select(t => t.Name).ToList();
        unrouted.ShouldBeEmpty("a command or query without a kind has no queue");
    }
}
