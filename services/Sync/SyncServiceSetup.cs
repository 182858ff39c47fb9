using Bitcain.Contracts;
using Bitcain.Contracts.Sync;
using Bitcain.Secrets;
using Bitcain.ServiceDefaults;
using Bitcain.Sync.Account;
using Bitcain.Sync.ReadingBalances;
using Bitcain.Sync.SyncingTrades;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Npgsql;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Sync;

public static class SyncServiceSetup
{
    public const string Schema = "sync";

    /// <summary>Each exchange account (credential) of a user is a stream; balances are projections, trades a keyed table.</summary>
    public static void AddSyncStore(this WebApplicationBuilder builder)
    {
        builder.AddBitcainEventStore(Schema, opts =>
        {
            SyncEventNames.Register(opts.Events);
            // Two syncs of one account append to its stream at once: quick append serializes them in the database
            // instead of failing one on a version conflict.
            opts.Events.AppendMode = EventAppendMode.Quick;
            opts.Projections.Add<BalanceProjection>(ProjectionLifecycle.Inline);
        });
        var connection = builder.Configuration.GetConnectionString("postgres")
                         ?? throw new InvalidOperationException("ConnectionStrings:postgres is not set");
        builder.Services.AddSingleton(_ => new TradeTable(NpgsqlDataSource.Create(connection)));
        builder.Services.AddCredentialVault(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton<ExchangeAccounts>();
    }

    public static void AddSyncMessaging(this WebApplicationBuilder builder)
    {
        builder.Host.UseWolverine(opts =>
        {
            opts.UseBitcainRabbitMq(typeof(SyncServiceSetup).Assembly);
            opts.ListenToRabbitQueue(BusTopology.SyncCommands).UseDurableInbox();
            opts.ListenToRabbitQueue(BusTopology.SyncQueries).BufferedInMemory();
            ExchangeAccounts.Route(opts);
            opts.PublishIntegrationEvent<BalancesSyncedV1>();
            opts.PublishIntegrationEvent<TradesSyncedV1>();
            opts.PublishIntegrationEvent<SyncFailedV1>();
            opts.PublishIntegrationEvent<TradeSyncProgressedV1>();
            opts.UseBitcainTransactions();
        });
    }
}
